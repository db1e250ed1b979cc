"""Auto-release and review reveal run as beat tasks; here through a real worker on the broker (Redis)."""

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from marketplace import tasks
from marketplace.models import Contract, Milestone, Review
from marketplace.services import escrow
from marketplace.services.milestones import milestone_approve, milestone_submit
from marketplace.services.reviews import review_submit

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _send_like_beat(entry: str) -> Any:
    """Enqueue the task named by the beat schedule entry, by name, as beat does."""
    from coop_platform.celery import app

    return app.send_task(settings.CELERY_BEAT_SCHEDULE[entry]["task"])


def _delivered(contract: Contract, finance: Any, fund: Any) -> Milestone:
    milestone = fund(contract.milestones.get(position=1), contract.client, finance)
    milestone_submit(milestone_id=milestone.pk, actor=contract.freelancer, message="Done.")
    milestone.refresh_from_db()
    return milestone


def test_beat_schedule_names_the_marketplace_tasks() -> None:
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["marketplace-milestones-auto-release"]["task"] == tasks.milestones_auto_release_due.name
    assert schedule["marketplace-reviews-reveal"]["task"] == tasks.reviews_reveal_due.name
    assert schedule["marketplace-saved-search-alerts"]["task"] == tasks.saved_searches_alert.name


def test_auto_release_pays_an_unanswered_delivery_through_a_real_worker(
    celery_worker_redis: Any, contract: Contract, finance: Any, fund: Any
) -> None:
    milestone = _delivered(contract, finance, fund)
    assert milestone.auto_release_at is not None
    Milestone.objects.filter(pk=milestone.pk).update(auto_release_at=timezone.now() - timedelta(minutes=1))

    assert _send_like_beat("marketplace-milestones-auto-release").get(timeout=60) == 1

    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.RELEASED
    assert escrow.balances(user_id=contract.freelancer_id, currency="EUR")["available"] == 36_000
    # Running it again releases nothing twice.
    assert _send_like_beat("marketplace-milestones-auto-release").get(timeout=60) == 0


def test_auto_release_leaves_a_delivery_whose_time_has_not_come(
    celery_worker_redis: Any, contract: Contract, finance: Any, fund: Any
) -> None:
    milestone = _delivered(contract, finance, fund)
    assert _send_like_beat("marketplace-milestones-auto-release").get(timeout=60) == 0
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.SUBMITTED


def test_a_lone_review_is_revealed_after_fourteen_days_through_a_real_worker(
    celery_worker_redis: Any, contract: Contract, finance: Any, fund: Any
) -> None:
    for milestone in contract.milestones.order_by("position"):
        fund(milestone, contract.client, finance)
        milestone_submit(milestone_id=milestone.pk, actor=contract.freelancer, message="Done.")
        milestone_approve(milestone_id=milestone.pk, actor=contract.client)
    review = review_submit(
        contract_id=contract.pk,
        actor=contract.client,
        text="Good work.",
        rating_quality=4,
        rating_communication=5,
        rating_reliability=5,
    )
    assert _send_like_beat("marketplace-reviews-reveal").get(timeout=60) == 0
    Review.objects.filter(pk=review.pk).update(created_at=timezone.now() - timedelta(days=15))

    assert _send_like_beat("marketplace-reviews-reveal").get(timeout=60) == 1

    review.refresh_from_db()
    assert review.revealed_at is not None

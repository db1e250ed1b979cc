"""What the marketplace pages say: errors in sight, messages that match what happened, times that read well."""

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import formats, timezone

from core.models import Notification
from core.notifications import notify
from marketplace.models import Contract, Job, Proposal
from marketplace.services.milestones import milestone_approve, milestone_submit
from marketplace.services.reviews import review_submit

pytestmark = pytest.mark.django_db

RATINGS = {"rating_quality": 5, "rating_communication": 4, "rating_reliability": 5}


def _said(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_counter_offer_errors_show_in_an_open_section(client_for: Any, proposal: Proposal, hirer: Any) -> None:
    response = client_for(hirer).post(
        reverse("marketplace:proposal-revise", args=[proposal.pk]),
        {
            "amount": "1000",
            "duration_days": "14",
            "note": "",
            "plan-TOTAL_FORMS": "1",
            "plan-INITIAL_FORMS": "0",
            "plan-0-title": "Design",
            "plan-0-amount": "",
        },
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "<details open>" in body
    assert "Give this milestone an amount." in body


def test_counter_offer_section_stays_closed_without_errors(client_for: Any, proposal: Proposal, hirer: Any) -> None:
    body = client_for(hirer).get(reverse("marketplace:proposal-detail", args=[proposal.pk])).content.decode()

    assert "<details>" in body
    assert "<details open>" not in body


def _job_form(**extra: str) -> dict[str, str]:
    return {
        "title": "Logo for a bakery",
        "description": "A simple logo.",
        "pricing_type": "fixed",
        "budget_min": "100",
        "budget_max": "300",
        "skills": "Design",
        "remote": "on",
        **extra,
    }


def test_publishing_a_new_job_says_it_is_published(client_for: Any, hirer: Any) -> None:
    response = client_for(hirer).post(reverse("marketplace:job-create"), _job_form(publish="1"))

    assert response.status_code == 302
    assert Job.objects.get().status == Job.Status.OPEN
    assert _said(response) == ["Your job is published."]


def test_saving_a_new_job_as_a_draft_says_so(client_for: Any, hirer: Any) -> None:
    response = client_for(hirer).post(reverse("marketplace:job-create"), _job_form(draft="1"))

    assert response.status_code == 302
    assert Job.objects.get().status == Job.Status.DRAFT
    assert _said(response) == ["Your job is saved as a draft."]


@pytest.fixture
def completed(contract: Contract, hirer: Any, freelancer: Any, finance: Any, fund: Any) -> Contract:
    for milestone in contract.milestones.order_by("position"):
        fund(milestone, hirer, finance)
        milestone_submit(milestone_id=milestone.pk, actor=freelancer, message="Done.")
        milestone_approve(milestone_id=milestone.pk, actor=hirer)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.COMPLETED
    return contract


def test_first_review_says_it_appears_once_the_other_side_reviews(
    client_for: Any, completed: Contract, hirer: Any
) -> None:
    response = client_for(hirer).post(
        reverse("marketplace:review-submit", args=[completed.pk]), {"text": "Great work.", **RATINGS}
    )

    assert response.status_code == 302
    assert _said(response) == ["Thank you. Your review appears when the other side has reviewed too, or after 14 days."]


def test_second_review_says_both_reviews_are_now_visible(
    client_for: Any, completed: Contract, hirer: Any, freelancer: Any
) -> None:
    review_submit(contract_id=completed.pk, actor=hirer, text="Great work.", **RATINGS)

    response = client_for(freelancer).post(
        reverse("marketplace:review-submit", args=[completed.pk]), {"text": "Clear brief.", **RATINGS}
    )

    assert response.status_code == 302
    assert _said(response) == ["Thank you. Both of you have reviewed, so both reviews are now visible."]


def test_review_page_shows_the_written_review_instead_of_the_form(
    client_for: Any, completed: Contract, hirer: Any
) -> None:
    review = review_submit(contract_id=completed.pk, actor=hirer, text="Great work, on time.", **RATINGS)
    http = client_for(hirer)

    response = http.get(reverse("marketplace:review-submit", args=[completed.pk]))
    again = http.post(reverse("marketplace:review-submit", args=[completed.pk]), {"text": "Twice", **RATINGS})

    body = response.content.decode()
    assert response.status_code == 200
    assert '<form method="post" class="card">' not in body
    assert "<h1>Your review</h1>" in body
    assert "Great work, on time." in body
    reveal = formats.date_format(timezone.localtime(review.created_at + timedelta(days=14)), "DATE_FORMAT")
    assert f"Both reviews appear when the other side has reviewed too, or on {reveal}." in body
    assert again.status_code == 409
    assert "Twice" not in again.content.decode()


def test_review_page_after_both_reviewed_says_they_are_visible(
    client_for: Any, completed: Contract, hirer: Any, freelancer: Any
) -> None:
    review_submit(contract_id=completed.pk, actor=hirer, text="Great work.", **RATINGS)
    review_submit(contract_id=completed.pk, actor=freelancer, text="Clear brief.", **RATINGS)

    body = client_for(hirer).get(reverse("marketplace:review-submit", args=[completed.pk])).content.decode()

    assert "Both reviews are now visible on the contract page." in body
    assert "Great work." in body


def test_review_page_shows_the_form_before_reviewing(client_for: Any, completed: Contract, hirer: Any) -> None:
    body = client_for(hirer).get(reverse("marketplace:review-submit", args=[completed.pk])).content.decode()

    assert "<h1>Write your review</h1>" in body
    assert 'name="text"' in body


def test_a_brand_new_notification_says_just_now(client_for: Any, hirer: Any) -> None:
    notify(user=hirer, kind="proposal_revised", data={"job": "Logo"}, url="/", email=False)

    body = client_for(hirer).get(reverse("notifications")).content.decode()

    assert "just now" in body
    assert "0 minutes" not in body


def test_an_older_notification_says_how_long_ago(client_for: Any, hirer: Any) -> None:
    item = notify(user=hirer, kind="proposal_revised", data={"job": "Logo"}, url="/", email=False)
    Notification.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(minutes=5))

    body = client_for(hirer).get(reverse("notifications")).content.decode()

    assert "5\xa0minutes ago" in body  # timesince keeps number and unit together
    assert "just now" not in body


def test_notification_times_read_in_dutch(client_for: Any, hirer: Any) -> None:
    notify(user=hirer, kind="proposal_revised", data={"job": "Logo"}, url="/", email=False)
    http = client_for(hirer)
    http.cookies["django_language"] = "nl"

    body = http.get(reverse("notifications")).content.decode()

    assert "zojuist" in body


def test_a_job_posted_moments_ago_reads_posted_just_now_on_the_job_list(client: Any, make_job: Any) -> None:
    make_job(title="Logo for a bakery")

    body = client.get(reverse("marketplace:job-list")).content.decode()
    client.cookies["django_language"] = "nl"
    dutch = client.get(reverse("marketplace:job-list")).content.decode()

    assert "posted just now" in body
    assert "0\xa0minutes" not in body
    assert "zojuist geplaatst" in dutch

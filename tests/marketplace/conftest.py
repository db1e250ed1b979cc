"""Fixtures for marketplace tests: a fee policy, people with profiles, a job, a proposal, a contract."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from marketplace.models import Contract, Job, Milestone, Proposal
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def fee_policy(db: Any) -> Any:
    from marketplace.services.fees import fee_policy_create

    return fee_policy_create(percent=Decimal("10"), actor=None, effective_from=timezone.now() - timedelta(days=1))


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_client() -> Any:
    from marketplace.services.profiles import client_profile_save

    def make(**kwargs: Any) -> Any:
        user = UserFactory(**kwargs)
        client_profile_save(user=user)
        return user

    return make


@pytest.fixture
def make_freelancer() -> Any:
    from marketplace.services.profiles import freelancer_profile_save

    def make(**kwargs: Any) -> Any:
        user = UserFactory(**kwargs)
        freelancer_profile_save(user=user, headline="Django developer", skill_names=["Django"], hourly_rate_cents=6000)
        return user

    return make


@pytest.fixture
def hirer(make_client: Any) -> Any:
    return make_client()


@pytest.fixture
def freelancer(make_freelancer: Any) -> Any:
    return make_freelancer()


@pytest.fixture
def make_job(hirer: Any) -> Any:
    from marketplace.services.jobs import job_create

    def make(client: Any = None, publish: bool = True, **kwargs: Any) -> Job:
        values: dict[str, Any] = {
            "title": "Build a booking page",
            "description": "A small Django site where customers book repair slots.",
            "budget_min_cents": 50_000,
            "budget_max_cents": 150_000,
            "skill_names": ["Django"],
        }
        values.update(kwargs)
        return job_create(client=client or hirer, publish=publish, **values)

    return make


@pytest.fixture
def job(make_job: Any) -> Job:
    return make_job()


@pytest.fixture
def make_proposal(job: Job, freelancer: Any) -> Any:
    from marketplace.services.proposals import proposal_submit

    def make(on: Job | None = None, by: Any = None, **kwargs: Any) -> Proposal:
        values: dict[str, Any] = {
            "cover_letter": "I built three booking sites last year.",
            "amount_cents": 100_000,
            "duration_days": 14,
            "milestone_plan": [
                {"title": "Design", "amount_cents": 40_000},
                {"title": "Build", "amount_cents": 60_000},
            ],
        }
        values.update(kwargs)
        return proposal_submit(job_id=(on or job).pk, freelancer=by or freelancer, **values)

    return make


@pytest.fixture
def proposal(make_proposal: Any) -> Proposal:
    return make_proposal()


@pytest.fixture
def contract(proposal: Proposal, hirer: Any) -> Contract:
    from marketplace.services.proposals import proposal_accept

    return proposal_accept(proposal_id=proposal.pk, actor=hirer)


@pytest.fixture
def finance(db: Any) -> Any:
    return UserFactory(is_staff=True, email="finance-test@example.org", staff_roles=["finance"])


@pytest.fixture
def fund() -> Any:
    """Fund a milestone the way it happens for real: a payment request, then finance records the transfer."""
    from marketplace.services.milestones import milestone_fund
    from payouts.payments import bank_payment_record

    def run(milestone: Milestone, client: Any, finance_user: Any) -> Milestone:
        milestone, request = milestone_fund(milestone_id=milestone.pk, actor=client)
        bank_payment_record(
            reference=request.reference,
            amount_cents=request.amount_cents,
            currency=request.currency,
            received_on=timezone.localdate(),
            actor=finance_user,
        )
        milestone.refresh_from_db()
        return milestone

    return run

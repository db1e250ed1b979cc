"""The whole fixed-price journey through the services, with the money checked in the ledger."""

from typing import Any

import pytest

from marketplace.models import Contract, Milestone, Proposal, Review
from marketplace.services import escrow
from marketplace.services.milestones import milestone_approve, milestone_submit
from marketplace.services.reviews import review_submit

pytestmark = pytest.mark.django_db


def test_accepting_a_proposal_starts_a_contract_with_the_fee_policy_in_force(
    contract: Contract, fee_policy: Any
) -> None:
    assert contract.status == Contract.Status.ACTIVE
    assert contract.fee_policy == fee_policy
    assert contract.fee_percent == fee_policy.percent
    assert [m.title for m in contract.milestones.order_by("position")] == ["Design", "Build"]
    assert contract.proposal.status == Proposal.Status.ACCEPTED
    assert contract.thread.proposal_id == contract.proposal_id


def test_fund_deliver_approve_pays_the_freelancer_the_amount_minus_the_fee(
    contract: Contract, hirer: Any, freelancer: Any, finance: Any, fund: Any
) -> None:
    first = contract.milestones.order_by("position").first()
    first = fund(first, hirer, finance)
    assert first.status == Milestone.Status.FUNDED
    assert escrow.balances(user_id=freelancer.pk, currency="EUR")["in_escrow"] == 40_000

    milestone_submit(milestone_id=first.pk, actor=freelancer, message="Here are the designs.")
    milestone_approve(milestone_id=first.pk, actor=hirer)

    first.refresh_from_db()
    assert first.status == Milestone.Status.RELEASED
    balances = escrow.balances(user_id=freelancer.pk, currency="EUR")
    assert balances["available"] == 36_000
    assert balances["in_escrow"] == 0


def test_contract_completes_when_every_milestone_is_paid_and_reviews_appear_together(
    contract: Contract, hirer: Any, freelancer: Any, finance: Any, fund: Any
) -> None:
    for milestone in contract.milestones.order_by("position"):
        fund(milestone, hirer, finance)
        milestone_submit(milestone_id=milestone.pk, actor=freelancer, message="Done.")
        milestone_approve(milestone_id=milestone.pk, actor=hirer)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.COMPLETED

    first = review_submit(
        contract_id=contract.pk,
        actor=hirer,
        text="Great work.",
        rating_quality=5,
        rating_communication=5,
        rating_reliability=4,
    )
    first.refresh_from_db()
    assert first.revealed_at is None
    review_submit(
        contract_id=contract.pk,
        actor=freelancer,
        text="Clear brief, paid on time.",
        rating_quality=5,
        rating_communication=4,
        rating_reliability=5,
    )
    assert Review.objects.filter(contract=contract, revealed_at__isnull=False).count() == 2

"""Races on PostgreSQL, each over real concurrent connections: money moves once, contracts start once."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from core.exceptions import ApplicationError
from core.exceptions import ErrorCode as CoreErrorCode
from marketplace.exceptions import ErrorCode
from marketplace.models import Contract, Milestone, MilestoneStatusChange, Proposal
from marketplace.services.milestones import milestone_approve, milestone_auto_release, milestone_submit
from marketplace.services.proposals import proposal_accept
from tests.concurrency import run_concurrently
from tests.services import need_postgres

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


@pytest.fixture(autouse=True)
def _postgres(transactional_db: Any) -> None:
    need_postgres()


def _batches(milestone: Milestone, event: str) -> int:
    from payouts.ledger import Batch

    return Batch.objects.filter(idempotency_key=f"milestone:{milestone.pk}:{event}").count()


def _changes_to(milestone: Milestone, status: str) -> int:
    return MilestoneStatusChange.objects.filter(milestone=milestone, to_status=status).count()


@pytest.fixture
def delivered(contract: Contract, finance: Any, fund: Any) -> Milestone:
    milestone = fund(contract.milestones.get(position=1), contract.client, finance)
    milestone_submit(milestone_id=milestone.pk, actor=contract.freelancer, message="Done.")
    milestone.refresh_from_db()
    return milestone


def _one_release(milestone: Milestone, results: list[Any]) -> None:
    failures = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(r, ApplicationError) for r in failures), results
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.RELEASED
    assert _batches(milestone, "release") == 1
    assert _changes_to(milestone, Milestone.Status.RELEASED) == 1


def test_two_approvals_of_one_delivered_milestone_release_it_once(delivered: Milestone) -> None:
    client = delivered.contract.client
    results = run_concurrently(lambda i: milestone_approve(milestone_id=delivered.pk, actor=client), 2)
    _one_release(delivered, results)
    assert sum(isinstance(r, Milestone) for r in results) == 1
    assert [r.code for r in results if isinstance(r, ApplicationError)] == [CoreErrorCode.BAD_TRANSITION]


def test_an_approval_racing_the_auto_release_releases_once(delivered: Milestone) -> None:
    Milestone.objects.filter(pk=delivered.pk).update(auto_release_at=timezone.now() - timedelta(minutes=1))
    client = delivered.contract.client

    def act(i: int) -> Any:
        if i == 0:
            return milestone_approve(milestone_id=delivered.pk, actor=client)
        return milestone_auto_release(milestone_id=delivered.pk)

    results = run_concurrently(act, 2)
    _one_release(delivered, results)
    # Whichever won, the other either refused (the approval) or found nothing due (the task).
    assert sum(isinstance(r, Milestone) or r is True for r in results) == 1


def test_two_confirmations_of_one_milestone_payment_fund_escrow_once(contract: Contract, finance: Any) -> None:
    from marketplace.services.milestones import milestone_fund
    from payouts.payments import bank_payment_record

    milestone, request = milestone_fund(milestone_id=contract.milestones.get(position=1).pk, actor=contract.client)

    def confirm(i: int) -> Any:
        return bank_payment_record(
            reference=request.reference,
            amount_cents=request.amount_cents,
            currency=request.currency,
            received_on=timezone.localdate(),
            actor=finance,
        )

    results = run_concurrently(confirm, 2)
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, ApplicationError)], results
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.FUNDED
    assert _batches(milestone, "fund") == 1
    assert _changes_to(milestone, Milestone.Status.FUNDED) == 1


def test_two_acceptances_of_two_proposals_on_one_job_start_one_contract(
    job: Any, make_proposal: Any, make_freelancer: Any, hirer: Any
) -> None:
    proposals = [make_proposal(by=make_freelancer()) for _ in range(2)]
    results = run_concurrently(lambda i: proposal_accept(proposal_id=proposals[i].pk, actor=hirer), 2)
    assert sum(isinstance(r, Contract) for r in results) == 1, results
    assert [r.code for r in results if not isinstance(r, Contract)] == [ErrorCode.JOB_FILLED], results
    assert Contract.objects.filter(job=job).count() == 1
    statuses = sorted(Proposal.objects.filter(job=job).values_list("status", flat=True))
    assert statuses == [Proposal.Status.ACCEPTED, Proposal.Status.DECLINED]

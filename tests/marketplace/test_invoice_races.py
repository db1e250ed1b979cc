"""Invoice numbers under concurrency, on PostgreSQL with real connections: gapless, never shared, never twice."""

from __future__ import annotations

from typing import Any

import pytest

from marketplace.models import Contract, Invoice, Milestone
from marketplace.services.invoices import invoices_issue_for_batch
from marketplace.services.milestones import milestone_add, milestone_approve
from payouts.models import Batch
from tests.concurrency import run_concurrently
from tests.marketplace.invoice_helpers import NL_CLIENT, NL_FREELANCER, give_details
from tests.services import need_postgres

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]

RELEASES = 20


@pytest.fixture(autouse=True)
def _postgres(transactional_db: Any) -> None:
    need_postgres()


def _funded(contract: Contract, finance: Any, fund: Any, count: int) -> list[Milestone]:
    milestones = [
        milestone_add(contract_id=contract.pk, actor=contract.client, title=f"Part {i}", amount_cents=1_000 + i)
        for i in range(count)
    ]
    return [fund(m, contract.client, finance) for m in milestones]


def test_twenty_releases_at_once_for_one_freelancer_give_twenty_gapless_invoice_numbers(
    contract: Contract, finance: Any, fund: Any
) -> None:
    give_details(contract.freelancer, NL_FREELANCER)
    give_details(contract.client, NL_CLIENT, consent=False)
    milestones = _funded(contract, finance, fund, RELEASES)
    # Each approval commits its release, then issues the invoices after commit (the outbox runs
    # the task in the same thread), so twenty transactions take numbers at the same moment.
    results = run_concurrently(
        lambda i: milestone_approve(milestone_id=milestones[i].pk, actor=contract.client), RELEASES
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    work = Invoice.objects.filter(kind=Invoice.Kind.WORK, issuer_user=contract.freelancer)
    assert sorted(work.values_list("sequence", flat=True)) == list(range(1, RELEASES + 1))
    assert work.values("milestone").distinct().count() == RELEASES
    fees = Invoice.objects.filter(kind=Invoice.Kind.FEE)
    assert sorted(fees.values_list("sequence", flat=True)) == list(range(1, RELEASES + 1))


def test_the_same_release_issued_by_two_workers_at_once_gives_one_invoice_of_each_kind(
    contract: Contract, finance: Any, fund: Any
) -> None:
    give_details(contract.freelancer, NL_FREELANCER)
    give_details(contract.client, NL_CLIENT, consent=False)
    (milestone,) = _funded(contract, finance, fund, 1)
    # The release's own task already issued both; two more workers at once add nothing.
    milestone_approve(milestone_id=milestone.pk, actor=contract.client)
    batch = Batch.objects.get(idempotency_key=f"milestone:{milestone.pk}:release")
    run_concurrently(lambda i: invoices_issue_for_batch(batch_id=batch.pk), 2)
    assert sorted(Invoice.objects.filter(ledger_batch=batch).values_list("kind", flat=True)) == ["fee", "work"]
    assert list(Invoice.objects.filter(issuer_user=contract.freelancer).values_list("sequence", flat=True)) == [1]

"""Two people from finance approve the same expense at the same moment: it is booked and reimbursed once."""

from __future__ import annotations

from typing import Any

import pytest

from core.exceptions import BadTransition
from payouts import ledger
from payouts.models import Withdrawal
from payouts.open_books.models import ExpenseClaim
from payouts.open_books.services.expenses import expense_approve
from tests.concurrency import run_concurrently
from tests.factories import UserFactory
from tests.services import need_postgres


@pytest.mark.django_db(transaction=True)
@pytest.mark.services
def test_two_approvals_at_once_book_the_expense_once(submit: Any, fee_income: int) -> None:
    need_postgres()
    claim = submit()
    approvers = [UserFactory(is_staff=True, staff_roles=["finance"]) for _ in range(2)]
    results = run_concurrently(lambda i: expense_approve(claim_id=claim.pk, actor=approvers[i]), 2)
    won = [r for r in results if isinstance(r, ExpenseClaim)]
    lost = [r for r in results if isinstance(r, BadTransition)]
    assert (len(won), len(lost)) == (1, 1), results
    assert ledger.Batch.objects.filter(idempotency_key=f"expense:{claim.pk}:approve").count() == 1
    assert Withdrawal.objects.filter(user=claim.claimant).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.services
def test_a_budget_decision_carried_out_twice_at_once_is_written_once() -> None:
    need_postgres()
    from django.utils import timezone

    from payouts.open_books.models import Budget, BudgetLine
    from payouts.open_books.services.budgets import budget_adopt

    payload = {
        "year": timezone.localdate().year,
        "lines": [{"category": "hosting", "amount_cents": 120_000}, {"category": "software", "amount_cents": 30_000}],
    }
    results = run_concurrently(lambda i: budget_adopt(payload=payload, proposal_id=4711, actor=None), 2)
    assert all(isinstance(r, Budget) for r in results), results
    assert results[0].pk == results[1].pk
    assert Budget.objects.filter(proposal_id=4711).count() == 1
    assert BudgetLine.objects.filter(budget__proposal_id=4711).count() == 2

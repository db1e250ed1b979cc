"""The open books and the trial balance read the monthly totals and running balances, not the postings."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Sum
from django.utils import timezone

from payouts import ledger
from payouts import selectors as payout_selectors
from payouts.models import Account, Posting
from tests.payouts.ledger_helpers import fund_and_release

pytestmark = pytest.mark.django_db


def _activity(freelancer: Any, client: Any, first: int, count: int) -> None:
    for milestone in range(first, first + count):
        fund_and_release(milestone_id=milestone, freelancer=freelancer, client=client, amount_cents=10_000)
    ledger.expense_record(
        key=f"hosting-{first}",
        category="hosting",
        provider="bank_transfer",
        memo="Hosting",
        amount_cents=300,
        currency="EUR",
        actor=None,
    )
    ledger.fund_allocate(fund="reserve", amount_cents=200, currency="EUR", key=f"reserve-{first}", actor=None)


def test_open_books_equal_the_postings_in_a_fixed_number_of_queries(  # the income account, its two sums, funds, capital
    freelancer: Any, client_user: Any, django_assert_num_queries: Any
) -> None:
    year = timezone.localdate().year
    _activity(freelancer, client_user, 1, 2)
    with django_assert_num_queries(5):
        payout_selectors.open_books(year)
    _activity(freelancer, client_user, 10, 6)
    with django_assert_num_queries(5):
        books = payout_selectors.open_books(year)

    def into(purpose: str, **filters: Any) -> int:
        return Posting.objects.filter(to_account__purpose=purpose, **filters).aggregate(t=Sum("amount_cents"))["t"]

    assert books["fees_cents"] == into("fee_income", batch__kind="escrow_release") == 8 * 1_000
    assert books["costs"] == [{"category": "hosting", "label": books["costs"][0]["label"], "amount_cents": 600}]
    assert books["funds"] == [{"name": "reserve", "balance_cents": 400}]
    assert [part["amount_cents"] for part in books["fee_euro"]][:2] == [600, 400]


def test_the_trial_balance_agrees_with_the_postings(freelancer: Any, client_user: Any) -> None:
    _activity(freelancer, client_user, 1, 3)
    trial = payout_selectors.trial_balance()
    for account in trial.accounts:
        assert account.balance_cents == ledger.account_balance(account)
        received = Posting.objects.filter(to_account=account).aggregate(t=Sum("amount_cents"))["t"] or 0
        assert account.inflow_cents == received
    assert set(trial.totals.values()) == {0}
    assert sum(row["accounts"] for row in trial.by_purpose) == Account.objects.count()

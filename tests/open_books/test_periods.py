"""Closing a financial year: it takes no new postings; corrections post in the open year; its accounts stay."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from core.exceptions import Conflict, Forbidden
from payouts import ledger
from payouts.open_books.exceptions import ErrorCode
from payouts.open_books.models import AccountingPeriod
from payouts.open_books.selectors.accounts import annual_accounts
from payouts.open_books.services.periods import period_close

pytestmark = pytest.mark.django_db


def at(day: date) -> Any:
    return mock.patch(
        "django.utils.timezone.now",
        return_value=datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone()),
    )


def _cost(key: str, cents: int) -> None:
    ledger.expense_record(
        amount_cents=cents,
        currency="EUR",
        category="hosting",
        provider="bank_transfer",
        memo="Servers",
        actor=None,
        key=key,
    )


def test_a_year_closes_only_once_it_has_ended(finance: Any) -> None:
    with at(date(2025, 12, 31)), pytest.raises(Conflict) as refused:
        period_close(year=2025, actor=finance)
    assert refused.value.code == ErrorCode.PERIOD_NOT_ENDED
    assert not AccountingPeriod.objects.filter(status="closed").exists()


def test_only_finance_closes_a_year(member: Any) -> None:
    with pytest.raises(Forbidden):
        period_close(year=2025, actor=member.user)


def test_a_closed_year_takes_no_postings_and_corrections_post_in_the_open_year(finance: Any) -> None:
    with at(date(2025, 3, 1)):
        ledger.income_record(
            amount_cents=50_000, currency="EUR", provider="bank_transfer", memo="Grant", actor=None, key="g"
        )
        _cost("c1", 10_000)
    period = period_close(year=2025, actor=finance)
    assert period.accounts["income_statement"]["surplus_cents"] == 40_000
    # Backdated into the closed year: refused, and nothing is written.
    with at(date(2025, 11, 30)), pytest.raises(Conflict) as refused:
        _cost("late", 2_000)
    assert refused.value.code == ErrorCode.PERIOD_CLOSED
    assert refused.value.message == (
        "The books up to and including 31 December 2025 are closed: post the correction in the open period."
    )
    assert not ledger.Batch.objects.filter(idempotency_key="late").exists()
    # The correction goes into the open year; the closed year's accounts are as they were at closing.
    with at(date(2026, 1, 5)):
        _cost("correction", 2_000)
    assert annual_accounts(2025).as_dict() == period.accounts
    assert annual_accounts(2026).costs == [{"category": "hosting", "amount_cents": 2_000}]


def test_a_year_cannot_be_closed_twice(finance: Any) -> None:
    period_close(year=2024, actor=finance)
    with pytest.raises(Conflict):
        period_close(year=2024, actor=finance)


def test_the_balance_sheet_balances_at_the_end_of_a_year(finance: Any) -> None:
    with at(date(2025, 6, 1)):
        ledger.income_record(
            amount_cents=80_000, currency="EUR", provider="bank_transfer", memo="Grant", actor=None, key="g"
        )
        ledger.fund_allocate(fund="reserve", amount_cents=5_000, currency="EUR", key="f", actor=None)
        _cost("c", 12_000)
    with at(date(2026, 2, 1)):
        _cost("c2", 3_000)
    accounts = annual_accounts(2025)
    assert accounts.cash_cents == 80_000 - 12_000
    assert accounts.cash_cents == accounts.liabilities_cents + accounts.equity_cents
    assert accounts.to_funds_cents == 5_000
    assert {"line": "fund", "name": "reserve", "amount_cents": 5_000} in accounts.equity

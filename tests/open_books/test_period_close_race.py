"""Closing a year and posting into it at the same moment, over two real connections.

A posting dated in the year that is still in flight when the year is closed must either be in the
closed accounts (the close waited for it) or be refused (it waited for the close): never committed
after the accounts were kept.
"""

from __future__ import annotations

import threading
import time as clock
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from unittest import mock

import pytest
from django.db import connections, transaction
from django.utils import timezone

from core.exceptions import Conflict
from payouts import ledger
from payouts.open_books import periods
from payouts.open_books.exceptions import ErrorCode
from payouts.open_books.models import AccountingPeriod
from payouts.open_books.selectors.accounts import annual_accounts
from payouts.open_books.services.periods import period_close
from tests.services import need_postgres

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]

# The last second of 2025: the poster's clock; the closer's clock is the real one (2025 has ended).
LAST_SECOND = datetime(2025, 12, 31, 23, 59, 59, tzinfo=timezone.get_current_timezone())
_real_now = timezone.now
_poster = threading.local()


def _now() -> datetime:
    return LAST_SECOND if getattr(_poster, "late", False) else _real_now()


@pytest.fixture(autouse=True)
def poster_clock() -> Iterator[None]:
    """Only threads marked as the poster see the last second of 2025."""
    with mock.patch("django.utils.timezone.now", side_effect=_now):
        yield


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


def _income_in_2025() -> None:
    _poster.late = True
    try:
        ledger.income_record(
            amount_cents=50_000, currency="EUR", provider="bank_transfer", memo="Grant", actor=None, key="grant"
        )
    finally:
        _poster.late = False


def _run(*targets: Any) -> list[Any]:
    results: list[Any] = [None] * len(targets)

    def wrap(i: int) -> None:
        try:
            results[i] = targets[i]()
        except Exception as exc:  # the test asserts on what each thread got
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrap, args=(i,)) for i in range(len(targets))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_a_close_waits_for_a_posting_of_its_year_in_flight(finance: Any) -> None:
    need_postgres()
    _income_in_2025()
    posted = threading.Event()
    committed_at: list[float] = []

    def poster() -> None:
        _poster.late = True
        with transaction.atomic():
            _cost("in-flight", 2_500)
            posted.set()
            clock.sleep(1.0)  # the close starts meanwhile
            committed_at.append(clock.monotonic())
        return None

    def closer() -> AccountingPeriod:
        assert posted.wait(10)
        period = period_close(year=2025, actor=finance)
        period.finished_at = clock.monotonic()  # type: ignore[attr-defined]
        return period

    poster_result, period = _run(poster, closer)
    assert poster_result is None
    assert isinstance(period, AccountingPeriod), period
    assert period.finished_at >= committed_at[0]
    # The in-flight posting is in the accounts kept at closing, and they match the ledger now.
    assert period.accounts["income_statement"]["costs"] == [{"category": "hosting", "amount_cents": 2_500}]
    assert annual_accounts(2025).as_dict() == period.accounts


def test_a_posting_that_waited_for_a_close_of_its_year_is_refused(finance: Any) -> None:
    need_postgres()
    _income_in_2025()
    closing = threading.Event()

    def closer() -> AccountingPeriod:
        with transaction.atomic():
            period = period_close(year=2025, actor=finance)
            closing.set()
            clock.sleep(1.0)  # the posting arrives meanwhile
        return period

    def poster() -> None:
        _poster.late = True
        assert closing.wait(10)
        # Like another process that read the closed years a moment ago: it remembers none.
        with mock.patch.dict(periods._latest, {"read_at": clock.monotonic(), "end_ordinal": 0.0}):
            _cost("late", 2_500)

    period, refused = _run(closer, poster)
    assert isinstance(period, AccountingPeriod), period
    assert isinstance(refused, Conflict), refused
    assert refused.code == ErrorCode.PERIOD_CLOSED
    assert not ledger.Batch.objects.filter(idempotency_key="late").exists()
    assert annual_accounts(2025).as_dict() == period.accounts

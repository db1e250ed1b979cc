"""A money event inside a service's transaction: no savepoint, and a refusal leaves that transaction usable.

Services call the ledger inside their own transaction. An event used to open a savepoint there
(two more round trips each); it now runs in the caller's transaction, which works because every
check that can refuse an event comes before its first write.
"""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from payouts import ledger
from payouts.ledger.posting import fee_income_account, fund_account, in_transaction
from payouts.models import Account, Batch

pytestmark = pytest.mark.django_db(transaction=True)


def _income(cents: int, key: str) -> None:
    ledger.income_record(amount_cents=cents, currency="EUR", provider="bank_transfer", memo="", actor=None, key=key)


def _balance(account: Account) -> int:
    return Account.objects.get(pk=account.pk).running_balance_cents


def test_an_event_in_a_callers_transaction_opens_no_savepoint() -> None:
    _income(10_000, "caller:seed")
    ledger.fund_allocate(fund="reserve", amount_cents=100, currency="EUR", key="caller:first", actor=None)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        ledger.fund_allocate(fund="reserve", amount_cents=100, currency="EUR", key="caller:second", actor=None)
    assert [q["sql"] for q in queries.captured_queries if "SAVEPOINT" in q["sql"].upper()] == []
    assert _balance(fund_account("reserve", "EUR")) == 200


def test_a_refused_event_changes_nothing_and_the_callers_transaction_goes_on() -> None:
    _income(1_000, "caller:seed")
    income = fee_income_account("EUR")
    with transaction.atomic():
        with pytest.raises(ledger.InsufficientFunds):
            ledger.fund_allocate(fund="reserve", amount_cents=5_000, currency="EUR", key="caller:too-much", actor=None)
        # The caller handles the refusal and carries on in the same transaction.
        ledger.fund_allocate(fund="reserve", amount_cents=400, currency="EUR", key="caller:fits", actor=None)
    assert not Batch.objects.filter(idempotency_key="caller:too-much").exists()
    assert Batch.objects.filter(idempotency_key="caller:fits").exists()
    assert _balance(income) == 600
    assert _balance(fund_account("reserve", "EUR")) == 400


def test_a_database_error_inside_a_callers_transaction_rolls_the_whole_transaction_back() -> None:
    _income(1_000, "caller:seed")

    @in_transaction
    def event_that_fails_at_the_database() -> None:
        ledger.fund_allocate(fund="reserve", amount_cents=100, currency="EUR", key="caller:written", actor=None)
        raise DatabaseError("the server went away")

    with transaction.atomic():
        with pytest.raises(DatabaseError):
            event_that_fails_at_the_database()
        # Without a savepoint nothing can be undone in part: the caller's transaction must roll back.
        assert transaction.get_rollback()
    assert not Batch.objects.filter(idempotency_key="caller:written").exists()
    assert _balance(fee_income_account("EUR")) == 1_000

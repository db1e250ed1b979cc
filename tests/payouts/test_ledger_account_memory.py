"""Money events take their accounts from memory, and memory never posts to an account that is gone.

An event used to look up each of its accounts with a query of its own (more than half its time);
the process now remembers committed accounts by natural key (payouts.ledger.posting.account_get).
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from payouts import ledger
from payouts.ledger.posting import account_cache_clear, fee_income_account, fund_account
from payouts.models import Account, Posting

pytestmark = pytest.mark.django_db(transaction=True)


def _income(cents: int, key: str) -> None:
    ledger.income_record(amount_cents=cents, currency="EUR", provider="bank_transfer", memo="", actor=None, key=key)


def test_a_second_event_reads_no_account_rows_before_its_locks() -> None:
    _income(10_000, "memory:seed")
    ledger.fund_allocate(fund="reserve", amount_cents=100, currency="EUR", key="memory:first", actor=None)
    with CaptureQueriesContext(connection) as queries:
        ledger.fund_allocate(fund="reserve", amount_cents=100, currency="EUR", key="memory:second", actor=None)
    # SQLite's lock step reads the two locked rows by id (the database lock is BEGIN IMMEDIATE): not a look-up.
    lookups = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "payouts_account"' in q["sql"] and '"payouts_account"."id" IN' not in q["sql"]
    ]
    assert lookups == []
    assert fund_account("reserve", "EUR").pk == Account.objects.get(purpose="fund", name="reserve").pk
    assert Account.objects.get(purpose="fund", name="reserve").running_balance_cents == 200


def test_an_account_made_in_a_rolled_back_transaction_is_not_remembered() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        fund_account("education", "EUR")
        raise RuntimeError("roll back")
    assert not Account.objects.filter(purpose="fund", name="education").exists()
    _income(10_000, "memory:seed")
    ledger.fund_allocate(fund="education", amount_cents=250, currency="EUR", key="memory:edu", actor=None)
    account = Account.objects.get(purpose="fund", name="education")
    assert account.running_balance_cents == 250
    assert Posting.objects.filter(to_account=account, amount_cents=250).count() == 1


def test_an_event_given_a_remembered_account_that_vanished_posts_to_the_account_as_it_is_now() -> None:
    _income(10_000, "memory:seed")
    ledger.fund_allocate(fund="reserve", amount_cents=100, currency="EUR", key="memory:before", actor=None)
    stale = fund_account("reserve", "EUR")
    # What an emptied test database does to a remembered account: the row is gone.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE payouts_account, payouts_batch, payouts_posting, payouts_postingrollup CASCADE")
        else:
            for table in ("payouts_postingrollup", "payouts_posting", "payouts_batch", "payouts_account"):
                cursor.execute(f"DELETE FROM {table}")
    _income(10_000, "memory:again")
    batch = ledger.fund_allocate(fund="reserve", amount_cents=300, currency="EUR", key="memory:after", actor=None)
    fresh = Account.objects.get(purpose="fund", name="reserve")
    assert fresh.pk != stale.pk
    assert list(batch.postings.values_list("to_account_id", "amount_cents")) == [(fresh.pk, 300)]
    assert fresh.running_balance_cents == 300
    assert fee_income_account("EUR").running_balance_cents == 10_000 - 300
    account_cache_clear()

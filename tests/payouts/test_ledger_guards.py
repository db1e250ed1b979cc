"""The database itself refuses to change or remove ledger rows, on PostgreSQL and on SQLite."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from payouts.models import Batch, Posting
from tests.payouts.ledger_helpers import fund_and_release

STATEMENTS = [
    "UPDATE payouts_posting SET amount_cents = amount_cents + 1",
    "UPDATE payouts_posting SET amount_cents = 1 WHERE id = {posting}",
    "DELETE FROM payouts_posting WHERE id = {posting}",
    "UPDATE payouts_batch SET memo = 'edited' WHERE id = {batch}",
    "DELETE FROM payouts_batch WHERE id = {batch}",
]


@pytest.mark.django_db
@pytest.mark.parametrize("statement", STATEMENTS)
def test_raw_sql_update_or_delete_of_ledger_rows_is_refused(statement, freelancer, client_user):
    batch = fund_and_release(milestone_id=1, freelancer=freelancer, client=client_user, amount_cents=1_000)
    posting = batch.postings.first()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.format(posting=posting.pk, batch=batch.pk))

    assert Posting.objects.get(pk=posting.pk).amount_cents == posting.amount_cents
    assert Batch.objects.get(pk=batch.pk).memo == batch.memo


@pytest.mark.django_db(transaction=True)
def test_flushing_the_whole_database_still_works(freelancer, client_user):
    fund_and_release(milestone_id=1, freelancer=freelancer, client=client_user, amount_cents=1_000)

    call_command("flush", interactive=False, verbosity=0)

    assert not Posting.objects.exists()
    assert not Batch.objects.exists()

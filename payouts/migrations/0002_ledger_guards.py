"""Append-only triggers and covering indexes for the ledger, per database vendor.

PostgreSQL: a plpgsql BEFORE UPDATE OR DELETE row trigger on batches and postings raises; row
triggers do not fire on TRUNCATE, which test flushes use. Covering indexes (account, created_at)
INCLUDE (amount_cents) let balance and period sums run as index-only scans.

SQLite: triggers RAISE(ABORT) on UPDATE and on row DELETEs. A full-table `DELETE FROM <table>`
(SQLite's TRUNCATE, which Django's test flush issues) is let through by the
payouts_ledger_truncating() function that payouts.ledger.guard registers on every connection.
"""

from django.db import migrations

GUARDED = ("payouts_batch", "payouts_posting")

POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION payouts_ledger_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'ledger rows are append-only: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql
    """,
    *[
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION payouts_ledger_append_only()"
        for table in GUARDED
    ],
    "CREATE INDEX payouts_posting_to_sum ON payouts_posting (to_account_id, created_at) INCLUDE (amount_cents)",
    "CREATE INDEX payouts_posting_from_sum ON payouts_posting (from_account_id, created_at) INCLUDE (amount_cents)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS payouts_posting_from_sum",
    "DROP INDEX IF EXISTS payouts_posting_to_sum",
    *[f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}" for table in GUARDED],
    "DROP FUNCTION IF EXISTS payouts_ledger_append_only()",
]

SQLITE_FORWARD = [
    *[
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only: UPDATE on {table} refused'); END"
        for table in GUARDED
    ],
    *[
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"WHEN payouts_ledger_truncating('{table}') = 0 "
        f"BEGIN SELECT RAISE(ABORT, 'ledger rows are append-only: DELETE on {table} refused'); END"
        for table in GUARDED
    ],
    "CREATE INDEX payouts_posting_to_sum ON payouts_posting (to_account_id, created_at, amount_cents)",
    "CREATE INDEX payouts_posting_from_sum ON payouts_posting (from_account_id, created_at, amount_cents)",
]
SQLITE_BACKWARD = [
    "DROP INDEX IF EXISTS payouts_posting_from_sum",
    "DROP INDEX IF EXISTS payouts_posting_to_sum",
    *[f"DROP TRIGGER IF EXISTS {table}_no_update" for table in GUARDED],
    *[f"DROP TRIGGER IF EXISTS {table}_no_delete" for table in GUARDED],
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("payouts", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]

"""SQLite's half of the append-only guard (migration 0002 holds the triggers).

The SQLite delete triggers ask payouts_ledger_truncating(table) whether the running statement is a
full-table `DELETE FROM <table>`, SQLite's form of TRUNCATE, which Django's test flush issues: that
one is let through, exactly as PostgreSQL's row triggers let TRUNCATE through. Any DELETE of chosen
rows is refused. The statement text comes from the connection's trace callback, which SQLite calls
when a statement starts, before any trigger fires.
"""

import re

from django.db.backends.base.base import BaseDatabaseWrapper

_FULL_TABLE_DELETE = re.compile(r'^\s*DELETE\s+FROM\s+"?(?P<table>\w+)"?\s*;?\s*$', re.IGNORECASE)


def install_sqlite_guard(sender: type[BaseDatabaseWrapper], connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    """Register payouts_ledger_truncating() on a new SQLite connection (connection_created)."""
    if connection.vendor != "sqlite":
        return
    state = {"sql": ""}

    def trace(statement: str) -> None:
        # Statements run by triggers are reported as "-- TRIGGER name" comments.
        if not statement.startswith("--"):
            state["sql"] = statement

    def truncating(table: str) -> int:
        match = _FULL_TABLE_DELETE.match(state["sql"])
        return int(match is not None and match.group("table") == table)

    connection.connection.set_trace_callback(trace)
    connection.connection.create_function("payouts_ledger_truncating", 1, truncating)

"""The demo's SQLite database lets concurrent requests that read and then write wait their turn."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Any

from django.db.backends.sqlite3.base import DatabaseWrapper

from coop_platform.settings.base import SQLITE_OPTIONS


def _connection(path: Path, options: dict[str, Any]) -> DatabaseWrapper:
    settings = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": options,
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "TIME_ZONE": None,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }
    return DatabaseWrapper(settings, alias=f"demo-{id(options)}-{threading.get_ident()}")


def _read_then_write_together(path: Path, options: dict[str, Any]) -> list[Exception]:
    """Two requests each read a row and then update it, overlapping in time; return their errors."""
    setup = _connection(path, options)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS seen (id integer primary key, n integer)")
        cursor.execute("INSERT OR REPLACE INTO seen VALUES (1, 0)")
    setup.close()
    both_read = threading.Barrier(2, timeout=1)
    errors: list[Exception] = []

    def request() -> None:
        connection = _connection(path, {**options, "timeout": 2})
        try:
            # What transaction.atomic() does on SQLite: BEGIN (IMMEDIATE with the demo's options).
            connection.ensure_connection()
            connection._start_transaction_under_autocommit()
            with connection.cursor() as cursor:
                cursor.execute("SELECT n FROM seen WHERE id = 1")
                cursor.fetchone()
                # With the write lock taken at the start, the other request waits at BEGIN and
                # never reaches this point: this one goes on after the barrier's timeout.
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_read.wait()
                cursor.execute("UPDATE seen SET n = n + 1 WHERE id = 1")
            connection.commit()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_read_then_write_requests_both_succeed(tmp_path: Path, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        assert _read_then_write_together(tmp_path / "demo.sqlite3", SQLITE_OPTIONS) == []


def test_without_the_options_one_of_them_fails_at_once(tmp_path: Path, django_db_blocker: Any) -> None:
    # What the demo server did before: the second writer got "database is locked".
    with django_db_blocker.unblock():
        errors = _read_then_write_together(tmp_path / "plain.sqlite3", {"timeout": 20})
    assert [str(error) for error in errors] == ["database is locked"]

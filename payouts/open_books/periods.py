"""Closed accounting periods take no new postings: the ledger's posting hook calls `posting_refuse_closed`.

A period closes only once it has ended, so a posting dated now falls after every closed period;
only a backdated posting, or one still in flight when its year ended, can fall in one.

Closing and posting are serialised per year by a PostgreSQL advisory lock: every posting holds the
lock of its date's year shared (taken in the same statement that locks its accounts, so it costs no
round trip), and closing a year takes it exclusively. A close therefore waits for every posting of
that year in flight, and reads the accounts after they committed; a posting that waited for a close
checks the database after it (its clock is then past the year's end).

The check keeps the ledger's one-round-trip posting one round trip: it asks the database only for a
posting dated before the end of the latest closed period this process remembers (read at most once
a minute, and again when this process closes a period), or when the clock, read again after the
locks, is within `CLOCK_MARGIN` of the end of the posting's year or past it (the only time another
process can have closed that year; the margin covers clocks a little apart). The database's answer
decides, so a remembered period that no longer exists (a test's rolled-back close) refuses nothing.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

from django.db import connection
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.exceptions import Conflict
from payouts.open_books.exceptions import ErrorCode

REFRESH_SECONDS = 60.0
CLOCK_MARGIN = timedelta(minutes=10)
# The advisory lock's first key ("17": the open books); the second is the year.
PERIOD_LOCK_CLASS = 17_017
_latest: dict[str, float] = {"read_at": float("-inf"), "end_ordinal": 0.0}


def _latest_closed_end() -> int:
    from django.db.models import Max

    from payouts.open_books.models import AccountingPeriod

    now = time.monotonic()
    if now - _latest["read_at"] > REFRESH_SECONDS:
        end = AccountingPeriod.objects.filter(status=AccountingPeriod.Status.CLOSED).aggregate(end=Max("end"))["end"]
        # Keep the larger: a remembered later end only costs a query, a forgotten one a missed refusal.
        _latest["end_ordinal"] = max(_latest["end_ordinal"], float(end.toordinal()) if end else 0.0)
        _latest["read_at"] = now
    return int(_latest["end_ordinal"])


def forget_closed() -> None:
    """Read the closed periods again at the next posting (after this process closed one)."""
    _latest["read_at"] = float("-inf")


def closed_period_of(day: date) -> tuple[date, date] | None:
    """Return the [start, end) of the closed period that holds `day`, if any (from the database)."""
    from payouts.open_books.models import AccountingPeriod

    return (
        AccountingPeriod.objects.filter(status=AccountingPeriod.Status.CLOSED, start__lte=day, end__gt=day)
        .values_list("start", "end")
        .first()
    )


def lock_year(moment: datetime) -> int:
    """Return the year whose period lock a posting dated `moment` holds."""
    return timezone.localtime(moment).year


def period_lock_exclusive(year: int) -> None:
    """Wait for the postings of `year` in flight and keep new ones out until this transaction ends."""
    if connection.vendor != "postgresql":
        return  # SQLite runs one writing transaction at a time anyway.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [PERIOD_LOCK_CLASS, year])


def posting_refuse_closed(moment: datetime) -> None:
    """Refuse a posting dated in a closed period; corrections post in the open period instead.

    Call it with the period lock of `moment`'s year held (batch_post takes it with the accounts).
    """
    day = timezone.localtime(moment).date()
    if day.toordinal() >= _latest_closed_end() and timezone.localtime(timezone.now() + CLOCK_MARGIN).year == day.year:
        return
    closed = closed_period_of(day)
    if closed is not None:
        raise Conflict(
            _("The books up to and including %(last)s are closed: post the correction in the open period.")
            % {"last": date_format(closed[1] - timedelta(days=1), "DATE_FORMAT")},
            code=ErrorCode.PERIOD_CLOSED,
        )

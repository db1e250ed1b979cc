"""The monthly posting totals (PostingRollup): kept at posting time, read instead of the postings.

A row sums the postings of one local month between two accounts for one kind of event. batch_post
adds to it in the statement that inserts the postings (PostgreSQL) or right after (other databases),
while it holds the locks of both accounts, so two events never race for a row. Readers that need a
period's movement (a payout cycle, the open books, the trial balance) sum these rows for the whole
months of the period and the postings only for a partial month at either end.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Count, DateField, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from payouts.models import Posting, PostingRollup


def month_of(moment: datetime) -> date:
    """Return the first day of the moment's month in the site's time zone: a rollup row's month."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date().replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


class PeriodSplit(NamedTuple):
    """A period [start, end) of days as whole months read from the rollup and partial edges read from postings."""

    first_month: date | None
    end_month: date | None
    edges: tuple[tuple[datetime, datetime], ...]


def period_split(start: date, end: date) -> PeriodSplit:
    """Split [start, end) into the whole months inside it and the days before and after them."""
    first = start if start.day == 1 else next_month(start.replace(day=1))
    last = end.replace(day=1)
    if first >= last:
        return PeriodSplit(None, None, ((_midnight(start), _midnight(end)),))
    edges = []
    if start < first:
        edges.append((_midnight(start), _midnight(first)))
    if last < end:
        edges.append((_midnight(last), _midnight(end)))
    return PeriodSplit(first, last, tuple(edges))


_UPSERT_SQL = (
    "INSERT INTO payouts_postingrollup "
    "(month, from_account_id, to_account_id, kind, currency, amount_cents, postings) VALUES {rows} "
    "ON CONFLICT (month, from_account_id, to_account_id, kind) DO UPDATE SET "
    "amount_cents = payouts_postingrollup.amount_cents + excluded.amount_cents, "
    "postings = payouts_postingrollup.postings + excluded.postings"
)


def rollup_add(moment: datetime, kind: str, legs: Iterable[tuple[int, int, int, str]]) -> None:
    """Add a batch's postings (from id, to id, cents, currency) to their month's totals, in one statement.

    The path for databases other than PostgreSQL; there batch_post does this inside its one write.
    """
    totals: dict[tuple[int, int, str], list[int]] = {}
    for from_id, to_id, cents, currency in legs:
        entry = totals.setdefault((from_id, to_id, currency), [0, 0])
        entry[0] += cents
        entry[1] += 1
    if not totals:
        return
    month = month_of(moment)
    params: list[Any] = []
    for (from_id, to_id, currency), (cents, count) in totals.items():
        params += [month, from_id, to_id, kind, currency, cents, count]
    rows = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(totals))
    with connection.cursor() as cursor:
        # Only placeholders are formatted in; every value is a parameter.
        cursor.execute(_UPSERT_SQL.format(rows=rows), params)


# Rebuild every row from the postings (PostgreSQL): migration 0007 runs the same statement, and the
# benchmarks run it after loading postings with COPY.
REBUILD_SQL = """
INSERT INTO payouts_postingrollup (month, from_account_id, to_account_id, kind, currency, amount_cents, postings)
SELECT (date_trunc('month', p.created_at AT TIME ZONE %s))::date, p.from_account_id, p.to_account_id, b.kind,
       MIN(p.currency), SUM(p.amount_cents), COUNT(*)
FROM payouts_posting p JOIN payouts_batch b ON b.id = p.batch_id
GROUP BY 1, 2, 3, 4
"""


def rollup_rebuild() -> None:
    """Replace every rollup row by the sums of the postings (after a bulk load; the migration's job)."""
    from django.conf import settings

    PostingRollup.objects.all().delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(REBUILD_SQL, [settings.TIME_ZONE])
        return
    rows = _grouped_postings()
    PostingRollup.objects.bulk_create(
        PostingRollup(
            month=month,
            from_account_id=from_id,
            to_account_id=to_id,
            kind=kind,
            currency=currency,
            amount_cents=cents,
            postings=count,
        )
        for (month, from_id, to_id, kind), (currency, cents, count) in rows.items()
    )


Key = tuple[date, int, int, str]


def _grouped_postings() -> dict[Key, tuple[str, int, int]]:
    """Return the postings grouped as the rollup groups them: {(month, from, to, kind): (currency, cents, count)}."""
    rows = (
        Posting.objects.annotate(
            month=TruncMonth("created_at", output_field=DateField(), tzinfo=timezone.get_default_timezone())
        )
        .values_list("month", "from_account_id", "to_account_id", "batch__kind", "currency")
        .annotate(total=Sum("amount_cents"), count=Count("pk"))
        .order_by()
    )
    grouped: dict[Key, tuple[str, int, int]] = {}
    for month, from_id, to_id, kind, currency, total, count in rows:
        key = (month, from_id, to_id, kind)
        _currency, cents, number = grouped.get(key, (currency, 0, 0))
        grouped[key] = (currency, cents + total, number + count)
    return grouped


def rollup_discrepancies() -> list[str]:
    """Return every rollup row that differs from the postings it sums, and every sum without its row."""
    expected = _grouped_postings()
    stored = {
        (month, from_id, to_id, kind): (currency, cents, count)
        for month, from_id, to_id, kind, currency, cents, count in PostingRollup.objects.values_list(
            "month", "from_account_id", "to_account_id", "kind", "currency", "amount_cents", "postings"
        ).order_by()
    }
    problems = []
    for key in sorted(set(expected) | set(stored)):
        if expected.get(key) != stored.get(key):
            month, from_id, to_id, kind = key
            problems.append(
                f"monthly totals {month:%Y-%m} {kind} from account {from_id} to {to_id}: stored "
                f"{_describe(stored.get(key))}, the postings sum to {_describe(expected.get(key))}"
            )
    return problems


def _describe(entry: tuple[str, int, int] | None) -> str:
    if entry is None:
        return "nothing"
    currency, cents, count = entry
    return f"{cents} {currency} in {count} postings"


# The net movement of a period from one account to another, with what the readers need of both, as
# the statement's plain row: (from id, from purpose, from name, from user id, from beneficiary id,
# to id, to purpose, to name, to user id, to beneficiary id, cents). Readers unpack it by position:
# a period of 100,000 members has about 500,000 of them, and making each a named tuple cost more
# than the statement.
PairTotal = tuple[int, str, str, int | None, int | None, int, str, str, int | None, int | None, int]


_PAIRS_SQL = """
SELECT s.f, fa.purpose, fa.name, fa.user_id, fa.beneficiary_id,
       s.t, ta.purpose, ta.name, ta.user_id, ta.beneficiary_id, s.total
FROM (
    SELECT s.f, s.t, CAST(SUM(s.a) AS BIGINT) AS total FROM (
        {parts}
    ) AS s GROUP BY s.f, s.t
) AS s
JOIN payouts_account fa ON fa.id = s.f
JOIN payouts_account ta ON ta.id = s.t
"""
_ROLLUP_PART = (
    "SELECT from_account_id AS f, to_account_id AS t, amount_cents AS a FROM payouts_postingrollup "
    "WHERE currency = %s AND month >= %s AND month < %s"
)
_POSTING_PART = (
    "SELECT from_account_id AS f, to_account_id AS t, amount_cents AS a FROM payouts_posting "
    "WHERE currency = %s AND created_at >= %s AND created_at < %s"
)


def pair_totals(start: date, end: date, currency: str) -> list[PairTotal]:
    """Return the period's movement grouped by account pair, in one statement.

    Whole months come from the rollup (a few thousand rows a month), the days of a partial month
    at either end from the postings; the sum per pair is the same as over the period's postings.
    """
    split = period_split(start, end)
    parts: list[str] = []
    params: list[Any] = []
    if split.first_month is not None:
        parts.append(_ROLLUP_PART)
        params += [currency, split.first_month, split.end_month]
    for edge_start, edge_end in split.edges:
        parts.append(_POSTING_PART)
        params += [currency, edge_start, edge_end]
    # Only fixed fragments are formatted in; every value is a parameter.
    sql = _PAIRS_SQL.format(parts=" UNION ALL ".join(parts))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[PairTotal] = cursor.fetchall()
        return rows


def kind_totals(start: date, end: date, currency: str) -> list[tuple[int, int, str, int]]:
    """Return the period's movement per (from id, to id, kind) from the rollup: [start, end) in whole months."""
    rows = (
        PostingRollup.objects.filter(currency=currency, month__gte=start, month__lt=end)
        .values_list("from_account_id", "to_account_id", "kind")
        .annotate(total=Sum("amount_cents"))
        .order_by()
    )
    return [(from_id, to_id, kind, int(total)) for from_id, to_id, kind, total in rows]


def account_flows() -> tuple[dict[int, int], dict[int, int]]:
    """Return {account id: everything it ever received} and {account id: everything it ever gave}, from the rollup."""
    inflow = PostingRollup.objects.values_list("to_account_id").annotate(total=Sum("amount_cents")).order_by()
    outflow = PostingRollup.objects.values_list("from_account_id").annotate(total=Sum("amount_cents")).order_by()
    return {pk: int(total) for pk, total in inflow}, {pk: int(total) for pk, total in outflow}

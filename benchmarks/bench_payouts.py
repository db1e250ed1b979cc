"""Payout cycle benchmark on PostgreSQL: `python -m benchmarks.bench_payouts` (DATABASE_URL points at the server).

Creates its own database (coop_bench_payouts, dropped and re-created) and migrates it, bulk-loads
10,000 members and 1,000,000 ledger postings of last month (COPY, for set-up speed), then prints:
1. the full compute of a payout cycle (the surplus and every member basis from the ledger, the
   engine, 10,000 frozen allocation rows with their statements and the hash) next to a bare SQL
   aggregate of the same sums in the same run, with the ratio (target, issue 7: <= 1.5x);
2. the peak memory of the compute (tracemalloc, in a separate run so the timing is not slowed);
3. a check that every allocation adds up exactly: rows to class pots, pots to the pool, funds and
   pool to the distributable amount, cash plus retained to each member's part.
"""

from __future__ import annotations

import io
import json
import os
import random
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from unittest import mock
from urllib.parse import urlparse, urlunparse

BENCH_DB = os.environ.get("BENCH_PAYOUTS_DB", "coop_bench_payouts")
MEMBERS = int(os.environ.get("BENCH_PAYOUTS_MEMBERS", "10000"))
POSTINGS = int(os.environ.get("BENCH_PAYOUTS_POSTINGS", "1000000"))
# Five alternating runs of each: on a shared 2-core machine a single run of either side varies by
# 10% or more, and the median of five keeps one slow run from deciding the ratio.
REPEAT = int(os.environ.get("BENCH_PAYOUTS_REPEAT", "5"))


def _prepare_database() -> None:
    import psycopg2

    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        sys.exit("bench_payouts needs DATABASE_URL=postgres://... (PostgreSQL)")
    admin = psycopg2.connect(urlunparse(parsed._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        cursor.execute(f'CREATE DATABASE "{BENCH_DB}"')
    admin.close()
    os.environ["DATABASE_URL"] = urlunparse(parsed._replace(path=f"/{BENCH_DB}"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coop_platform.settings.base")
    os.environ["CELERY_BROKER_URL"] = ""


def _copy(cursor: object, table: str, columns: list[str], rows: list[tuple]) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if value is None else str(value) for value in row) + "\n")
    buffer.seek(0)
    cursor.copy_from(buffer, table, columns=columns)  # type: ignore[attr-defined]


def _period() -> tuple[date, date]:
    from django.utils import timezone

    end = timezone.localdate().replace(day=1)
    return (end - timedelta(days=1)).replace(day=1), end


def load(rng: random.Random) -> None:
    """Bulk-load members, accounts and postings straight into the tables."""
    from django.db import connection

    from payouts.cycles.selectors.sums import period_bounds

    start, end = period_bounds(*_period())
    span = (end - start).total_seconds() - 1
    now = datetime.now(UTC).isoformat()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        cursor.execute(
            "INSERT INTO membership_memberclass (name, slug, description, share_price_cents, currency, "
            "shares_required, votes, vote_weight, open_for_applications, created_at, updated_at) "
            "VALUES ('Worker', 'worker', '', 5000, 'EUR', 1, true, 1, true, now(), now()) RETURNING id"
        )
        class_id = cursor.fetchone()[0]
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM membership_user")
        first_user = cursor.fetchone()[0] + 1
        users = range(first_user, first_user + MEMBERS)
        cursor.execute(
            "SELECT column_name, is_nullable, column_default, data_type FROM information_schema.columns "
            "WHERE table_name = 'membership_user'"
        )
        user_columns = {name: (nullable, data_type) for name, nullable, _default, data_type in cursor.fetchall()}
        defaults = {"boolean": "false", "integer": "0", "bigint": "0", "smallint": "0", "jsonb": "{}"}
        values = {
            "id": None,
            "email": None,
            "password": "!",
            "display_name": None,
            "is_active": "true",
            "date_joined": now,
            "created_at": now,
            "updated_at": now,
        }
        columns = [c for c, (nullable, kind) in user_columns.items() if nullable == "NO" or c in values]
        rows = []
        for user_id in users:
            row = []
            for column in columns:
                _nullable, kind = user_columns[column]
                if column == "id":
                    row.append(user_id)
                elif column == "email":
                    row.append(f"member{user_id}@bench.example")
                elif column == "display_name":
                    row.append(f"Member {user_id}")
                elif column in values:
                    row.append(values[column])
                elif kind.startswith("timestamp"):
                    row.append(now)
                else:
                    row.append(defaults.get(kind, ""))
            rows.append(tuple(row))
        _copy(raw, "membership_user", columns, rows)
        members = [
            (
                user_id,
                class_id,
                index + 1,
                "active",
                1,
                (start - timedelta(days=rng.randint(30, 3000))).isoformat(),
                "",
                1,
                "",
                now,
                now,
            )
            for index, user_id in enumerate(users)
        ]
        _copy(
            raw,
            "membership_member",
            [
                "user_id",
                "member_class_id",
                "member_number",
                "status",
                "shares",
                "joined_at",
                "motivation",
                "application_round",
                "share_payment_reference",
                "created_at",
                "updated_at",
            ],
            members,
        )
        cursor.execute("SELECT setval(pg_get_serial_sequence('membership_user', 'id'), %s)", [users[-1]])

        # Accounts: fee income, an expense account, provider clearing, each freelancer's payable,
        # and one escrow account per contract between a client and a freelancer.
        freelancers = list(users[: MEMBERS * 6 // 10])
        clients = list(users[MEMBERS * 6 // 10 :])
        contracts = [(rng.choice(clients), rng.choice(freelancers)) for _ in range(20_000)]
        accounts = [
            ("fee_income", "", "", "", None, None, "f"),
            ("expense", "", "", "hosting", None, None, "f"),
            ("provider_clearing", "provider", "bank_transfer", "", None, None, "t"),
        ]
        accounts += [("payable", "user", str(u), "", u, None, "f") for u in freelancers]
        accounts += [("escrow", "contract", str(i), "", c, f, "f") for i, (c, f) in enumerate(contracts)]
        _copy(
            raw,
            "payouts_account",
            [
                "purpose",
                "owner_type",
                "owner_id",
                "name",
                "user_id",
                "beneficiary_id",
                "allow_negative",
                "currency",
                "created_at",
            ],
            [(*a, "EUR", now) for a in accounts],
        )
        cursor.execute("SELECT purpose, owner_id, name, id FROM payouts_account")
        ids = {(purpose, owner, name): pk for purpose, owner, name, pk in cursor.fetchall()}
        fees, clearing = ids[("fee_income", "", "")], ids[("provider_clearing", "bank_transfer", "")]
        expense = ids[("expense", "", "hosting")]

        # A milestone is three postings: fund the escrow, pay the freelancer, take the fee.
        milestones = POSTINGS // 3
        batches, postings = [], []
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM payouts_batch")
        batch_id = cursor.fetchone()[0]
        for m in range(milestones):
            contract = rng.randrange(len(contracts))
            escrow = ids[("escrow", str(contract), "")]
            payable = ids[("payable", str(contracts[contract][1]), "")]
            amount = rng.randint(5_000, 500_000)
            fee = amount // 10
            at = (start + timedelta(seconds=rng.uniform(0, span))).isoformat()
            batch_id += 1
            batches.append((batch_id, f"bench:{m}", "escrow_release", "", at, "{}"))
            postings += [
                (batch_id, clearing, escrow, amount, "EUR", at),
                (batch_id, escrow, payable, amount - fee, "EUR", at),
                (batch_id, escrow, fees, fee, "EUR", at),
            ]
        for e in range(POSTINGS - 3 * milestones):
            at = (start + timedelta(seconds=rng.uniform(0, span))).isoformat()
            batch_id += 1
            batches.append((batch_id, f"bench:expense:{e}", "expense", "", at, "{}"))
            postings.append((batch_id, fees, expense, rng.randint(100, 10_000), "EUR", at))
        _copy(raw, "payouts_batch", ["id", "idempotency_key", "kind", "memo", "created_at", "data"], batches)
        _copy(
            raw,
            "payouts_posting",
            ["batch_id", "from_account_id", "to_account_id", "amount_cents", "currency", "created_at"],
            postings,
        )
        cursor.execute("SELECT setval(pg_get_serial_sequence('payouts_batch', 'id'), %s)", [batch_id])
        cursor.execute("ANALYZE")


# Every input the compute reads, as plain SQL: the same sums (provider costs apart from other
# expenses, as the cycle records them) and the members whose equal and years bases it needs.
BARE_SQL = [
    # The surplus: fee income in and back, expenses and provider costs, net of reversals.
    """SELECT
         COALESCE(SUM(p.amount_cents) FILTER (WHERE t.purpose = 'fee_income'
             AND f.purpose IN ('escrow', 'provider_clearing', 'suspense')), 0),
         COALESCE(SUM(p.amount_cents) FILTER (WHERE f.purpose = 'fee_income'
             AND t.purpose IN ('escrow', 'provider_clearing', 'suspense')), 0),
         COALESCE(SUM(p.amount_cents) FILTER (WHERE t.purpose = 'expense' AND f.purpose = 'fee_income'
             AND t.name <> %(provider)s), 0),
         COALESCE(SUM(p.amount_cents) FILTER (WHERE f.purpose = 'expense' AND t.purpose = 'fee_income'
             AND f.name <> %(provider)s), 0),
         COALESCE(SUM(p.amount_cents) FILTER (WHERE t.purpose = 'expense' AND f.purpose = 'fee_income'
             AND t.name = %(provider)s), 0),
         COALESCE(SUM(p.amount_cents) FILTER (WHERE f.purpose = 'expense' AND t.purpose = 'fee_income'
             AND f.name = %(provider)s), 0)
       FROM payouts_posting p JOIN payouts_account f ON f.id = p.from_account_id
       JOIN payouts_account t ON t.id = p.to_account_id
       WHERE p.currency = 'EUR' AND p.created_at >= %(start)s AND p.created_at < %(end)s""",
    # Net fees per freelancer and per client.
    """SELECT CASE WHEN f.purpose = 'escrow' THEN f.beneficiary_id ELSE t.beneficiary_id END,
              SUM(CASE WHEN f.purpose = 'escrow' THEN p.amount_cents ELSE -p.amount_cents END)
       FROM payouts_posting p JOIN payouts_account f ON f.id = p.from_account_id
       JOIN payouts_account t ON t.id = p.to_account_id
       WHERE p.currency = 'EUR' AND p.created_at >= %(start)s AND p.created_at < %(end)s
         AND ((f.purpose = 'escrow' AND t.purpose = 'fee_income')
              OR (f.purpose = 'fee_income' AND t.purpose = 'escrow'))
       GROUP BY 1""",
    """SELECT CASE WHEN f.purpose = 'escrow' THEN f.user_id ELSE t.user_id END,
              SUM(CASE WHEN f.purpose = 'escrow' THEN p.amount_cents ELSE -p.amount_cents END)
       FROM payouts_posting p JOIN payouts_account f ON f.id = p.from_account_id
       JOIN payouts_account t ON t.id = p.to_account_id
       WHERE p.currency = 'EUR' AND p.created_at >= %(start)s AND p.created_at < %(end)s
         AND ((f.purpose = 'escrow' AND t.purpose = 'fee_income')
              OR (f.purpose = 'fee_income' AND t.purpose = 'escrow'))
       GROUP BY 1""",
    # Earnings per freelancer.
    """SELECT CASE WHEN f.purpose = 'escrow' THEN t.user_id ELSE f.user_id END,
              SUM(CASE WHEN f.purpose = 'escrow' THEN p.amount_cents ELSE -p.amount_cents END)
       FROM payouts_posting p JOIN payouts_account f ON f.id = p.from_account_id
       JOIN payouts_account t ON t.id = p.to_account_id
       WHERE p.currency = 'EUR' AND p.created_at >= %(start)s AND p.created_at < %(end)s
         AND ((f.purpose = 'escrow' AND t.purpose = 'payable') OR (f.purpose = 'payable' AND t.purpose = 'escrow'))
       GROUP BY 1""",
    # The members sharing in the cycle, with the day they joined.
    """SELECT id, user_id, joined_at FROM membership_member
       WHERE status = 'active' AND joined_at < %(end)s ORDER BY id""",
]


def bare_aggregate() -> float:
    from django.db import connection

    from payouts.cycles.selectors.sums import period_bounds
    from payouts.ledger import PROVIDER_FEES_CATEGORY

    start, end = period_bounds(*_period())
    params = {"start": start, "end": end, "provider": PROVIDER_FEES_CATEGORY}
    began = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in BARE_SQL:
            cursor.execute(sql, params)
            cursor.fetchall()
    return time.perf_counter() - began


def compute_once(cycle_id: int, staff: object) -> float:
    from django.db import connection

    from payouts.cycles.models import CycleAllocation
    from payouts.cycles.services import cycle_compute, cycle_compute_start

    with mock.patch("payouts.cycles.services.cycles._enqueue"):
        cycle_compute_start(cycle_id=cycle_id, actor=staff)
    # Starting again deletes the previous run's 10,000 rows. Vacuum them away, as autovacuum
    # would between a real cycle's computes (it may be off on a development server): otherwise
    # every repeat inserts past one more dead version of each (cycle, member) key in the unique
    # index, and the later runs time the benchmark's own leftovers rather than the compute.
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {connection.ops.quote_name(CycleAllocation._meta.db_table)}")
    began = time.perf_counter()
    cycle = cycle_compute(cycle_id=cycle_id)
    elapsed = time.perf_counter() - began
    assert cycle.status == "computed", (cycle.status, cycle.failure_reason)
    return elapsed


def check_sums(cycle_id: int) -> list[str]:
    from django.db.models import F, Sum

    from payouts.cycles.models import CycleAllocation, PayoutCycle

    cycle = PayoutCycle.objects.get(pk=cycle_id)
    problems = []
    rows = CycleAllocation.objects.filter(cycle=cycle)
    if rows.exclude(allocated_cents=F("cash_cents") + F("retained_cents")).exists():
        problems.append("a member's cash and retained parts do not add up to their part")
    if (rows.aggregate(total=Sum("allocated_cents"))["total"] or 0) != cycle.patronage_pool_cents:
        problems.append("the members' parts do not add up to the pool")
    if sum(pot["cents"] for pot in cycle.class_pots) != cycle.patronage_pool_cents:
        problems.append("the class pots do not add up to the pool")
    funds = cycle.funds.aggregate(total=Sum("amount_cents"))["total"] or 0
    if funds + cycle.patronage_pool_cents != cycle.distributable_cents:
        problems.append("the funds and the pool do not add up to the distributable amount")
    per_class = [0] * len(cycle.class_pots)
    for member_id, allocated, parts in rows.values_list("member_id", "allocated_cents", "parts").iterator(
        chunk_size=2000
    ):
        for index, cents in enumerate(parts):
            per_class[index] += cents or 0
        if sum(cents or 0 for cents in parts) != allocated:
            problems.append(f"member {member_id}: class parts do not add up")
    for pot, total in zip(cycle.class_pots, per_class, strict=True):
        if total != pot["cents"]:
            problems.append(f"class {pot['name']}: members' parts do not add up to the pot")
    return problems


def main() -> None:
    _prepare_database()
    import django

    django.setup()
    from django.core.management import call_command

    from membership.models import User
    from payouts.cycles.demo import DEFAULT_POLICY
    from payouts.cycles.services import cycle_open, surplus_policy_adopt

    print(f"bench_payouts: database {BENCH_DB}, {MEMBERS:,} members, {POSTINGS:,} postings")
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    load(random.Random(2026))
    print(f"  set-up (bulk COPY)                  {time.perf_counter() - began:8.1f} s")
    staff = User.objects.create(email="bench-admin@bench.example", is_staff=True)
    surplus_policy_adopt(data=DEFAULT_POLICY, actor=None)
    start, end = _period()
    cycle = cycle_open(period_start=start, period_end=end, actor=staff)

    bare_aggregate()  # warm the cache and the plans
    computes, bares = [], []
    for _ in range(REPEAT):
        computes.append(compute_once(cycle.pk, staff))
        bares.append(bare_aggregate())
    compute, bare = statistics.median(computes), statistics.median(bares)
    ratio = compute / bare
    spread = f"(runs {min(computes):.3f}-{max(computes):.3f} s)"
    print(f"  full compute (median of {REPEAT})         {compute:8.3f} s   {spread}")
    spread = f"(runs {min(bares):.3f}-{max(bares):.3f} s)"
    print(f"  bare SQL aggregate (median of {REPEAT})   {bare:8.3f} s   {spread}")
    print(f"  ratio                               {ratio:8.2f}x   (target <= 1.5x)")

    tracemalloc.start()
    compute_once(cycle.pk, staff)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"  peak Python memory in compute       {peak / 2**20:8.1f} MiB (tracemalloc); process peak RSS {rss:.0f} MiB"
    )
    problems = check_sums(cycle.pk)
    print(f"  allocations add up exactly          {'yes' if not problems else 'NO: ' + '; '.join(problems[:5])}")
    print(
        json.dumps(
            {
                "compute_s": compute,
                "bare_s": bare,
                "ratio": ratio,
                "peak_mib": peak / 2**20,
                "rss_mib": rss,
                "exact": not problems,
            }
        )
    )
    if problems or ratio > 1.5:
        sys.exit(1)


if __name__ == "__main__":
    main()

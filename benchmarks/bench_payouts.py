"""Payout cycle benchmark on PostgreSQL: `python -m benchmarks.bench_payouts` (DATABASE_URL points at the server).

For each size (members x postings; default 10k x 1M, 100k x 1M and 10k x 5M, or `--sizes 10k:1M`)
it creates its own database (coop_bench_payouts, dropped and re-created), migrates it, bulk-loads
the members and last month's postings (COPY, for set-up speed), builds the monthly posting totals
as migration 0007 does, and prints, with the load average next to the figures:
1. the full compute of a payout cycle (`cycle_compute`: the period read once, the surplus and every
   member basis, the engine, the frozen member rows and the hash);
2. the strongest baseline we could write for the same result, in the same run, interleaved: ONE SQL
   statement grouping the period's postings by account pair (joined to both accounts), the
   surplus and the four bases derived from it, the largest-remainder splits in plain Python, and
   the member rows written with COPY into the same table; the ratio compute / baseline (target,
   issue 18: <= 1.5x). The same baseline reading the monthly totals instead of the postings is
   printed too, as the strongest SQL once those totals exist;
3. the parallel-scan floor: one SUM over the period's postings, the least any scan of them costs;
4. a check that the compute and the baseline give every member the same cents, and that every
   allocation adds up exactly;
5. at the first size, the open-books page (a member's view of the year) next to the home page
   (issue 18: within 2x), each the median of a number of requests on one connection.
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
from typing import Any
from unittest import mock

from benchmarks._common import fresh_database, load_average, settle_like_a_worker

BENCH_DB = os.environ.get("BENCH_PAYOUTS_DB", "coop_bench_payouts")
MEMBERS = int(os.environ.get("BENCH_PAYOUTS_MEMBERS", "10000"))
POSTINGS = int(os.environ.get("BENCH_PAYOUTS_POSTINGS", "1000000"))
# Alternating runs of each side: on a shared 2-core machine a single run of either varies by 10%
# or more, and the median keeps one slow run from deciding the ratio.
REPEAT = int(os.environ.get("BENCH_PAYOUTS_REPEAT", "3"))
DEFAULT_SIZES = "10k:1M,100k:1M,10k:5M"
PAGE_REQUESTS = int(os.environ.get("BENCH_PAYOUTS_PAGE_REQUESTS", "15"))


def _count(text: str) -> int:
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * scale)


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
        contracts = [(rng.choice(clients), rng.choice(freelancers)) for _ in range(max(20_000, MEMBERS * 2))]
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
                "running_balance_cents",
            ],
            [(*a, "EUR", now, 0) for a in accounts],
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
    # What migration 0007 does for postings made before it (batch_post keeps them from then on).
    from payouts.ledger.rollup import rollup_rebuild

    rollup_rebuild()
    with connection.cursor() as cursor:
        # The running balances as migration 0006 sets them (here from the totals just built).
        cursor.execute(
            "UPDATE payouts_account a SET running_balance_cents = m.balance FROM ("
            " SELECT id, SUM(d) AS balance FROM ("
            "  SELECT to_account_id AS id, amount_cents AS d FROM payouts_postingrollup"
            "  UNION ALL SELECT from_account_id, -amount_cents FROM payouts_postingrollup) AS x GROUP BY id"
            ") AS m WHERE a.id = m.id"
        )
        cursor.execute("VACUUM ANALYZE")


# The baseline: ONE statement grouping the period's postings by account pair, with what the bases
# need of both accounts; everything else is plain Python over its few thousand rows.
PAIRS_FROM_POSTINGS = """
SELECT f.purpose, f.name, f.user_id, f.beneficiary_id, t.purpose, t.name, t.user_id, t.beneficiary_id, s.total
FROM (SELECT from_account_id, to_account_id, SUM(amount_cents)::bigint AS total FROM payouts_posting
      WHERE currency = 'EUR' AND created_at >= %(start)s AND created_at < %(end)s GROUP BY 1, 2) AS s
JOIN payouts_account f ON f.id = s.from_account_id JOIN payouts_account t ON t.id = s.to_account_id
"""
# The same from the monthly totals (the period is a whole month).
PAIRS_FROM_TOTALS = """
SELECT f.purpose, f.name, f.user_id, f.beneficiary_id, t.purpose, t.name, t.user_id, t.beneficiary_id, s.total
FROM (SELECT from_account_id, to_account_id, SUM(amount_cents)::bigint AS total FROM payouts_postingrollup
      WHERE currency = 'EUR' AND month >= %(first)s AND month < %(last)s GROUP BY 1, 2) AS s
JOIN payouts_account f ON f.id = s.from_account_id JOIN payouts_account t ON t.id = s.to_account_id
"""
MEMBERS_SQL = """SELECT id, user_id, joined_at FROM membership_member
WHERE status = 'active' AND joined_at < %(end)s ORDER BY id"""
FLOOR_SQL = """SELECT SUM(amount_cents) FROM payouts_posting
WHERE currency = 'EUR' AND created_at >= %(start)s AND created_at < %(end)s"""
INCOME = {"escrow", "provider_clearing", "suspense"}
# DEFAULT_POLICY: funds 20/5/5, pool 70; classes 60 net fees, 20 earnings, 15 equal, 5 years; cash 20%.
FUND_PERCENTS = [20, 5, 5, 70]
CLASS_PERCENTS = [60, 20, 15, 5]
CLASS_BASES = ["net_fees", "earnings", "equal", "years"]


def _split(total: int, weights: list[int]) -> list[int]:
    """Largest remainder: floors, then a cent each to the largest remainders (ties: larger weight, first)."""
    whole = sum(weights)
    parts, remainders = [], []
    for weight in weights:
        part, remainder = divmod(total * weight, whole)
        parts.append(part)
        remainders.append(remainder)
    order = sorted(zip([-r for r in remainders], [-w for w in weights], range(len(weights)), strict=True))
    for _r, _w, index in order[: total - sum(parts)]:
        parts[index] += 1
    return parts


def _array(values: list[Any]) -> str:
    return "{" + ",".join("NULL" if value is None else str(value) for value in values) + "}"


def baseline(cycle_id: int, *, from_totals: bool) -> float:
    """Compute the same allocation as cycle_compute by hand and write its rows; return the seconds."""
    import csv

    from django.db import connection

    from payouts.cycles.selectors.sums import period_bounds

    first, last = _period()
    start, end = period_bounds(first, last)
    params = {"start": start, "end": end, "first": first, "last": last}
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(PAIRS_FROM_TOTALS if from_totals else PAIRS_FROM_POSTINGS, params)
        pairs = cursor.fetchall()
        cursor.execute(MEMBERS_SQL, params)
        members = cursor.fetchall()
    surplus = 0
    net_fees: dict[int, int] = {}
    earnings: dict[int, int] = {}
    for fp, _fname, fuser, fbenef, tp, _tname, tuser, tbenef, cents in pairs:
        if tp == "fee_income" and fp in INCOME:
            surplus += cents
        elif fp == "fee_income" and (tp in INCOME or tp == "expense"):
            surplus -= cents
        elif fp == "expense" and tp == "fee_income":
            surplus += cents
        if fp == "escrow" and tp == "fee_income":
            for who in (fbenef, fuser):
                if who is not None:
                    net_fees[who] = net_fees.get(who, 0) + cents
        elif fp == "fee_income" and tp == "escrow":
            for who in (tbenef, tuser):
                if who is not None:
                    net_fees[who] = net_fees.get(who, 0) - cents
        elif fp == "escrow" and tp == "payable" and tuser is not None:
            earnings[tuser] = earnings.get(tuser, 0) + cents
        elif fp == "payable" and tp == "escrow" and fuser is not None:
            earnings[fuser] = earnings.get(fuser, 0) - cents
    weights_by_basis = {
        "net_fees": [(m, net_fees.get(u, 0)) for m, u, _j in members],
        "earnings": [(m, earnings.get(u, 0)) for m, u, _j in members],
        "equal": [(m, 1) for m, _u, _j in members],
        "years": [(m, (end - joined).days) for m, _u, joined in members],
    }
    pool = _split(max(surplus, 0), FUND_PERCENTS)[-1]
    parts: dict[int, list[int | None]] = {}
    weights: dict[int, list[str | None]] = {}
    for index, (basis, pot) in enumerate(zip(CLASS_BASES, _split(pool, CLASS_PERCENTS), strict=True)):
        entries = [(m, w) for m, w in weights_by_basis[basis] if w > 0]
        for (member, weight), cents in zip(entries, _split(pot, [w for _m, w in entries]), strict=True):
            if member not in parts:
                parts[member] = [None] * len(CLASS_BASES)
                weights[member] = [None] * len(CLASS_BASES)
            parts[member][index] = cents
            weights[member][index] = str(weight)
    buffer = io.StringIO()
    rows = []
    for member, member_parts in parts.items():
        allocated = sum(cents for cents in member_parts if cents is not None)
        cash = -(-allocated * 20 // 100)
        arrays = (_array(weights[member]), _array(member_parts))
        rows.append((cycle_id, member, allocated, cash, allocated - cash, *arrays, "f", "f"))
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            "COPY payout_cycles_cycleallocation (cycle_id, member_id, allocated_cents, cash_cents, retained_cents, "
            "weights, parts, retained_done, cash_done) FROM STDIN WITH (FORMAT csv)",
            buffer,
        )
    return time.perf_counter() - began


def baseline_reset(cycle_id: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM payout_cycles_cycleallocation WHERE cycle_id = %s", [cycle_id])
        cursor.execute("VACUUM payout_cycles_cycleallocation")


def scan_floor() -> float:
    from django.db import connection

    from payouts.cycles.selectors.sums import period_bounds

    start, end = period_bounds(*_period())
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, {"start": start, "end": end})
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


def same_cents(cycle_id: int, other_id: int) -> list[str]:
    """Return the members whose cents differ between the compute's rows and the baseline's."""
    from payouts.cycles.models import CycleAllocation

    def rows(pk: int) -> dict[int, tuple]:
        values = CycleAllocation.objects.filter(cycle_id=pk).values_list(
            "member_id", "allocated_cents", "cash_cents", "retained_cents", "parts"
        )
        return {member: tuple(rest) for member, *rest in values.iterator(chunk_size=5000)}

    mine, theirs = rows(cycle_id), rows(other_id)
    if len(mine) != len(theirs):
        return [f"{len(mine)} rows against {len(theirs)}"]
    return [f"member {m}: {mine[m]} against {theirs.get(m)}" for m in mine if mine[m] != theirs.get(m)]


def pages(member_email: str) -> tuple[float, float]:
    """Return the median seconds of the home page and the open-books page for a member."""
    from django.test import Client
    from django.urls import reverse

    from membership.models import User

    print(f"  {settle_like_a_worker()}")
    client = Client()
    client.force_login(User.objects.get(email=member_email))
    timings: dict[str, list[float]] = {"home": [], "books": []}
    urls = {"home": "/", "books": reverse("payouts:open_books")}
    for url in urls.values():
        response = client.get(url)  # warm up: templates, translations, the plans
        assert response.status_code == 200, (url, response.status_code)
    for _ in range(PAGE_REQUESTS):
        for name, url in urls.items():
            began = time.perf_counter()
            response = client.get(url)
            timings[name].append(time.perf_counter() - began)
            assert response.status_code == 200
    return statistics.median(timings["home"]), statistics.median(timings["books"])


def run_one(with_pages: bool) -> dict[str, object]:
    fresh_database(BENCH_DB, "bench_payouts")
    import django

    django.setup()
    from django.core.management import call_command

    from membership.models import User
    from payouts.cycles.demo import DEFAULT_POLICY
    from payouts.cycles.models import PayoutCycle
    from payouts.cycles.services import cycle_open, surplus_policy_adopt

    print(f"bench_payouts: {MEMBERS:,} members x {POSTINGS:,} postings (database {BENCH_DB}), {load_average()}")
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    load(random.Random(2026))
    print(f"  set-up (bulk COPY, monthly totals)  {time.perf_counter() - began:8.1f} s")
    from django.contrib.auth.models import Group

    staff = User.objects.create(email="bench-admin@bench.example", is_staff=True)
    staff.groups.add(Group.objects.get_or_create(name="finance")[0])
    surplus_policy_adopt(data=DEFAULT_POLICY, actor=None)
    start, end = _period()
    cycle = cycle_open(period_start=start, period_end=end, actor=staff)
    # The baseline writes its rows under a cycle of its own, into the same table.
    other = PayoutCycle.objects.create(
        policy=cycle.policy, period_start=date(2000, 1, 1), period_end=date(2000, 2, 1), currency="EUR"
    )

    scan_floor()  # warm the cache and the plans
    baseline(other.pk, from_totals=False)
    baseline_reset(other.pk)
    computes, bases, totals, floors = [], [], [], []
    for _ in range(REPEAT):
        computes.append(compute_once(cycle.pk, staff))
        bases.append(baseline(other.pk, from_totals=False))
        baseline_reset(other.pk)
        totals.append(baseline(other.pk, from_totals=True))
        baseline_reset(other.pk)
        floors.append(scan_floor())
    baseline(other.pk, from_totals=False)
    load_now = load_average()
    compute, base, total, floor = (statistics.median(x) for x in (computes, bases, totals, floors))

    def spread(values: list[float]) -> str:
        return f"(runs {min(values):.3f}-{max(values):.3f} s)"

    print(f"  full compute (median of {REPEAT})        {compute:8.3f} s   {spread(computes)}")
    print(f"  baseline, one pass over postings    {base:8.3f} s   {spread(bases)}")
    print(f"  baseline, one pass over the totals  {total:8.3f} s   {spread(totals)}")
    print(f"  parallel-scan floor (one SUM)       {floor:8.3f} s   {spread(floors)}")
    print(f"  compute / baseline over postings    {compute / base:8.2f}x   (target <= 1.5x)")
    print(f"  compute / baseline over the totals  {compute / total:8.2f}x")
    print(f"  {load_now}")
    differ = same_cents(cycle.pk, other.pk)
    problems = check_sums(cycle.pk)
    print(f"  same cents as the baseline          {'yes' if not differ else 'NO: ' + '; '.join(differ[:3])}")
    print(f"  allocations add up exactly          {'yes' if not problems else 'NO: ' + '; '.join(problems[:5])}")
    result: dict[str, object] = {
        "members": MEMBERS,
        "postings": POSTINGS,
        "compute_s": compute,
        "baseline_s": base,
        "baseline_totals_s": total,
        "floor_s": floor,
        "ratio": compute / base,
        "ratio_totals": compute / total,
        "load": os.getloadavg(),
        "same": not differ,
        "exact": not problems,
    }
    if with_pages:
        home, books = pages(f"member{staff.pk - MEMBERS}@bench.example")
        print(f"  home page (median of {PAGE_REQUESTS})          {home * 1000:8.1f} ms")
        print(f"  open books page (median of {PAGE_REQUESTS})    {books * 1000:8.1f} ms")
        print(f"  open books / home                   {books / home:8.2f}x   (target <= 2x)   {load_average()}")
        result.update(home_ms=home * 1000, books_ms=books * 1000, books_ratio=books / home)
    if with_memory := os.environ.get("BENCH_PAYOUTS_MEMORY"):
        del with_memory
        tracemalloc.start()
        compute_once(cycle.pk, staff)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  peak Python memory in compute       {peak / 2**20:8.1f} MiB (tracemalloc)")
    print(json.dumps(result))
    return result


def main() -> None:
    """Run each size in a process of its own (a fresh database and Django set-up per size)."""
    import argparse
    import subprocess

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="members:postings,... (default %(default)s)")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pages", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_one(args.pages)
        return
    failed = False
    for index, size in enumerate(args.sizes.split(",")):
        members, postings = size.split(":")
        env = {
            **os.environ,
            "BENCH_PAYOUTS_MEMBERS": str(_count(members)),
            "BENCH_PAYOUTS_POSTINGS": str(_count(postings)),
        }
        command = [sys.executable, "-m", "benchmarks.bench_payouts", "--one", *(["--pages"] if index == 0 else [])]
        failed |= subprocess.run(command, env=env, check=False).returncode != 0
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()

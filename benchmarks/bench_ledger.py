"""Ledger benchmark on PostgreSQL: `python -m benchmarks.bench_ledger` (DATABASE_URL points at the server).

Creates its own database (coop_bench_ledger, dropped and re-created), migrates it, then prints:
1. money events per second through the ledger services (locking, floor check, audit row) next to
   the same work in hand-written SQL, with the ratio: statement by statement in one transaction
   (lock both accounts and read their running balances, check the floor, insert the batch, posting
   and audit row, move the balances), and as one prepared statement (printed for information);
   `BENCH_LEDGER_PARTS=events` runs only this part;
2. bulk posting throughput, ORM bulk_create next to psycopg2 execute_values of the same rows;
3. account-balance and per-period sums over 1,000,000 postings through the ledger's selectors next
   to the same SQL written by hand, with the ratio (the median of repeated runs).
Targets (issue 3, issue 18): sums within 2x of bare SQL; events with locking (which lock every account
they touch and move its running balance) at >= 1/2 of the bare insert rate. The load average is
printed at the start and the end, since the machine may be shared.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from benchmarks._common import fresh_database, load_average

BENCH_DB = os.environ.get("BENCH_LEDGER_DB", "coop_bench_ledger")
EVENTS = int(os.environ.get("BENCH_LEDGER_EVENTS", "2000"))
POSTINGS = int(os.environ.get("BENCH_LEDGER_POSTINGS", "1000000"))
ACCOUNTS = 1000
CHUNK = 10_000
# Which parts to run: "events", "bulk", "sums" (sums needs bulk's postings), comma-separated.
PARTS = set(os.environ.get("BENCH_LEDGER_PARTS", "events,bulk,sums").split(","))


def _median_seconds(fn: Callable[[], object], repeat: int = 15) -> float:
    fn()  # warm the cache and the plan
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _line(label: str, ours: float, bare: float, unit: str, higher_is_better: bool) -> dict[str, float]:
    ratio = ours / bare if bare else float("nan")
    verdict = f"{ratio:.2f}x of bare" if higher_is_better else f"{ratio:.2f}x bare time"
    print(f"  {label:<44} ledger {ours:>12,.2f} {unit:<10} bare {bare:>12,.2f} {unit:<10} {verdict}")
    return {"ours": ours, "bare": bare, "ratio": ratio}


# The bare side of a money event, written by hand as one would without the ledger: in one
# transaction, lock both accounts in id order and read their running balances, check the floor,
# insert the batch, its posting and the audit row, and move both running balances. It leaves out
# what the ledger adds on top (the idempotency check, the year's period lock, the monthly totals).
_BARE_LOCK_SQL = "SELECT id, running_balance_cents FROM payouts_account WHERE id IN (%s, %s) ORDER BY id FOR UPDATE"
_BARE_MOVE_SQL = (
    "UPDATE payouts_account SET running_balance_cents = running_balance_cents "
    "+ CASE id WHEN %s THEN %s WHEN %s THEN %s END WHERE id IN (%s, %s)"
)
# The same work as one statement in autocommit (one round trip, planned once): the floor under
# which no hand-written version goes. Printed for information; the target is against the above.
_FLOOR_SQL = """
PREPARE bench_floor (bigint, bigint, text, timestamptz, bigint) AS
WITH l AS (
    SELECT id, running_balance_cents FROM payouts_account WHERE id IN ($1, $2) ORDER BY id FOR UPDATE
), b AS (
    INSERT INTO payouts_batch (idempotency_key, kind, memo, created_at, data)
    SELECT $3, 'fund_allocate', '', $4, '{}'::jsonb WHERE (SELECT running_balance_cents FROM l WHERE id = $1) >= $5
    RETURNING id
), p AS (
    INSERT INTO payouts_posting (batch_id, from_account_id, to_account_id, amount_cents, currency, created_at)
    SELECT b.id, $1, $2, $5, 'EUR', $4 FROM b
), u AS (
    UPDATE payouts_account SET running_balance_cents = running_balance_cents
        + CASE payouts_account.id WHEN $1 THEN -$5 ELSE $5 END
    FROM b WHERE payouts_account.id IN ($1, $2)
), e AS (
    INSERT INTO core_auditevent (action, target_type, target_id, data, created_at)
    SELECT 'ledger.fund_allocate', 'payouts.batch', b.id::text, '{}'::jsonb, $4 FROM b
)
SELECT id FROM b
"""


def bench_events(results: dict) -> None:
    from django.db import connection, transaction

    from payouts import ledger
    from payouts.ledger.posting import fee_income_account, fund_account

    income = fee_income_account("EUR")
    fund = fund_account("reserve", "EUR")
    ledger.income_record(
        amount_cents=10**12, currency="EUR", provider="bank_transfer", memo="", actor=None, key="bench:seed"
    )
    now = datetime.now(UTC)
    statements = {"ours": 0, "nested": 0, "bare": 0, "inserts": 0, "floor": 0}

    def counting(side: str) -> Callable[..., object]:
        def wrapper(execute: Callable[..., object], sql: str, params: object, many: bool, context: object) -> object:
            statements[side] += 1
            return execute(sql, params, many, context)

        return wrapper

    def ours_round(first: int, last: int) -> float:
        start = time.perf_counter()
        with connection.execute_wrapper(counting("ours")):
            for i in range(first, last):
                ledger.fund_allocate(
                    fund="reserve", amount_cents=1 + i % 97, currency="EUR", key=f"bench:event:{i}", actor=None
                )
        return time.perf_counter() - start

    def nested_round(first: int, last: int) -> float:
        # As a service calls it: inside the service's own transaction.
        start = time.perf_counter()
        with connection.execute_wrapper(counting("nested")):
            for i in range(first, last):
                with transaction.atomic():
                    ledger.fund_allocate(
                        fund="reserve", amount_cents=1 + i % 97, currency="EUR", key=f"bench:nested:{i}", actor=None
                    )
        return time.perf_counter() - start

    def bare_round(first: int, last: int, locking: bool = True) -> float:
        # locking=False: the rows alone (batch, posting, audit row), as this benchmark's bare side was
        # before issue 18: no lock, no floor check, no balances. Printed so the two can be compared.
        side = "bare" if locking else "inserts"
        start = time.perf_counter()
        with connection.execute_wrapper(counting(side)), connection.cursor() as cursor:
            for i in range(first, last):
                amount = 1 + i % 97
                with transaction.atomic():
                    if locking:
                        cursor.execute(_BARE_LOCK_SQL, [income.pk, fund.pk])
                        balances = dict(cursor.fetchall())
                        if balances[income.pk] < amount:
                            raise RuntimeError("the bare side ran out of money")
                    cursor.execute(
                        "INSERT INTO payouts_batch (idempotency_key, kind, memo, created_at, data) "
                        "VALUES (%s, 'fund_allocate', '', %s, '{}') RETURNING id",
                        [f"{side}:event:{i}", now],
                    )
                    batch_id = cursor.fetchone()[0]
                    cursor.execute(
                        "INSERT INTO payouts_posting (batch_id, from_account_id, to_account_id, amount_cents, "
                        "currency, created_at) VALUES (%s, %s, %s, %s, 'EUR', %s)",
                        [batch_id, income.pk, fund.pk, amount, now],
                    )
                    if locking:
                        cursor.execute(_BARE_MOVE_SQL, [income.pk, -amount, fund.pk, amount, income.pk, fund.pk])
                    cursor.execute(
                        "INSERT INTO core_auditevent (action, target_type, target_id, data, created_at) "
                        "VALUES ('ledger.fund_allocate', 'payouts.batch', %s, '{}', %s)",
                        [str(batch_id), now],
                    )
        return time.perf_counter() - start

    def floor_round(first: int, last: int) -> float:
        start = time.perf_counter()
        with connection.execute_wrapper(counting("floor")), connection.cursor() as cursor:
            for i in range(first, last):
                cursor.execute(
                    "EXECUTE bench_floor (%s, %s, %s, %s, %s)",
                    [income.pk, fund.pk, f"floor:event:{i}", now, 1 + i % 97],
                )
                if cursor.fetchone() is None:
                    raise RuntimeError("the floor side ran out of money")
        return time.perf_counter() - start

    with connection.cursor() as cursor:
        cursor.execute(_FLOOR_SQL)
    # Interleaved rounds, so that load from anything else on the machine hits all sides alike.
    rounds = 10
    step = EVENTS // rounds
    ours_time = nested_time = bare_time = inserts_time = floor_time = 0.0
    for r in range(rounds):
        ours_time += ours_round(r * step, (r + 1) * step)
        nested_time += nested_round(r * step, (r + 1) * step)
        bare_time += bare_round(r * step, (r + 1) * step)
        inserts_time += bare_round(r * step, (r + 1) * step, locking=False)
        floor_time += floor_round(r * step, (r + 1) * step)
    n = rounds * step
    ours, nested, bare, floor = n / ours_time, n / nested_time, n / bare_time, n / floor_time
    inserts = n / inserts_time
    print(f"Money events ({n} fund allocations, one transaction each; {load_average()})")
    per_event = {side: count / n for side, count in statements.items()}
    print(
        "  statements per event (BEGIN and COMMIT not counted): "
        f"ledger {per_event['ours']:.2f} (in a caller's transaction {per_event['nested']:.2f}), "
        f"bare {per_event['bare']:.2f}, inserts only {per_event['inserts']:.2f}, one statement {per_event['floor']:.2f}"
    )
    results["events_per_second"] = _line("events/s with locking vs bare SQL", ours, bare, "ev/s", True)
    results["events_in_transaction"] = _line("same, in a caller's transaction", nested, bare, "ev/s", True)
    results["events_vs_one_statement"] = _line("same, vs one hand-written statement", ours, floor, "ev/s", True)
    results["events_vs_inserts"] = _line("same, vs the rows' INSERTs alone", ours, inserts, "ev/s", True)


def bench_bulk(results: dict) -> tuple[list[int], int]:
    from django.db import connection
    from psycopg2.extras import execute_values

    from payouts.ledger.posting import account_get
    from payouts.models import Account, Batch, Posting

    accounts = [
        account_get(purpose="payable", currency="EUR", owner_type="user", owner_id=f"bench-{i}")
        for i in range(ACCOUNTS)
    ]
    hot = account_get(purpose="fee_income", currency="EUR", name="bench-hot")
    ids = [a.pk for a in accounts]
    base = datetime(2025, 1, 1, tzinfo=UTC)
    n_batches = POSTINGS // 10
    Batch.objects.bulk_create(
        [Batch(idempotency_key=f"bulk:{i}", kind="bench", created_at=base) for i in range(n_batches)],
        batch_size=CHUNK,
    )
    batch_ids = list(Batch.objects.filter(kind="bench").values_list("pk", flat=True))
    rng = random.Random(42)

    def row(i: int) -> tuple[int, int, int, int, datetime]:
        source = rng.choice(ids)
        # One posting in ten goes to one hot account, so its balance sums 100,000 rows.
        target = hot.pk if i % 10 == 0 else rng.choice(ids)
        if target == source:
            target = ids[(ids.index(source) + 1) % len(ids)]
        when = base + timedelta(seconds=rng.randrange(365 * 24 * 3600))
        return batch_ids[i % len(batch_ids)], source, target, rng.randrange(1, 100_000), when

    half = POSTINGS // 2
    rows = [row(i) for i in range(half)]
    start = time.perf_counter()
    for offset in range(0, half, CHUNK):
        Posting.objects.bulk_create(
            [
                Posting(batch_id=b, from_account_id=f, to_account_id=t, amount_cents=a, currency="EUR", created_at=w)
                for b, f, t, a, w in rows[offset : offset + CHUNK]
            ]
        )
    ours = half / (time.perf_counter() - start)
    rows = [row(i) for i in range(half, POSTINGS)]
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for offset in range(0, len(rows), CHUNK):
            execute_values(
                cursor.cursor,
                "INSERT INTO payouts_posting (batch_id, from_account_id, to_account_id, amount_cents, currency, "
                "created_at) VALUES %s",
                [(b, f, t, a, "EUR", w) for b, f, t, a, w in rows[offset : offset + CHUNK]],
                page_size=CHUNK,
            )
    bare = len(rows) / (time.perf_counter() - start)
    print(f"Bulk posting ({POSTINGS:,} postings, half each way)")
    results["bulk_postings_per_second"] = _line("postings/s bulk_create vs execute_values", ours, bare, "rows/s", True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE payouts_posting")
        cursor.execute("VACUUM ANALYZE payouts_account")
    total = Posting.objects.count()
    assert Account.objects.filter(pk=hot.pk).exists()
    return ids, hot.pk if total else 0


def bench_sums(results: dict, ids: list[int], hot_id: int) -> None:
    from django.db import connection

    from payouts.ledger import account_balance, period_sum
    from payouts.models import Posting

    def bare(sql: str, params: list) -> Callable[[], object]:
        def run() -> object:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchone()[0]

        return run

    balance_sql = (
        "SELECT COALESCE((SELECT SUM(amount_cents) FROM payouts_posting WHERE to_account_id = %s), 0) "
        "- COALESCE((SELECT SUM(amount_cents) FROM payouts_posting WHERE from_account_id = %s), 0)"
    )
    typical = ids[len(ids) // 2]
    print(f"Sums over {Posting.objects.count():,} postings (median of 15 runs)")
    for label, account_id in [
        (f"balance, hot account ({POSTINGS // 10:,} in)", hot_id),
        ("balance, typical account", typical),
    ]:
        assert account_balance(account_id) == bare(balance_sql, [account_id, account_id])()
        ours = _median_seconds(lambda account_id=account_id: account_balance(account_id)) * 1000
        theirs = _median_seconds(bare(balance_sql, [account_id, account_id])) * 1000
        results[label] = _line(label, ours, theirs, "ms", False)

    start, end = datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 4, 1, tzinfo=UTC)
    one_period_sql = (
        "SELECT COALESCE((SELECT SUM(amount_cents) FROM payouts_posting WHERE to_account_id = %s "
        "AND created_at >= %s AND created_at < %s), 0) - COALESCE((SELECT SUM(amount_cents) FROM payouts_posting "
        "WHERE from_account_id = %s AND created_at >= %s AND created_at < %s), 0)"
    )

    def one_period() -> int:
        return account_balance(hot_id, start=start, end=end)

    params = [hot_id, start, end, hot_id, start, end]
    assert one_period() == bare(one_period_sql, params)()
    results["period, hot account"] = _line(
        "one month, hot account",
        _median_seconds(one_period) * 1000,
        _median_seconds(bare(one_period_sql, params)) * 1000,
        "ms",
        False,
    )

    purpose_sql = (
        "SELECT COALESCE((SELECT SUM(p.amount_cents) FROM payouts_posting p JOIN payouts_account a "
        "ON a.id = p.to_account_id WHERE a.purpose = %s AND p.created_at >= %s AND p.created_at < %s "
        "AND p.currency = 'EUR'), 0) - COALESCE((SELECT SUM(p.amount_cents) FROM payouts_posting p "
        "JOIN payouts_account a ON a.id = p.from_account_id WHERE a.purpose = %s AND p.created_at >= %s "
        "AND p.created_at < %s AND p.currency = 'EUR'), 0)"
    )
    params = ["payable", start, end, "payable", start, end]
    assert period_sum("payable", start, end, "EUR") == bare(purpose_sql, params)()
    results["period, all payables"] = _line(
        "one month, all 1,000 payable accounts",
        _median_seconds(lambda: period_sum("payable", start, end, "EUR"), repeat=7) * 1000,
        _median_seconds(bare(purpose_sql, params), repeat=7) * 1000,
        "ms",
        False,
    )


def main() -> int:
    began = time.perf_counter()
    fresh_database(BENCH_DB, "bench_ledger")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(load_average())
    results: dict = {}
    if "events" in PARTS:
        bench_events(results)
    if PARTS & {"bulk", "sums"}:
        ids, hot_id = bench_bulk(results)
        if "sums" in PARTS:
            bench_sums(results, ids, hot_id)
    verdicts = []
    if "events_per_second" in results:
        events_ok = results["events_per_second"]["ratio"] >= 0.5
        verdicts.append(f"events >= 1/2 of bare: {'met' if events_ok else 'NOT met'}")
    sums = [v for k, v in results.items() if not k.startswith("events") and k != "bulk_postings_per_second"]
    if sums:
        verdicts.append(f"sums within 2x: {'met' if all(v['ratio'] <= 2 for v in sums) else 'NOT met'}")
    print(f"Targets: {'; '.join(verdicts)}")
    print(load_average())
    print(f"Total time {time.perf_counter() - began:.0f} s")
    if os.environ.get("BENCH_LEDGER_JSON"):
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

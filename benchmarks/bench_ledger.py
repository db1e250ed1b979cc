"""Ledger benchmark on PostgreSQL: `python -m benchmarks.bench_ledger` (DATABASE_URL points at the server).

Creates its own database (coop_bench_ledger, dropped and re-created), migrates it, then prints:
1. money events per second through the ledger services (locking, floor check, audit row) next to
   bare INSERTs of the same rows (batch, posting, audit event), with the ratio;
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
from urllib.parse import urlparse, urlunparse

BENCH_DB = os.environ.get("BENCH_LEDGER_DB", "coop_bench_ledger")
EVENTS = int(os.environ.get("BENCH_LEDGER_EVENTS", "2000"))
POSTINGS = int(os.environ.get("BENCH_LEDGER_POSTINGS", "1000000"))
ACCOUNTS = 1000
CHUNK = 10_000


def _prepare_database() -> None:
    import psycopg2

    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        sys.exit("bench_ledger needs DATABASE_URL=postgres://... (PostgreSQL)")
    admin = psycopg2.connect(urlunparse(parsed._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        cursor.execute(f'CREATE DATABASE "{BENCH_DB}"')
    admin.close()
    os.environ["DATABASE_URL"] = urlunparse(parsed._replace(path=f"/{BENCH_DB}"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coop_platform.settings.base")


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"Load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} CPUs)"


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

    def ours_round(first: int, last: int) -> float:
        start = time.perf_counter()
        for i in range(first, last):
            ledger.fund_allocate(
                fund="reserve", amount_cents=1 + i % 97, currency="EUR", key=f"bench:event:{i}", actor=None
            )
        return time.perf_counter() - start

    def bare_round(first: int, last: int) -> float:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            for i in range(first, last):
                with transaction.atomic():
                    cursor.execute(
                        "INSERT INTO payouts_batch (idempotency_key, kind, memo, created_at, data) "
                        "VALUES (%s, 'fund_allocate', '', %s, '{}') RETURNING id",
                        [f"bare:event:{i}", now],
                    )
                    batch_id = cursor.fetchone()[0]
                    cursor.execute(
                        "INSERT INTO payouts_posting (batch_id, from_account_id, to_account_id, amount_cents, "
                        "currency, created_at) VALUES (%s, %s, %s, %s, 'EUR', %s)",
                        [batch_id, income.pk, fund.pk, 1 + i % 97, now],
                    )
                    cursor.execute(
                        "INSERT INTO core_auditevent (action, target_type, target_id, data, created_at) "
                        "VALUES ('ledger.fund_allocate', 'payouts.batch', %s, '{}', %s)",
                        [str(batch_id), now],
                    )
        return time.perf_counter() - start

    # Interleaved rounds, so that load from anything else on the machine hits both sides alike.
    rounds = 10
    step = EVENTS // rounds
    ours_time = bare_time = 0.0
    for r in range(rounds):
        ours_time += ours_round(r * step, (r + 1) * step)
        bare_time += bare_round(r * step, (r + 1) * step)
    ours = rounds * step / ours_time
    bare = rounds * step / bare_time
    print(f"Money events ({EVENTS} fund allocations, one transaction each)")
    results["events_per_second"] = _line("events/s with locking vs bare INSERTs", ours, bare, "ev/s", True)


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
    _prepare_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(_load())
    results: dict = {}
    bench_events(results)
    ids, hot_id = bench_bulk(results)
    bench_sums(results, ids, hot_id)
    events_ok = results["events_per_second"]["ratio"] >= 0.5
    sums_ok = all(
        v["ratio"] <= 2 for k, v in results.items() if k not in {"events_per_second", "bulk_postings_per_second"}
    )
    events_verdict = "met" if events_ok else "NOT met"
    sums_verdict = "met" if sums_ok else "NOT met"
    print(f"Targets: events >= 1/2 of bare: {events_verdict}; sums within 2x: {sums_verdict}")
    print(_load())
    print(f"Total time {time.perf_counter() - began:.0f} s")
    if os.environ.get("BENCH_LEDGER_JSON"):
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

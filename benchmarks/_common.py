"""What every benchmark needs before and around its measurements: its own database, the machine's load."""

import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlparse, urlunparse

T = TypeVar("T")


def fresh_database(name: str, benchmark: str) -> None:
    """Drop and re-create the PostgreSQL database `name` on DATABASE_URL's server and point Django at it.

    Tasks run in-process (no broker) and email goes nowhere: a benchmark measures the app, not them.
    """
    import psycopg2

    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        sys.exit(f"{benchmark} needs DATABASE_URL=postgres://... (PostgreSQL)")
    admin = psycopg2.connect(urlunparse(parsed._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    os.environ["DATABASE_URL"] = urlunparse(parsed._replace(path=f"/{name}"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coop_platform.settings.base")
    os.environ["CELERY_BROKER_URL"] = ""
    os.environ["EMAIL_URL"] = "dummymail://localhost"


def load_average() -> str:
    """The load average over 1, 5 and 15 minutes, printed beside each benchmark's figures."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} CPUs)"


def timed(label: str, repeat: int, work: Callable[[], T], *, width: int = 48) -> T:
    """Run `work` `repeat` times, print its best and median time, and return its last result."""
    times = []
    for _ in range(max(repeat, 1)):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    print(f"{label:<{width}} best {min(times) * 1000:9.1f} ms   median {statistics.median(times) * 1000:9.1f} ms")
    return result


def settle_like_a_worker() -> str:
    """Settle the loaded app as gunicorn's master does before it forks the workers (core.runtime),
    so that the pages are timed as a production worker serves them; return a line saying so."""
    from core.runtime import settle_loaded_app

    return f"app settled as a gunicorn worker's (core.runtime): {settle_loaded_app():,} objects frozen"

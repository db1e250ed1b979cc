"""Run the same code at the same moment over separate database connections."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def run_concurrently(fn: Callable[[int], Any], workers: int) -> list[Any]:
    """Call fn(i) in `workers` threads released together; each thread has its own connection.

    Returns each call's result, or the exception it raised, in worker order. Needs a test with
    `transaction=True` so the threads see committed rows.
    """
    barrier = threading.Barrier(workers)
    results: list[Any] = [None] * workers

    def target(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = fn(i)
        except Exception as exc:  # the caller asserts on what each worker got
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results

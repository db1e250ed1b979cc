"""Celery beat's schedule run inside the web process, for `make run` where no broker or beat runs.

With no broker, tasks run in-process (CELERY_TASK_ALWAYS_EAGER), but nothing sends the periodic
ones: ballots would never open or close, milestones never auto-release, reviews never appear. The
development server starts this scheduler on a daemon thread; with a broker, `celery beat` does the
job and this stays off.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from celery import current_app
from celery.result import EagerResult
from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)


def _seconds(schedule: Any) -> float:
    if isinstance(schedule, timedelta):
        return schedule.total_seconds()
    if isinstance(schedule, int | float):
        return float(schedule)
    # A crontab or other schedule object: Celery's own schedules know their next run.
    return float(schedule.remaining_estimate(schedule.now()).total_seconds()) or 60.0


class InProcessBeat:
    """Send each due entry of a beat schedule, as `celery beat` would, to in-process Celery."""

    def __init__(
        self,
        schedule: dict[str, dict[str, Any]],
        *,
        run: Callable[[str, tuple[object, ...]], object] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.schedule = schedule
        self.run = run or _send
        self.clock = clock
        # As with celery beat's database scheduler, an entry is first due one interval after the
        # start: a development server restarted on every code change must not pay out earnings
        # or check the ledger each time.
        start = clock()
        self.next_run = {name: start + _seconds(entry["schedule"]) for name, entry in schedule.items()}

    def tick(self) -> list[str]:
        """Run the entries that are due; return their names. A failing task is logged, not raised."""
        ran = []
        for name, entry in self.schedule.items():
            now = self.clock()
            if now < self.next_run[name]:
                continue
            self.next_run[name] = now + _seconds(entry["schedule"])
            try:
                self.run(entry["task"], tuple(entry.get("args", ())))
            except Exception:
                logger.exception("Periodic task %s failed", name)
            finally:
                close_old_connections()
            ran.append(name)
        return ran

    def start(self, interval: float = 5.0) -> threading.Thread:
        def loop() -> None:
            while True:
                self.tick()
                time.sleep(interval)

        thread = threading.Thread(target=loop, name="in-process-beat", daemon=True)
        thread.start()
        return thread


class InProcessWorker:
    """A worker thread of the web process that runs the outbox's messages one by one.

    For `make run` only (no broker): the request that queues work returns at once and the page
    shows its progress while this thread runs the task, as a Celery worker would.
    """

    def __init__(self, relay: Callable[[list[int]], object] | None = None) -> None:
        self.queue: queue.Queue[int] = queue.Queue()
        self.relay = relay or _relay

    def submit(self, message_id: int) -> None:
        self.queue.put(message_id)

    def run_one(self, timeout: float | None = None) -> bool:
        """Relay the next queued message; return False when none came within `timeout`."""
        try:
            message_id = self.queue.get(timeout=timeout)
        except queue.Empty:
            return False
        try:
            self.relay([message_id])
        except Exception:
            logger.exception("Queued task %s failed", message_id)
        finally:
            self.queue.task_done()
        return True

    def start(self) -> threading.Thread:
        def loop() -> None:
            while True:
                if self.run_one():
                    # As a request does: the thread's connection is closed if broken or past its age.
                    close_old_connections()

        thread = threading.Thread(target=loop, name="in-process-worker", daemon=True)
        thread.start()
        return thread


def _relay(message_ids: list[int]) -> object:
    from core.outbox import relay

    current_app.loader.import_default_modules()
    return relay(message_ids=message_ids)


def _send(task: str, args: tuple[object, ...]) -> EagerResult[object]:
    """Run the task in-process, as a worker would: by name, with the apps' task modules imported."""
    # The project's app is current: coop_platform/__init__.py loads it before any code here runs.
    # A worker imports every app's tasks module when it starts; the web process has not.
    current_app.loader.import_default_modules()
    return current_app.tasks[task].apply(args=args, throw=True)


def in_process_beat_wanted() -> bool:
    """Return whether the web process should run the schedule: only when no broker is configured."""
    return not settings.CELERY_BROKER_URL and bool(getattr(settings, "CELERY_BEAT_SCHEDULE", None))

"""`manage.py devserver`: runserver (as `make run` uses it) plus Celery beat and a worker in-process.

Without a Celery broker, tasks run in-process, but nothing sends the periodic ones, and a queued
task would run inside the request that queued it; this runs the schedule on one daemon thread of
the serving process and the queued tasks on another. With a broker configured it is plain
runserver, and `celery beat` sends the schedule.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from whitenoise.runserver_nostatic.management.commands.runserver import Command as Runserver

from core import outbox
from core.beat import InProcessBeat, InProcessWorker, in_process_beat_wanted


# whitenoise ships no type information, so its runserver is Any to mypy (ignore_missing_imports).
class Command(Runserver):  # type: ignore[misc]
    help = "Start the development server; without a Celery broker, also run the periodic tasks in-process."

    def inner_run(self, *args: Any, **options: Any) -> None:
        # inner_run runs in the serving process (the autoreloader's child), once per start.
        if in_process_beat_wanted():
            InProcessBeat(settings.CELERY_BEAT_SCHEDULE).start()
            worker = InProcessWorker()
            worker.start()
            outbox.use_in_process_worker(worker.submit)
            self.stdout.write(
                "Periodic and queued tasks run on threads of this process (no Celery broker is configured)."
            )
        super().inner_run(*args, **options)

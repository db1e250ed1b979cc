"""`manage.py devserver`: runserver (as `make run` uses it) plus Celery beat's schedule in-process.

Without a Celery broker, tasks already run in-process, but nothing sends the periodic ones; this
runs them on a daemon thread of the serving process. With a broker configured it is plain
runserver, and `celery beat` sends the schedule.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from whitenoise.runserver_nostatic.management.commands.runserver import Command as Runserver

from core.beat import InProcessBeat, in_process_beat_wanted


# whitenoise ships no type information, so its runserver is Any to mypy (ignore_missing_imports).
class Command(Runserver):  # type: ignore[misc]
    help = "Start the development server; without a Celery broker, also run the periodic tasks in-process."

    def inner_run(self, *args: Any, **options: Any) -> None:
        # inner_run runs in the serving process (the autoreloader's child), once per start.
        if in_process_beat_wanted():
            InProcessBeat(settings.CELERY_BEAT_SCHEDULE).start()
            self.stdout.write("Periodic tasks run in this process (no Celery broker is configured).")
        super().inner_run(*args, **options)

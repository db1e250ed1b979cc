"""`make run` has no broker and no beat: the development server runs the beat schedule itself."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from core.beat import InProcessBeat, in_process_beat_wanted

SCHEDULE = {
    "often": {"task": "app.often", "schedule": 60},
    "daily": {"task": "app.daily", "schedule": 86_400, "args": (7,)},
    "broken": {"task": "app.broken", "schedule": 60},
}


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.django_db
def test_each_entry_runs_at_start_and_then_at_its_interval() -> None:
    clock, sent = Clock(), []

    def run(task: str, args: tuple) -> None:
        sent.append((task, args))
        if task == "app.broken":
            raise RuntimeError("the task failed")

    beat = InProcessBeat(SCHEDULE, run=run, clock=clock)
    # Nothing at start: a restarted development server does not repeat daily work.
    assert beat.tick() == []
    clock.now += 60
    # A failing task is logged and the others still run.
    assert beat.tick() == ["often", "broken"]
    clock.now += 30
    assert beat.tick() == []
    clock.now += 86_400
    assert beat.tick() == ["often", "daily", "broken"]
    assert sent[-2] == ("app.daily", (7,))


@pytest.mark.django_db
def test_the_real_schedule_runs_in_process_against_the_database(caplog: Any) -> None:
    clock = Clock()
    beat = InProcessBeat(settings.CELERY_BEAT_SCHEDULE, clock=clock)
    clock.now += 7 * 86_400
    with caplog.at_level("ERROR", logger="core.beat"):
        assert sorted(beat.tick()) == sorted(settings.CELERY_BEAT_SCHEDULE)
    assert [record.getMessage() for record in caplog.records] == []


def test_it_runs_only_without_a_broker(settings: Any) -> None:
    settings.CELERY_BROKER_URL = ""
    assert in_process_beat_wanted()
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    assert not in_process_beat_wanted()

"""A real `celery beat` process, with the database scheduler and the project's schedule, sends the
governance task to a real worker on the broker, and the worker opens a ballot whose time has come."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from governance.builtin import GENERAL_RESOLUTION
from governance.models import Proposal
from governance.services.proposals import proposal_create_for_decision, proposal_publish
from tests.governance.conftest import make_due
from tests.services import database_url, need_postgres

ROOT = Path(settings.BASE_DIR)
ENTRY = "governance-open-due-ballots"
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


def test_celery_beat_opens_a_due_ballot_through_the_worker(celery_worker_redis: Any, members: list[Any]) -> None:
    need_postgres()
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    author = members[0].user
    proposal = proposal_create_for_decision(key=GENERAL_RESOLUTION, payload={}, title="Picnic", author=author)
    proposal = proposal_publish(proposal_id=proposal.pk, actor=author)
    make_due(proposal.ballot)
    # Beat syncs the project's schedule into the database and keeps an entry's start time: one in
    # the past makes beat send the task as it starts, rather than after the first minute.
    schedule = settings.CELERY_BEAT_SCHEDULE[ENTRY]
    every, _created = IntervalSchedule.objects.get_or_create(every=schedule["schedule"], period="seconds")
    PeriodicTask.objects.create(
        name=ENTRY, task=schedule["task"], interval=every, start_time=timezone.now() - timedelta(days=1)
    )

    env = {**os.environ, "DATABASE_URL": database_url(), "CELERY_BROKER_URL": settings.CELERY_BROKER_URL}
    beat = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "coop_platform", "beat", "--loglevel", "INFO"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while Proposal.objects.get(pk=proposal.pk).status != Proposal.Status.VOTING:
            assert beat.poll() is None, beat.communicate()[0].decode()
            assert time.monotonic() < deadline, "beat and the worker did not open the ballot in time"
            time.sleep(0.2)
    finally:
        beat.terminate()
        output = beat.communicate(timeout=30)[0].decode()
    assert f"Sending due task {ENTRY} ({schedule['task']})" in output
    assert PeriodicTask.objects.get(name=ENTRY).total_run_count >= 1

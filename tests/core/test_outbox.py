"""The outbox: a write's tasks are stored with the write and relayed after it, never lost, never failing it."""

import re
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core import outbox
from core.beat import InProcessBeat
from core.models import OutboxMessage
from core.tasks import outbox_purge, outbox_relay, ping


@pytest.fixture(autouse=True)
def broker_up() -> Any:
    outbox._broker_down_until = None
    yield
    outbox._broker_down_until = None


@pytest.mark.django_db
def test_a_task_is_sent_after_the_write_commits(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = outbox.enqueue(ping)
    assert OutboxMessage.objects.get(pk=message.pk).sent_at is None, "nothing is sent before commit"
    with mock.patch.object(ping, "apply_async") as send:
        for callback in callbacks:
            callback()
    send.assert_called_once_with(args=[], kwargs={}, task_id=f"outbox-{message.pk}-0", ignore_result=True)
    assert OutboxMessage.objects.get(pk=message.pk).sent_at is not None


@pytest.mark.django_db
def test_a_rolled_back_write_sends_nothing(django_capture_on_commit_callbacks: Any) -> None:
    with (
        mock.patch.object(ping, "apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.enqueue(ping)
        raise RuntimeError("the write failed")
    send.assert_not_called()
    assert not OutboxMessage.objects.exists()


@pytest.fixture
def with_broker() -> Any:
    """Relay as with a real broker (not in-process), so a failed send counts as an outage."""
    conf = outbox.current_app.conf
    previous = conf.task_always_eager
    conf.task_always_eager = False
    yield
    conf.task_always_eager = previous


@pytest.mark.django_db
def test_a_broker_outage_keeps_the_message_for_the_relay(
    django_capture_on_commit_callbacks: Any, with_broker: None
) -> None:
    with (
        mock.patch.object(ping, "apply_async", side_effect=ConnectionError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = outbox.enqueue(ping)
    stored = OutboxMessage.objects.get(pk=message.pk)
    assert stored.sent_at is None and stored.attempts == 1 and "broker down" in stored.last_error
    assert outbox.backlog() == 1
    # While the broker is down, writes leave their messages to the relay instead of waiting on it.
    with mock.patch.object(ping, "apply_async") as send, django_capture_on_commit_callbacks(execute=True):
        later = outbox.enqueue(ping)
    send.assert_not_called()
    with mock.patch.object(ping, "apply_async") as send:
        assert outbox.relay() == 2
    assert send.call_count == 2
    assert outbox.backlog() == 0
    assert OutboxMessage.objects.get(pk=later.pk).sent_at is not None


@pytest.mark.django_db
def test_a_message_another_relay_holds_is_not_sent_twice() -> None:
    message = OutboxMessage.objects.create(task=ping.name)
    assert outbox._claim(message.pk) is not None
    with mock.patch.object(ping, "apply_async") as send:
        assert outbox.relay() == 0
    send.assert_not_called()


@pytest.mark.django_db
def test_a_sent_message_is_not_sent_again() -> None:
    message = OutboxMessage.objects.create(task=ping.name)
    with mock.patch.object(ping, "apply_async") as send:
        assert outbox.relay() == 1
        assert outbox.relay() == 0
        assert outbox.relay(message_ids=[message.pk]) == 0
    send.assert_called_once()


@pytest.mark.django_db
def test_a_relay_stops_at_the_first_failed_send_while_the_broker_is_down(with_broker: None) -> None:
    for _ in range(3):
        OutboxMessage.objects.create(task=ping.name)
    with mock.patch.object(ping, "apply_async", side_effect=ConnectionError("broker down")) as send:
        assert outbox.relay() == 0
    # One timeout per relay, not one per message: the rest wait for the next run.
    send.assert_called_once()
    assert outbox.backlog() == 3
    assert sorted(OutboxMessage.objects.values_list("attempts", flat=True)) == [0, 0, 1]


@pytest.mark.django_db
def test_a_task_that_fails_in_process_is_kept_and_does_not_hold_back_the_others() -> None:
    """Without a broker (`make run`) a task runs in the relay; if it fails, the periodic relay tries again."""
    failing = OutboxMessage.objects.create(task=ping.name)
    other = OutboxMessage.objects.create(task=ping.name)
    with mock.patch.object(ping, "apply_async", side_effect=[RuntimeError("SMTP down"), None]):
        assert outbox.relay() == 1
    assert OutboxMessage.objects.get(pk=failing.pk).sent_at is None
    assert OutboxMessage.objects.get(pk=other.pk).sent_at is not None
    with mock.patch.object(ping, "apply_async"):
        assert outbox.relay() == 1
    assert outbox.backlog() == 0


@pytest.mark.django_db
def test_the_backlog_age_is_that_of_the_oldest_unsent_message() -> None:
    assert outbox.backlog_age() is None
    now = timezone.now()
    old, new = (OutboxMessage.objects.create(task=ping.name) for _ in range(2))
    OutboxMessage.objects.filter(pk=old.pk).update(created_at=now - timedelta(minutes=5))
    OutboxMessage.objects.filter(pk=new.pk).update(created_at=now - timedelta(minutes=1))
    age = outbox.backlog_age()
    assert age is not None and timedelta(minutes=5) <= age < timedelta(minutes=6)
    OutboxMessage.objects.filter(pk=old.pk).update(sent_at=now)
    age = outbox.backlog_age()
    assert age is not None and age < timedelta(minutes=2)


@pytest.mark.django_db
def test_healthz_shows_the_outbox_backlog(client: Any) -> None:
    assert client.get("/healthz").json()["outbox"] == {"backlog": 0, "oldest_seconds": None}
    message = OutboxMessage.objects.create(task=ping.name)
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(seconds=90))
    response = client.get("/healthz")
    assert response.status_code == 200
    outbox_status = response.json()["outbox"]
    assert outbox_status["backlog"] == 1 and 90 <= outbox_status["oldest_seconds"] < 120


@pytest.mark.django_db
def test_purge_drops_messages_sent_a_week_ago_and_keeps_the_rest() -> None:
    now = timezone.now()
    old = OutboxMessage.objects.create(task=ping.name, sent_at=now - timedelta(days=8))
    recent = OutboxMessage.objects.create(task=ping.name, sent_at=now - timedelta(days=1))
    unsent = OutboxMessage.objects.create(task=ping.name)
    OutboxMessage.objects.filter(pk=unsent.pk).update(created_at=now - timedelta(days=30))
    assert outbox_purge() == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, unsent.pk}
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_the_relay_runs_every_30_seconds_in_beat_and_in_make_runs_in_process_beat() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["core-outbox-relay"]
    assert entry == {"task": outbox_relay.name, "schedule": 30}
    clock = [0.0]
    ran: list[str] = []
    beat = InProcessBeat(settings.CELERY_BEAT_SCHEDULE, run=lambda task, args: ran.append(task), clock=lambda: clock[0])
    clock[0] += 30
    assert beat.tick() == ["core-outbox-relay"]
    assert ran == [outbox_relay.name]


# After-commit work that may stay outside the outbox: the outbox's own relay and file deletions,
# which need no broker.
# Besides the outbox relay and file deletions: the ledger remembering an account only once the row
# is committed (process memory, nothing a broker outage could lose), and the job search form's
# skill list starting a new cached rendering (a cache key).
ON_COMMIT_ALLOWED = re.compile(
    r"_relay_after_commit|_delete_files|storage\.delete|_remember_after_commit|_new_skills_version_after_commit"
)


def test_after_commit_work_goes_through_the_outbox() -> None:
    """No service queues a task or an email with on_commit itself, where a broker outage would lose it."""
    root = Path(settings.BASE_DIR)
    tracked = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    offenders = []
    for name in tracked.stdout.split():
        if name.startswith(("tests/", "benchmarks/")) or "/migrations/" in name:
            continue
        for number, line in enumerate((root / name).read_text(encoding="utf-8").splitlines(), 1):
            if "on_commit(" in line and not ON_COMMIT_ALLOWED.search(line):
                offenders.append(f"{name}:{number}: {line.strip()}")
            if re.search(r"\.(delay|apply_async)\(", line) and name not in {"core/outbox.py", "marketplace/tasks.py"}:
                offenders.append(f"{name}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.django_db
def test_under_the_development_server_a_queued_task_waits_for_the_worker_thread_not_the_request(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """`make run` has no broker: the request that queues work must answer before the work runs."""
    from core.beat import InProcessWorker

    worker = InProcessWorker()
    outbox.use_in_process_worker(worker.submit)
    try:
        with mock.patch.object(ping, "apply_async") as send:
            with django_capture_on_commit_callbacks(execute=True):
                message = outbox.enqueue(ping)
            send.assert_not_called()
            assert OutboxMessage.objects.get(pk=message.pk).sent_at is None, "the request did not run it"
            assert worker.run_one(timeout=1) is True
            send.assert_called_once()
        assert OutboxMessage.objects.get(pk=message.pk).sent_at is not None
        assert worker.run_one(timeout=0.01) is False, "each message runs once"
    finally:
        outbox.use_in_process_worker(None)

"""The outbox: a write's tasks are stored with the write and relayed after it, never lost, never failing it."""

from typing import Any
from unittest import mock

import pytest
from django.db import transaction

from core import outbox
from core.models import OutboxMessage
from core.tasks import ping


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
    send.assert_called_once_with(args=[], kwargs={}, task_id=f"outbox-{message.pk}-0")
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

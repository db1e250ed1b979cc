"""The transactional outbox: tasks a write asks for are rows in the write's transaction.

`enqueue(task, *args)` stores the task call in the caller's transaction. After commit it is
relayed to Celery at once; if the broker is down the write still succeeds, and the periodic
`outbox_relay` task sends what is left once the broker is back. A message is marked sent only
after the broker accepted it, so nothing is lost; a crash between the two sends it again, which
is why every task the outbox carries is safe to run twice (STYLE rule 18).

The broker's timeouts in settings (CELERY_BROKER_TRANSPORT_OPTIONS) make a send to a dead broker
fail within a second; after one failure a process leaves the broker alone for `BACKOFF`, so the
writes of an outage cost nothing more. /healthz shows the backlog and the age of its oldest
message; `purge` drops sent messages after `KEEP_SENT`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from celery import Task, current_app
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core.models import OutboxMessage

logger = logging.getLogger(__name__)
RELAY_BATCH = 200
# Longer than any broker publish may take with the short timeouts in settings.
CLAIM = timedelta(minutes=2)
KEEP_SENT = timedelta(days=7)


# After a failed send, writes stop trying the broker for a while and leave their messages to the
# periodic relay, so an outage costs each request nothing rather than a connect timeout each.
BACKOFF = timedelta(seconds=30)
_broker_down_until: datetime | None = None

# Without a broker, Celery runs a task where it is sent: after commit, inside the request. The
# development server (`make run`) hands messages to an in-process worker thread instead
# (core.beat.InProcessWorker), so a page that queues work (a payout cycle paid out, a data export)
# answers at once and shows the progress, as it does with a real worker. Tests keep the inline path.
_in_process_worker: Callable[[int], None] | None = None


def use_in_process_worker(submit: Callable[[int], None] | None) -> None:
    """Send messages relayed after commit to `submit` (a worker thread's queue); None sends inline."""
    global _in_process_worker
    _in_process_worker = submit


def enqueue(task: Task[Any, Any], *args: Any, **kwargs: Any) -> OutboxMessage:
    """Store a call of `task` in the current transaction; relay it to the broker after commit."""
    message = OutboxMessage.objects.create(task=task.name, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: _relay_after_commit(message.pk))
    return message


def _relay_after_commit(pk: int) -> None:
    if _in_process_worker is not None:
        _in_process_worker(pk)
        return
    if _broker_down_until is not None and timezone.now() < _broker_down_until:
        return
    relay(message_ids=[pk])


def _claim(pk: int) -> OutboxMessage | None:
    """Take the message for one send, unless it was sent or another relay holds it."""
    now = timezone.now()
    claimed = (
        OutboxMessage.objects.filter(pk=pk, sent_at__isnull=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM)
    )
    return OutboxMessage.objects.get(pk=pk) if claimed else None


def _send(message: OutboxMessage) -> bool:
    global _broker_down_until
    # Sent outside any transaction: with no broker (`make run`, tests) Celery runs the task right
    # here, and the task's own transactions must not nest in the relay's.
    try:
        # Nobody waits for the result: without ignore_result Celery would also subscribe to it on
        # the result backend, which retries for ~19 s when Redis is down.
        current_app.tasks[message.task].apply_async(
            args=message.args,
            kwargs=message.kwargs,
            task_id=f"outbox-{message.pk}-{message.attempts}",
            ignore_result=True,
        )
    except Exception as exc:  # the broker, or an in-process task, failed: retry later
        if not current_app.conf.task_always_eager:
            _broker_down_until = timezone.now() + BACKOFF
        logger.warning("Outbox message %s (%s) not sent: %r", message.pk, message.task, exc)
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=F("attempts") + 1, claimed_until=None, last_error=f"{exc.__class__.__name__}: {exc}"[:300]
        )
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        sent_at=timezone.now(), claimed_until=None, attempts=F("attempts") + 1
    )
    _broker_down_until = None
    return True


def relay(*, message_ids: list[int] | None = None, limit: int = RELAY_BATCH) -> int:
    """Send unsent messages (the ones named, or the oldest `limit`); return how many the broker took."""
    rows = OutboxMessage.objects.filter(sent_at__isnull=True).order_by("id")
    if message_ids is not None:
        rows = rows.filter(pk__in=message_ids)
    sent = 0
    for pk in list(rows.values_list("pk", flat=True)[:limit]):
        message = _claim(pk)
        if message is None:
            continue
        if _send(message):
            sent += 1
        elif not current_app.conf.task_always_eager:
            # The broker is down: the rest wait for the next relay instead of each timing out now.
            break
    return sent


def backlog() -> int:
    """Return how many messages wait to be sent (shown by /healthz)."""
    return OutboxMessage.objects.filter(sent_at__isnull=True).count()


def backlog_age() -> timedelta | None:
    """Return how long the oldest unsent message has waited, or None when none waits (shown by /healthz)."""
    oldest = (
        OutboxMessage.objects.filter(sent_at__isnull=True).order_by("id").values_list("created_at", flat=True).first()
    )
    return None if oldest is None else timezone.now() - oldest


def purge(*, older_than: timedelta = KEEP_SENT) -> int:
    """Delete the messages sent more than `older_than` ago; return how many. Unsent ones are kept."""
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=timezone.now() - older_than).delete()
    return deleted

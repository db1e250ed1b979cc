"""Background work owned by core: thin tasks that take ids and call a service."""

from celery import shared_task
from django.core.management import call_command


@shared_task
def ping() -> str:
    """Answer "pong": proves a worker consumes from the broker."""
    return "pong"


@shared_task
def purge_expired_sessions() -> None:
    call_command("clearsessions")


@shared_task
def notification_email_send(notification_id: int) -> bool:
    """Email one notice if its person wants it by email; safe to run twice (it sends once)."""
    from core.notifications import notification_email_send as send

    return send(notification_id=notification_id)


@shared_task
def notification_digests_send() -> int:
    """Send the weekly digests due (beat runs it hourly; a person gets one a week at most)."""
    from core.notifications import notification_digests_send as send

    return send()


@shared_task
def outbox_relay() -> int:
    """Send the outbox messages a broker outage held back; return how many went out.

    Beat sends it every 30 seconds; `make run`'s in-process beat runs it too, for the messages
    whose in-process task failed.
    """
    from core.outbox import relay

    return relay()


@shared_task
def outbox_purge() -> int:
    """Delete outbox messages sent more than a week ago; return how many."""
    from core.outbox import purge

    return purge()


@shared_task
def idempotency_purge() -> int:
    """Delete the Idempotency-Key rows older than the 24 hours they answer retries for; return how many."""
    from core.idempotency import purge

    return purge()

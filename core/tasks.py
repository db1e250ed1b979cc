from celery import shared_task
from django.core.management import call_command


@shared_task
def ping() -> str:
    """Answer "pong": proves a worker consumes from the broker."""
    return "pong"


@shared_task
def purge_expired_sessions() -> None:
    call_command("clearsessions")

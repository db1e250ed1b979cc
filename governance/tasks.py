"""Periodic and queued work for governance. Each task takes ids, calls a service and is safe to run twice."""

import logging

from celery import shared_task
from django.utils import timezone

from core.exceptions import ApplicationError
from governance.models import Ballot
from governance.services.ballots import REMIND_BEFORE, ballot_close, ballot_open, ballot_remind
from governance.services.execution import decision_execute

logger = logging.getLogger(__name__)


@shared_task
def open_due_ballots() -> list[int]:
    """Open every scheduled ballot whose opening time has passed; return their ids."""
    opened = []
    for ballot_id in Ballot.objects.filter(status=Ballot.Status.SCHEDULED, opens_at__lte=timezone.now()).values_list(
        "pk", flat=True
    ):
        try:
            ballot_open(ballot_id=ballot_id)
        except ApplicationError:
            logger.exception("Ballot %s could not open", ballot_id)
            continue
        opened.append(ballot_id)
    return opened


@shared_task
def close_due_ballots() -> list[int]:
    """Close every open ballot whose closing time has passed and decide it; return their ids."""
    closed = []
    for ballot_id in Ballot.objects.filter(status=Ballot.Status.OPEN, closes_at__lte=timezone.now()).values_list(
        "pk", flat=True
    ):
        try:
            ballot_close(ballot_id=ballot_id)
        except ApplicationError:
            logger.exception("Ballot %s could not close", ballot_id)
            continue
        closed.append(ballot_id)
    return closed


@shared_task
def send_closing_reminders() -> int:
    """Remind members a day before a ballot closes; return how many reminders went out."""
    now = timezone.now()
    due = Ballot.objects.filter(
        status=Ballot.Status.OPEN, reminder_sent_at__isnull=True, closes_at__gt=now, closes_at__lte=now + REMIND_BEFORE
    ).values_list("pk", flat=True)
    return sum(ballot_remind(ballot_id=ballot_id, now=now) for ballot_id in due)


@shared_task
def execute_decision(proposal_id: int) -> str:
    """Carry out a passed decision; return the execution's status."""
    return decision_execute(proposal_id=proposal_id).status

"""Weekly timesheets on hourly contracts: the freelancer states the hours, the client approves.

No screenshots and no activity tracking: trust, with the client's approval and a dispute as the check.
An approved week becomes a milestone that the client pays; when the money arrives it is released.
"""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, Conflict, NotAllowed
from core.money import prorate
from core.notifications import notify
from core.permissions import authorize
from core.services import audit_log
from core.transitions import transition
from marketplace.exceptions import ErrorCode
from marketplace.models import (
    Contract,
    Milestone,
    MilestoneStatusChange,
    Timesheet,
    TimesheetStatusChange,
)
from marketplace.services.contracts import contract_url, lock_contract
from marketplace.services.milestones import milestone_fund
from marketplace.services.work_rules import minimum_rate_check_contract_rate
from membership.models import User

MINUTES_PER_HOUR = 60
MAX_WEEK_MINUTES = 7 * 24 * MINUTES_PER_HOUR


def timesheet_amount_cents(*, rate_cents: int, minutes: int) -> int:
    """Return the hours' price, rounded down to the cent: any rounding goes the client's way."""
    return prorate(rate_cents, minutes, MINUTES_PER_HOUR)


def _week(week_start: date) -> str:
    return date_format(week_start, "DATE_FORMAT")


@transaction.atomic
def timesheet_submit(*, contract_id: int, actor: User, week_start: date, minutes: int, description: str) -> Timesheet:
    contract = lock_contract(contract_id=contract_id)
    authorize(actor, "contract.log_hours", contract)
    if contract.status != Contract.Status.ACTIVE:
        raise Conflict(_("This contract has ended."), code=ErrorCode.CONTRACT_NOT_ACTIVE)
    if not contract.is_hourly:
        raise ApplicationError(_("Timesheets are for hourly contracts."), code=ErrorCode.NOT_HOURLY)
    if week_start.weekday() != 0:
        raise ApplicationError(_("A timesheet week starts on a Monday."), code=ErrorCode.WEEK_NOT_MONDAY)
    if week_start > timezone.localdate():
        raise ApplicationError(
            _("You cannot log hours for a week that has not started."), code=ErrorCode.WEEK_IN_FUTURE
        )
    if minutes <= 0 or minutes > MAX_WEEK_MINUTES:
        raise ApplicationError(_("Log between 1 minute and 168 hours."), code=ErrorCode.MINUTES_INVALID)
    if not description.strip():
        raise ApplicationError(_("Say what you worked on."), code=ErrorCode.DESCRIPTION_BLANK)
    # The floor in force when the contract started: a contract agreed before a floor keeps its rate.
    minimum_rate_check_contract_rate(job=contract.job, rate_cents=contract.amount_cents, started_at=contract.created_at)
    amount = timesheet_amount_cents(rate_cents=contract.amount_cents, minutes=minutes)
    if amount <= 0:
        raise ApplicationError(_("The hours are too few to bill."), code=ErrorCode.AMOUNT_NOT_POSITIVE)
    timesheet = Timesheet.objects.select_for_update().filter(contract=contract, week_start=week_start).first()
    if timesheet is None:
        timesheet = Timesheet.objects.create(
            contract=contract, week_start=week_start, minutes=minutes, description=description, amount_cents=amount
        )
        TimesheetStatusChange.objects.create(timesheet=timesheet, to_status=timesheet.status, actor=actor)
        audit_log(actor=actor, action="timesheet.submitted", target=timesheet, data={"minutes": minutes})
    else:
        if timesheet.status != Timesheet.Status.REJECTED:
            raise Conflict(_("You already sent a timesheet for this week."), code=ErrorCode.TIMESHEET_EXISTS)
        timesheet.minutes = minutes
        timesheet.description = description
        timesheet.amount_cents = amount
        transition(
            timesheet, Timesheet.Status.SUBMITTED, actor=actor, update_fields=("minutes", "description", "amount_cents")
        )
    notify(
        user=contract.client, kind="timesheet_submitted", data={"week": _week(week_start)}, url=contract_url(contract)
    )
    return timesheet


def _lock_for_client(*, timesheet_id: int, actor: User, action: str) -> tuple[Contract, Timesheet]:
    contract_id = Timesheet.objects.filter(pk=timesheet_id).values_list("contract_id", flat=True).first()
    if contract_id is None:
        raise NotAllowed(_("You are not a party to this contract."), code=ErrorCode.NOT_PARTY)
    contract = lock_contract(contract_id=contract_id)
    timesheet = Timesheet.objects.select_for_update().get(pk=timesheet_id)
    timesheet.contract = contract
    authorize(actor, action, timesheet)
    return contract, timesheet


@transaction.atomic
def timesheet_approve(*, timesheet_id: int, actor: User) -> Timesheet:
    """Approve the week: it becomes a milestone with a payment request; paid, it is released at once."""
    contract, timesheet = _lock_for_client(timesheet_id=timesheet_id, actor=actor, action="timesheet.approve")
    position = (Milestone.objects.filter(contract=contract).aggregate(m=Max("position"))["m"] or 0) + 1
    milestone = Milestone.objects.create(
        contract=contract,
        position=position,
        title=_("Hours for the week of %(week)s") % {"week": _week(timesheet.week_start)},
        amount_cents=timesheet.amount_cents,
        due_date=timesheet.week_start + timedelta(days=6),
    )
    MilestoneStatusChange.objects.create(milestone=milestone, to_status=milestone.status, actor=actor)
    timesheet.milestone = milestone
    transition(timesheet, Timesheet.Status.APPROVED, actor=actor, update_fields=("milestone",))
    milestone_fund(milestone_id=milestone.pk, actor=actor)
    notify(
        user=contract.freelancer,
        kind="timesheet_approved",
        data={"week": _week(timesheet.week_start)},
        url=contract_url(contract),
    )
    return timesheet


@transaction.atomic
def timesheet_reject(*, timesheet_id: int, actor: User, note: str) -> Timesheet:
    contract, timesheet = _lock_for_client(timesheet_id=timesheet_id, actor=actor, action="timesheet.reject")
    if not note.strip():
        raise ApplicationError(_("Say what is wrong with the timesheet."), code=ErrorCode.NOTE_BLANK)
    timesheet.client_note = note
    transition(timesheet, Timesheet.Status.REJECTED, actor=actor, update_fields=("client_note",))
    notify(
        user=contract.freelancer,
        kind="timesheet_rejected",
        data={"week": _week(timesheet.week_start)},
        url=contract_url(contract),
    )
    return timesheet

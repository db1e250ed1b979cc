"""Milestones: add, fund into escrow, deliver, approve or ask for changes, auto-release, refund.

Lock order: contract, then milestone. Money moves only through marketplace.services.escrow.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, Conflict, NotAllowed
from core.notifications import notify
from core.permissions import authorize
from core.services import audit_log
from core.transitions import transition
from marketplace.exceptions import ErrorCode
from marketplace.models import (
    Contract,
    Delivery,
    DeliveryFile,
    Milestone,
    MilestoneStatusChange,
)
from marketplace.services import escrow
from marketplace.services._limits import check_amount_ceiling, check_due_date
from marketplace.services.contracts import contract_complete_if_done, contract_url, lock_contract
from marketplace.services.work_rules import minimum_rate_check_milestone
from marketplace.validators import check_upload
from membership.models import User

# A milestone's estimate; more work than this is more than one milestone.
MAX_MILESTONE_HOURS = 2000

if TYPE_CHECKING:
    from payouts.models import PaymentRequest

MAX_DELIVERY_FILES = 10


def _lock(*, milestone_id: int) -> tuple[Contract, Milestone]:
    contract_id = Milestone.objects.filter(pk=milestone_id).values_list("contract_id", flat=True).first()
    if contract_id is None:
        raise NotAllowed(_("You are not a party to this contract."), code=ErrorCode.NOT_PARTY)
    contract = lock_contract(contract_id=contract_id)
    milestone = Milestone.objects.select_for_update().get(pk=milestone_id)
    milestone.contract = contract
    return contract, milestone


def _active(contract: Contract) -> None:
    if contract.status != Contract.Status.ACTIVE:
        raise Conflict(_("This contract has ended."), code=ErrorCode.CONTRACT_NOT_ACTIVE)


def _move(
    *, milestone: Milestone, to_status: str, actor: User | None, note: str = "", fields: tuple[str, ...] = ()
) -> None:
    transition(milestone, to_status, actor=actor, update_fields=fields, history_data={"note": note})


def _notify(*, user: User, kind: str, milestone: Milestone, contract: Contract) -> None:
    notify(user=user, kind=kind, data={"milestone": milestone.title}, url=contract_url(contract))


@transaction.atomic
def milestone_add(
    *,
    contract_id: int,
    actor: User,
    title: str,
    amount_cents: int,
    due_date: date | None = None,
    estimated_hours: int | None = None,
) -> Milestone:
    """The client adds a milestone to an active fixed-price contract (more work, agreed in the thread).

    The due date, if any, is today or later; milestones the platform writes itself (from an agreed
    plan, for an approved timesheet week) are created elsewhere and keep the dates they were given.
    """
    contract = lock_contract(contract_id=contract_id)
    authorize(actor, "contract.add_milestone", contract)
    _active(contract)
    if contract.is_hourly:
        raise ApplicationError(
            _("Hourly work is paid by weekly timesheets, not milestones."), code=ErrorCode.PLAN_ON_HOURLY
        )
    if not title.strip():
        raise ApplicationError(_("Give the milestone a title."), code=ErrorCode.TITLE_BLANK)
    if amount_cents <= 0:
        raise ApplicationError(_("The amount must be more than zero."), code=ErrorCode.AMOUNT_NOT_POSITIVE)
    check_amount_ceiling(amount_cents, currency=contract.currency)
    check_due_date(due_date)
    if estimated_hours is not None and not 1 <= estimated_hours <= MAX_MILESTONE_HOURS:
        raise ApplicationError(
            _("Estimate between 1 and %(max)d hours.") % {"max": MAX_MILESTONE_HOURS},
            code=ErrorCode.ESTIMATED_HOURS_REQUIRED,
            detail={"field": "estimated_hours"},
        )
    # The floor the contract started under, never one decided since (not retroactive).
    minimum_rate_check_milestone(
        job=contract.job, amount_cents=amount_cents, estimated_hours=estimated_hours, started_at=contract.created_at
    )
    position = (Milestone.objects.filter(contract=contract).aggregate(m=Max("position"))["m"] or 0) + 1
    milestone = Milestone.objects.create(
        contract=contract, position=position, title=title.strip(), amount_cents=amount_cents, due_date=due_date
    )
    MilestoneStatusChange.objects.create(milestone=milestone, to_status=milestone.status, actor=actor)
    audit_log(actor=actor, action="milestone.added", target=milestone, data={"amount_cents": amount_cents})
    return milestone


@transaction.atomic
def milestone_fund(
    *, milestone_id: int, actor: User, provider: str = escrow.DEFAULT_PROVIDER
) -> tuple[Milestone, PaymentRequest]:
    """The client asks to pay the milestone into escrow; returns the milestone and its payment request.

    With bank transfer the money counts once finance confirms it arrived, by card once Stripe's
    verified webhook says so (the payment purpose handler below); asking again returns the same
    request, whichever provider it names.
    """
    contract, milestone = _lock(milestone_id=milestone_id)
    authorize(actor, "milestone.fund", milestone)
    _active(contract)
    if milestone.status == Milestone.Status.FUNDING:
        return milestone, escrow.funding_request_get(milestone_id=milestone.pk)
    request = escrow.funding_request_create(milestone=milestone, contract=contract, actor=actor, provider=provider)
    milestone.payment_reference = request.reference
    _move(milestone=milestone, to_status=Milestone.Status.FUNDING, actor=actor, fields=("payment_reference",))
    return milestone, request


def on_milestone_paid(payment_request: PaymentRequest) -> None:
    """Payment purpose handler: the funding arrived. Runs inside the confirming transaction, once."""
    contract, milestone = _lock(milestone_id=int(payment_request.purpose_ref))
    if milestone.status != Milestone.Status.FUNDING:
        return
    _move(milestone=milestone, to_status=Milestone.Status.FUNDED, actor=None, note=payment_request.reference)
    escrow.fund(milestone=milestone, contract=contract, provider=payment_request.provider, actor=None)
    if hasattr(milestone, "timesheet"):
        # The hours were approved before payment was asked for: pay them out at once.
        _release(contract=contract, milestone=milestone, actor=None)
        return
    _notify(user=contract.freelancer, kind="milestone_funded", milestone=milestone, contract=contract)


@transaction.atomic
def milestone_submit(
    *, milestone_id: int, actor: User, message: str, files: Sequence[UploadedFile[bytes]] = ()
) -> Delivery:
    """The freelancer delivers work: a message and files. The auto-release clock starts."""
    contract, milestone = _lock(milestone_id=milestone_id)
    authorize(actor, "milestone.deliver", milestone)
    _active(contract)
    if not message.strip():
        raise ApplicationError(_("Say what you are delivering."), code=ErrorCode.MESSAGE_BLANK)
    if len(files) > MAX_DELIVERY_FILES:
        raise ApplicationError(_("Attach at most 10 files."), code=ErrorCode.TOO_MANY_FILES)
    names = [check_upload(file) for file in files]
    now = timezone.now()
    milestone.submitted_at = now
    milestone.auto_release_at = now + timedelta(days=contract.auto_release_days)
    _move(
        milestone=milestone,
        to_status=Milestone.Status.SUBMITTED,
        actor=actor,
        fields=("submitted_at", "auto_release_at"),
    )
    delivery = Delivery.objects.create(milestone=milestone, author=actor, message=message)
    for file, name in zip(files, names, strict=True):
        stored = DeliveryFile(delivery=delivery, name=name[:200])
        stored.file.save(name, file, save=False)
        stored.save()
    audit_log(
        actor=actor, action="milestone.delivery", target=milestone, data={"delivery": delivery.pk, "files": len(files)}
    )
    _notify(user=contract.client, kind="milestone_submitted", milestone=milestone, contract=contract)
    return delivery


def _release(*, contract: Contract, milestone: Milestone, actor: User | None) -> None:
    milestone.released_at = timezone.now()
    milestone.auto_release_at = None
    _move(
        milestone=milestone, to_status=Milestone.Status.RELEASED, actor=actor, fields=("released_at", "auto_release_at")
    )
    escrow.release(milestone=milestone, contract=contract, actor=actor)
    _notify(user=contract.freelancer, kind="milestone_released", milestone=milestone, contract=contract)
    contract_complete_if_done(contract=contract, actor=actor)


@transaction.atomic
def milestone_approve(*, milestone_id: int, actor: User) -> Milestone:
    """The client approves the work (or releases early): escrow pays the freelancer, minus the fee."""
    contract, milestone = _lock(milestone_id=milestone_id)
    authorize(actor, "milestone.approve", milestone)
    _release(contract=contract, milestone=milestone, actor=actor)
    return milestone


@transaction.atomic
def milestone_request_changes(*, milestone_id: int, actor: User, note: str) -> Milestone:
    contract, milestone = _lock(milestone_id=milestone_id)
    authorize(actor, "milestone.request_changes", milestone)
    if not note.strip():
        raise ApplicationError(_("Say which changes you need."), code=ErrorCode.NOTE_BLANK)
    milestone.auto_release_at = None
    _move(
        milestone=milestone,
        to_status=Milestone.Status.CHANGES_REQUESTED,
        actor=actor,
        note=note,
        fields=("auto_release_at",),
    )
    _notify(user=contract.freelancer, kind="milestone_changes_requested", milestone=milestone, contract=contract)
    return milestone


@transaction.atomic
def milestone_auto_release(*, milestone_id: int) -> bool:
    """Release a delivered milestone whose client did not answer in time; False if not (or no longer) due."""
    contract, milestone = _lock(milestone_id=milestone_id)
    due = milestone.auto_release_at
    if milestone.status != Milestone.Status.SUBMITTED or due is None or due > timezone.now():
        return False
    audit_log(actor=None, action="milestone.auto_release", target=milestone, data={"due": due.isoformat()})
    _release(contract=contract, milestone=milestone, actor=None)
    return True


def milestones_auto_release_due() -> int:
    """Release every overdue delivered milestone, each in its own transaction; return how many."""
    due_ids = list(
        Milestone.objects.filter(status=Milestone.Status.SUBMITTED, auto_release_at__lte=timezone.now())
        .order_by("auto_release_at", "pk")
        .values_list("pk", flat=True)
    )
    return sum(1 for milestone_id in due_ids if milestone_auto_release(milestone_id=milestone_id))


@transaction.atomic
def milestone_refund(*, milestone_id: int, actor: User) -> Milestone:
    """The freelancer gives a funded milestone's money back to the client (work will not be done)."""
    contract, milestone = _lock(milestone_id=milestone_id)
    authorize(actor, "milestone.refund", milestone)
    milestone.auto_release_at = None
    _move(milestone=milestone, to_status=Milestone.Status.REFUNDED, actor=actor, fields=("auto_release_at",))
    escrow.refund(milestone=milestone, contract=contract, actor=actor)
    _notify(user=contract.client, kind="milestone_refunded", milestone=milestone, contract=contract)
    contract_complete_if_done(contract=contract, actor=actor)
    return milestone


@transaction.atomic
def milestone_cancel(*, milestone_id: int, actor: User) -> Milestone:
    """The client drops a milestone that was never funded."""
    contract, milestone = _lock(milestone_id=milestone_id)
    authorize(actor, "milestone.cancel", milestone)
    _move(milestone=milestone, to_status=Milestone.Status.CANCELLED, actor=actor)
    contract_complete_if_done(contract=contract, actor=actor)
    return milestone

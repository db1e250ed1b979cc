"""Opening a cycle, starting its computation and execution, and approving its frozen allocation.

Lock order: the cycle row first, then its funds and member rows, then ledger accounts.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.decisions import decision_open
from core.exceptions import ApplicationError, Conflict, NotAllowed
from core.outbox import enqueue
from core.permissions import authorize
from core.services import audit_log
from core.transitions import transition
from payouts.cycles import labels
from payouts.cycles.decisions import APPROVE_DECISION
from payouts.cycles.exceptions import ErrorCode
from payouts.cycles.models import CycleStatus, PayoutCycle
from payouts.cycles.selectors.notice import period_text
from payouts.cycles.services.policies import surplus_policy_current

if TYPE_CHECKING:
    from membership.models import User


def _locked(cycle_id: int) -> PayoutCycle:
    cycle = PayoutCycle.objects.select_for_update().filter(pk=cycle_id).first()
    if cycle is None:
        raise ApplicationError(_("There is no such payout cycle."), code=ErrorCode.CYCLE_NOT_FOUND, status_code=404)
    return cycle


def _enqueue(task_name: str, cycle_id: int) -> None:
    from payouts.cycles import tasks

    task = getattr(tasks, task_name)
    enqueue(task, cycle_id)


@transaction.atomic
def cycle_open(*, period_start: date, period_end: date, actor: User) -> PayoutCycle:
    """Open a draft cycle for a closed period [start, end) under the policy in force."""
    authorize(actor, "payout_cycle.open")
    if period_start >= period_end:
        raise ApplicationError(
            _("The period must end after it starts."), code=ErrorCode.BAD_PERIOD, detail={"field": "period_end"}
        )
    # The period may include today (its end, exclusive, is tomorrow at the latest): the surplus is
    # computed from the ledger as it stands when the cycle is computed.
    if period_end > timezone.localdate() + timedelta(days=1):
        raise ApplicationError(
            _("A payout cycle cannot cover days still to come: its last day is today at the latest."),
            code=ErrorCode.PERIOD_NOT_OVER,
            detail={"field": "period_end"},
        )
    policy = surplus_policy_current()
    if policy is None:
        raise Conflict(_("Adopt a surplus policy first."), code=ErrorCode.NO_POLICY)
    overlapping = PayoutCycle.objects.select_for_update().filter(
        currency=policy.currency, period_start__lt=period_end, period_end__gt=period_start
    )
    if overlapping.exists():
        raise Conflict(
            _("Another payout cycle already covers part of this period."),
            code=ErrorCode.PERIOD_OVERLAP,
            detail={"field": "period_start"},
        )
    cycle = PayoutCycle.objects.create(
        policy=policy, period_start=period_start, period_end=period_end, currency=policy.currency, opened_by=actor
    )
    cycle.history.create(to_status=cycle.status, actor=actor)
    audit_log(actor=actor, action="payout_cycle.opened", target=cycle, data={"policy": policy.version})
    return cycle


@transaction.atomic
def cycle_compute_start(*, cycle_id: int, actor: User) -> PayoutCycle:
    """Queue the computation of a draft cycle (or a fresh one of a computed or failed cycle)."""
    authorize(actor, "payout_cycle.compute")
    cycle = _locked(cycle_id)
    if cycle.status == CycleStatus.FAILED and cycle.failed_from != CycleStatus.COMPUTING:
        raise Conflict(_("This cycle failed while paying out: resume the execution."), code=ErrorCode.RESUME_EXECUTION)
    if cycle.status in {CycleStatus.COMPUTED, CycleStatus.FAILED}:
        # Nothing was paid yet: the old allocation is dropped and computed again from the ledger.
        cycle.allocations.all().delete()
        cycle.funds.all().delete()
        cycle.allocation_hash = ""
        cycle.progress_done = cycle.progress_total = 0
        cycle.approval_proposal_id = None
        cycle.failure_reason = ""
        cycle.save()
    transition(cycle, CycleStatus.COMPUTING, actor=actor)
    _enqueue("cycle_compute_task", cycle.pk)
    return cycle


def computed_by_id(cycle: PayoutCycle) -> int | None:
    """The person who last started this cycle's computation (None if the platform did)."""
    change = cycle.history.filter(to_status=CycleStatus.COMPUTING).order_by("-created_at", "-pk").first()
    return change.actor_id if change is not None else None


def computed_by(cycle: PayoutCycle) -> User | None:
    """The person who last started this cycle's computation, for pages that name them."""
    change = (
        cycle.history.filter(to_status=CycleStatus.COMPUTING)
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )
    return change.actor if change is not None else None


def _four_eyes_approve(cycle: PayoutCycle, actor: User) -> None:
    """Whoever computed an allocation does not approve it too: a second person reviews it."""
    if actor.pk is not None and computed_by_id(cycle) == actor.pk:
        raise NotAllowed(
            _(
                "You computed this allocation, so someone else must approve it: "
                "a second board member, or the members by a vote."
            ),
            code=ErrorCode.SAME_PERSON_APPROVE,
        )


def _four_eyes_execute(cycle: PayoutCycle, actor: User) -> None:
    """Whoever approved an allocation does not pay it out too: execution is a second person's step."""
    if actor.pk is not None and cycle.approved_by_id == actor.pk:
        raise NotAllowed(
            _("You approved this allocation, so someone else from finance must pay it out."),
            code=ErrorCode.SAME_PERSON_EXECUTE,
        )


def _check_hash(cycle: PayoutCycle, allocation_hash: str) -> None:
    if allocation_hash != cycle.allocation_hash:
        raise Conflict(
            _("The allocation changed since it was reviewed: review it again."),
            code=ErrorCode.ALLOCATION_HASH_MISMATCH,
            detail={"field": "allocation_hash"},
        )


def _approve(cycle: PayoutCycle, actor: User | None, reason: str) -> PayoutCycle:
    # `reason` is one of labels' English approval reasons: pages show it in the reader's language.
    cycle.approved_at = timezone.now()
    cycle.approved_by = actor if actor is not None and actor.is_authenticated else None
    transition(
        cycle,
        CycleStatus.APPROVED,
        actor=actor,
        update_fields=("approved_at", "approved_by"),
        history_data={"reason": reason},
        audit_data={"reason": reason},
    )
    return cycle


@transaction.atomic
def cycle_approve(*, cycle_id: int, allocation_hash: str, actor: User) -> PayoutCycle:
    """Approve the computed allocation the board reviewed, identified by its hash."""
    authorize(actor, "payout_cycle.approve")
    cycle = _locked(cycle_id)
    if cycle.status != CycleStatus.COMPUTED:
        raise Conflict(_("Only a computed cycle can be approved."), code=ErrorCode.CYCLE_NOT_COMPUTED)
    if cycle.policy.requires_member_vote:
        raise Conflict(
            _("The surplus policy asks for a members' vote on this allocation."), code=ErrorCode.MEMBER_VOTE_REQUIRED
        )
    _check_hash(cycle, allocation_hash)
    _four_eyes_approve(cycle, actor)
    return _approve(cycle, actor, labels.APPROVED_BY_ADMIN)


@transaction.atomic
def cycle_vote_request(*, cycle_id: int, actor: User) -> PayoutCycle:
    """Put the computed allocation, by its hash, to the members as a proposal."""
    authorize(actor, "payout_cycle.put_to_vote")
    cycle = _locked(cycle_id)
    if cycle.status != CycleStatus.COMPUTED:
        raise Conflict(_("Only a computed cycle can be put to a vote."), code=ErrorCode.CYCLE_NOT_COMPUTED)
    if cycle.approval_proposal_id is not None:
        raise Conflict(_("This allocation is already put to a vote."), code=ErrorCode.VOTE_ALREADY_REQUESTED)
    proposal = decision_open(
        key=APPROVE_DECISION,
        payload={"cycle_id": cycle.pk, "allocation_hash": cycle.allocation_hash},
        title=_("Approve the payout cycle %(period)s") % {"period": period_text(cycle.period_start, cycle.period_end)},
        body=_("Allocation hash (SHA-256): %(hash)s") % {"hash": cycle.allocation_hash},
        author=actor,
        actor=actor,
    )
    cycle.approval_proposal_id = proposal.pk
    cycle.save(update_fields=["approval_proposal_id", "updated_at"])
    audit_log(actor=actor, action="payout_cycle.vote_requested", target=cycle, data={"proposal_id": proposal.pk})
    return cycle


@transaction.atomic
def cycle_approve_by_vote(*, cycle_id: int, allocation_hash: str, proposal_id: int, actor: User | None) -> PayoutCycle:
    """Approve a cycle because the members voted for this allocation hash; refuse if it changed."""
    cycle = _locked(cycle_id)
    if cycle.status != CycleStatus.COMPUTED:
        raise Conflict(_("Only a computed cycle can be approved."), code=ErrorCode.CYCLE_NOT_COMPUTED)
    _check_hash(cycle, allocation_hash)
    return _approve(cycle, actor, labels.APPROVED_BY_VOTE % {"id": proposal_id})


@transaction.atomic
def cycle_execute_start(*, cycle_id: int, actor: User) -> PayoutCycle:
    """Queue the execution of an approved cycle, or the resumption of one that failed paying out."""
    authorize(actor, "payout_cycle.execute")
    cycle = _locked(cycle_id)
    if cycle.status == CycleStatus.FAILED and cycle.failed_from != CycleStatus.EXECUTING:
        raise Conflict(_("This cycle failed while computing: compute it again."), code=ErrorCode.RESUME_COMPUTE)
    if cycle.status not in {CycleStatus.APPROVED, CycleStatus.FAILED}:
        raise Conflict(_("Only an approved cycle can be paid out."), code=ErrorCode.CYCLE_NOT_APPROVED)
    _four_eyes_execute(cycle, actor)
    cycle.progress_done = cycle.allocations.filter(retained_done=True, cash_done=True).count()
    cycle.failure_reason = ""
    transition(cycle, CycleStatus.EXECUTING, actor=actor, update_fields=("progress_done", "failure_reason"))
    _enqueue("cycle_execute_task", cycle.pk)
    return cycle

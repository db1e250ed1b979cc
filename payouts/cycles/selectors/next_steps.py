"""Where a payout cycle stands and what happens next, in words, for the board and for a member.

Each status has its sentence; a status after which nothing more happens (paid) has no next step,
so its page shows none rather than an empty heading.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from payouts.cycles.models import CycleStatus, PayoutCycle


@dataclass(frozen=True)
class CycleState:
    """A cycle's status line, and what happens next (empty when nothing does)."""

    status: str
    next_step: str
    shows_progress: bool


def _when(moment: datetime | None) -> str:
    return date_format(localtime(moment), "j F Y, H:i") if moment else ""


def _moved_to(cycle: PayoutCycle, status: str) -> datetime | None:
    """Return when the cycle last moved to `status`, from its history (prefetched on the cycle page)."""
    moments = [change.created_at for change in cycle.history.all() if change.to_status == status]
    return max(moments) if moments else None


def cycle_state(cycle: PayoutCycle) -> CycleState:
    """Return the board's view: the status in words and the next step an admin takes, if any."""
    status = cycle.status
    done, total = cycle.progress_done, cycle.progress_total
    progress = {"done": done, "total": total}
    if status == CycleStatus.DRAFT:
        return CycleState(
            _("Opened. Nothing is computed yet."),
            _("Compute the allocation from the ledger. You can compute again until it is approved."),
            False,
        )
    if status == CycleStatus.COMPUTING:
        return CycleState(
            ngettext(
                "Computing the allocation: %(done)s of %(total)s member done.",
                "Computing the allocation: %(done)s of %(total)s members done.",
                total,
            )
            % progress,
            _("When computing is done, this page reloads with the statements to review."),
            True,
        )
    if status == CycleStatus.COMPUTED:
        line = _("Computed on %(when)s. Nothing is paid before the allocation is approved.") % {
            "when": _when(_moved_to(cycle, CycleStatus.COMPUTED))
        }
        if cycle.policy.requires_member_vote:
            if cycle.approval_proposal_id:
                step = _(
                    "The members vote on this allocation (proposal %(id)s). If they pass it, the cycle is "
                    "approved by itself; then pay it out."
                ) % {"id": cycle.approval_proposal_id}
            else:
                step = _("Check the statements, then put the allocation to the members' vote.")
        else:
            step = _(
                "Check the statements, then approve the allocation. What you approve is the allocation with "
                "the hash below: any cent moved would change it."
            )
        return CycleState(line, step, False)
    if status == CycleStatus.APPROVED:
        approver = cycle.approved_by.display_name if cycle.approved_by else _("the members' vote")
        return CycleState(
            _("Approved on %(when)s by %(who)s. Nothing is paid yet.")
            % {"when": _when(cycle.approved_at), "who": approver},
            _(
                "Pay it out. Each member's cash part goes to their balance (and on to their bank account where "
                "they have one), the rest to their capital account, and the funds are posted."
            ),
            False,
        )
    if status == CycleStatus.EXECUTING:
        return CycleState(
            ngettext(
                "Paying out: %(done)s of %(total)s member done.",
                "Paying out: %(done)s of %(total)s members done.",
                total,
            )
            % progress,
            _("When every member is paid, this page reloads. Nobody is paid twice if it stops and resumes."),
            True,
        )
    if status == CycleStatus.PAID:
        return CycleState(
            ngettext(
                "Paid out on %(when)s: %(total)s member's part is paid or credited and the funds are posted.",
                "Paid out on %(when)s: all %(total)s members' parts are paid or credited and the funds are posted.",
                total,
            )
            % {"when": _when(_moved_to(cycle, CycleStatus.PAID)), "total": total},
            "",
            False,
        )
    if cycle.failed_from == CycleStatus.EXECUTING:
        return CycleState(
            _("Paying out stopped: %(done)s of %(total)s members done.") % progress,
            _("Once the cause above is fixed, resume paying out. Members already paid are not paid twice."),
            True,
        )
    return CycleState(
        _("Computing stopped before it was done."),
        _("Once the cause above is fixed, compute again."),
        False,
    )


def member_next_step(cycle: PayoutCycle) -> str:
    """Return what happens next to a member's allocation in this cycle, or "" when nothing more does."""
    if cycle.status == CycleStatus.COMPUTED:
        if cycle.policy.requires_member_vote:
            return _("Next: the members vote on this allocation. Nothing is paid before it is approved.")
        return _("Next: the board checks and approves this allocation. Nothing is paid before it is approved.")
    if cycle.status == CycleStatus.APPROVED:
        return _(
            "Next: the cycle is paid out. The cash part goes to your balance (and on to your bank account if you "
            "have set one up), the rest to your capital account."
        )
    if cycle.status == CycleStatus.EXECUTING:
        return _(
            "The cycle is being paid out now: the cash part to your balance (and on to your bank account if you have "
            "set one up), the rest to your capital account."
        )
    return ""

"""The one place a cycle's status changes: checked against the table, with a history row."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.exceptions import Conflict
from core.services import audit_log
from payouts.cycles.models import CYCLE_TRANSITIONS, CycleStatus, CycleStatusChange, PayoutCycle


def cycle_transition(*, cycle: PayoutCycle, to_status: str, actor: Any | None, reason: str = "") -> PayoutCycle:
    """Move a locked cycle to `to_status`; the caller holds the row lock inside its transaction."""
    previous = cycle.status
    if to_status not in CYCLE_TRANSITIONS[previous]:
        raise Conflict(
            _("A payout cycle cannot move from %(from)s to %(to)s.")
            % {"from": CycleStatus(previous).label, "to": CycleStatus(to_status).label},
            code="cycle_bad_transition",
        )
    cycle.status = to_status
    fields = ["status", "updated_at"]
    if to_status == CycleStatus.FAILED:
        cycle.failure_reason = reason[:500]
        cycle.failed_from = previous
        fields += ["failure_reason", "failed_from"]
    elif previous == CycleStatus.FAILED:
        cycle.failure_reason = ""
        fields += ["failure_reason"]
    cycle.save(update_fields=fields)
    CycleStatusChange.objects.create(
        cycle=cycle,
        from_status=previous,
        to_status=to_status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason[:500],
    )
    audit_log(
        actor=actor, action=f"payout_cycle.{to_status}", target=cycle, data={"from": previous, "reason": reason[:500]}
    )
    return cycle

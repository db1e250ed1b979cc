"""The notice payout cycles send: a member's profit-share statement is ready."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.notifications import NotificationKind, notify, register_notification_kind
from payouts.notifications import TOPIC, amount_for

if TYPE_CHECKING:
    from core.models import Notification
    from payouts.cycles.models import CycleAllocation, PayoutCycle

STATEMENT_READY = "payouts.statement_ready"


def register_notification_kinds() -> None:
    register_notification_kind(
        NotificationKind(
            key=STATEMENT_READY,
            text=_("Your profit-share statement for %(period)s is ready: %(amount)s."),
            label=_("My profit-share statement of a payout cycle is ready"),
            topic=TOPIC,
        )
    )


def statement_ready_notify(row: CycleAllocation, cycle: PayoutCycle) -> Notification:
    """Tell the member their share of an approved cycle is paid out, with a link to the statement."""
    user = row.member.user
    return notify(
        user=user,
        kind=STATEMENT_READY,
        data={
            "period": f"{cycle.period_start:%Y-%m-%d} – {cycle.period_end:%Y-%m-%d}",
            "amount": amount_for(user, row.allocated_cents, cycle.currency),
        },
        url=reverse("payout_cycles:my_statement", args=[cycle.pk]),
    )

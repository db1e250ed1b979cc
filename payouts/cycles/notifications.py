"""The notice payout cycles send: a member's profit-share statement is ready."""

from __future__ import annotations

from datetime import timedelta
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
            text=_("Your profit-share statement for %(first)s to %(last)s is ready: %(amount)s."),
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
            # Kept as dates, so each reader sees them in their own language ("1 November 2026"); the
            # period's end is exclusive, so the last day is the day before.
            "first": cycle.period_start,
            "last": cycle.period_end - timedelta(days=1),
            "amount": amount_for(user, row.allocated_cents, cycle.currency),
        },
        url=reverse("payout_cycles:my_statement", args=[cycle.pk]),
    )

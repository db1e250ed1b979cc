"""The notices membership sends: an application decided, a change in a member's capital account."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.notifications import NotificationKind, notify, register_notification_kind
from membership.models import Member

ADMITTED = "membership.admitted"
REJECTED = "membership.rejected"
CAPITAL_CHANGED = "membership.capital_changed"

TOPIC = _("Membership")


def register_notification_kinds() -> None:
    register_notification_kind(
        NotificationKind(
            key=ADMITTED,
            text=_("Welcome to the coop: you are now member %(number)s."),
            label=_("My membership application is accepted"),
            topic=TOPIC,
        )
    )
    register_notification_kind(
        NotificationKind(
            key=REJECTED,
            text=_("Your membership application was turned down. Reason: %(reason)s"),
            label=_("My membership application is turned down"),
            topic=TOPIC,
        )
    )
    register_notification_kind(
        NotificationKind(
            key=CAPITAL_CHANGED,
            text=_("Your capital statement changed."),
            label=_("Money moves into or out of my capital account"),
            topic=TOPIC,
        )
    )


def application_admitted_notify(member: Member) -> None:
    """Tell the new member they are admitted (inside the admitting transaction)."""
    notify(
        user=member.user,
        kind=ADMITTED,
        data={"number": member.member_number},
        url=reverse("membership:home"),
    )


def application_rejected_notify(member: Member, *, reason: str) -> None:
    """Tell the applicant their application was turned down, and why."""
    notify(user=member.user, kind=REJECTED, data={"reason": reason}, url=reverse("membership:home"))


def capital_changed_notify(member: Member, *, batch: str) -> None:
    """Tell the member their capital account changed (a share paid or redeemed), with a link to the statement.

    `batch` names the ledger movement ("share_purchase", "share_redeem"), kept for the export.
    """
    notify(user=member.user, kind=CAPITAL_CHANGED, data={"movement": batch}, url=reverse("membership:capital"))

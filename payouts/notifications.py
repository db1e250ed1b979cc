"""The notices payouts sends: a withdrawal paid out. Profit-share statements: payouts.cycles.notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.money import Money
from core.notifications import NotificationKind, notify, register_notification_kind

if TYPE_CHECKING:
    from core.models import Notification
    from membership.models import User
    from payouts.models import Withdrawal

PAYOUT_SENT = "payouts.payout_sent"

# Shared with payouts.cycles, so both kinds stand under one heading on the settings page.
TOPIC = _("Payments and profit shares")


def register_notification_kinds() -> None:
    register_notification_kind(
        NotificationKind(
            key=PAYOUT_SENT,
            text=_("We paid %(amount)s out to your account ending in %(account_end)s."),
            label=_("A withdrawal of mine is paid out"),
            topic=TOPIC,
        )
    )


def amount_for(user: User, amount_cents: int, currency: str) -> str:
    """Return the amount as the reader writes it: the notice keeps the text, not the number."""
    return Money(amount_cents, currency).format(locale=user.preferred_language or settings.LANGUAGE_CODE)


def payout_sent_notify(withdrawal: Withdrawal) -> Notification:
    """Tell the freelancer their withdrawal was paid (inside the settling transaction)."""
    return notify(
        user=withdrawal.user,
        kind=PAYOUT_SENT,
        data={
            "amount": amount_for(withdrawal.user, withdrawal.amount_cents, withdrawal.currency),
            "account_end": withdrawal.iban[-4:],
        },
        url=reverse("payouts:earnings"),
    )

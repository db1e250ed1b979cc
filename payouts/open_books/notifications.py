"""The notices of the open books: an expense waits for a decision (to finance), and was decided (to its claimant)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.notifications import NotificationKind, notify, notify_many, register_notification_kind
from payouts.notifications import TOPIC, amount_for

if TYPE_CHECKING:
    from payouts.open_books.models import ExpenseClaim

EXPENSE_SUBMITTED = "open_books.expense_submitted"
EXPENSE_APPROVED = "open_books.expense_approved"
EXPENSE_REJECTED = "open_books.expense_rejected"


def register() -> None:
    register_notification_kind(
        NotificationKind(
            key=EXPENSE_SUBMITTED,
            text=_("An expense of %(amount)s waits for your approval: %(description)s."),
            label=_("An expense waits for finance's approval (finance only)"),
            topic=TOPIC,
        )
    )
    register_notification_kind(
        NotificationKind(
            key=EXPENSE_APPROVED,
            text=_("Your expense of %(amount)s was approved: %(description)s."),
            label=_("An expense of mine is approved"),
            topic=TOPIC,
        )
    )
    register_notification_kind(
        NotificationKind(
            key=EXPENSE_REJECTED,
            text=_("Your expense of %(amount)s was turned down: %(reason)s"),
            label=_("An expense of mine is turned down"),
            topic=TOPIC,
        )
    )


def expense_submitted_notify(claim: ExpenseClaim) -> int:
    """Tell finance (everyone but the claimant) that an expense waits for a decision."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    url = reverse("open_books:expense_detail", args=[claim.pk])
    finance = (
        get_user_model()
        .objects.filter(Q(groups__name="finance") | Q(is_superuser=True), is_active=True)
        .exclude(pk=claim.claimant_id)
        .distinct()
    )
    return notify_many(
        users=finance,
        kind=EXPENSE_SUBMITTED,
        data={
            "amount": amount_for(claim.claimant, claim.amount_cents, claim.currency),
            "description": claim.description,
        },
        url=url,
    )


def expense_decided_notify(claim: ExpenseClaim) -> None:
    approved = claim.status == claim.Status.APPROVED
    notify(
        user=claim.claimant,
        kind=EXPENSE_APPROVED if approved else EXPENSE_REJECTED,
        data={
            "amount": amount_for(claim.claimant, claim.amount_cents, claim.currency),
            "description": claim.description,
            "reason": claim.rejection_reason,
        },
        url=reverse("open_books:expense_detail", args=[claim.pk]),
    )

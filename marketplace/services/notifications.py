"""In-app notifications and the emails that follow them, by each user's preferences."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.services import audit_log
from marketplace.models import Notification, NotificationPreference

# kind -> (the preference that governs its email, the text with %(name)s placeholders from data)
KINDS: dict[str, tuple[str, Any]] = {
    "proposal_received": ("email_proposals", _("%(freelancer)s sent a proposal for “%(job)s”.")),
    "proposal_revised": ("email_proposals", _("New terms were proposed for “%(job)s”.")),
    "proposal_shortlisted": ("email_proposals", _("Your proposal for “%(job)s” was shortlisted.")),
    "proposal_declined": ("email_proposals", _("Your proposal for “%(job)s” was declined.")),
    "proposal_withdrawn": ("email_proposals", _("%(freelancer)s withdrew their proposal for “%(job)s”.")),
    "proposal_accepted": ("email_proposals", _("Your proposal for “%(job)s” was accepted: the contract has started.")),
    "message_received": ("email_messages", _("%(sender)s sent you a message about “%(subject)s”.")),
    "milestone_funded": ("email_contracts", _("Milestone “%(milestone)s” is funded: you can start work.")),
    "milestone_submitted": ("email_contracts", _("Work was delivered for milestone “%(milestone)s”.")),
    "milestone_changes_requested": ("email_contracts", _("Changes were requested on milestone “%(milestone)s”.")),
    "milestone_released": ("email_contracts", _("Milestone “%(milestone)s” was paid out to your balance.")),
    "milestone_refunded": ("email_contracts", _("Milestone “%(milestone)s” was refunded.")),
    "timesheet_submitted": ("email_contracts", _("A timesheet for the week of %(week)s awaits your approval.")),
    "timesheet_approved": ("email_contracts", _("Your timesheet for the week of %(week)s was approved.")),
    "timesheet_rejected": ("email_contracts", _("Your timesheet for the week of %(week)s was sent back.")),
    "contract_completed": ("email_contracts", _("The contract “%(contract)s” is complete. Please leave a review.")),
    "review_received": (
        "email_reviews",
        _("You received a review for “%(contract)s”; it appears once you review too."),
    ),
    "reviews_revealed": ("email_reviews", _("The reviews for “%(contract)s” are now visible.")),
    "dispute_opened": ("email_disputes", _("A dispute was opened on milestone “%(milestone)s”.")),
    "dispute_responded": ("email_disputes", _("The other side responded to the dispute on “%(milestone)s”.")),
    "dispute_resolved": ("email_disputes", _("The mediator decided the dispute on “%(milestone)s”.")),
    "saved_search_matches": ("email_saved_searches", _("New jobs match your saved search “%(name)s”.")),
}


def notification_text(notification: Notification) -> str:
    """Return the notice in the active language."""
    _pref, template = KINDS[notification.kind]
    try:
        return str(template) % notification.data
    except (KeyError, TypeError, ValueError):
        return str(template)


def notify(*, user: Any, kind: str, data: dict[str, Any], url: str = "", email: bool = True) -> Notification:
    """Create an in-app notice and, after commit, email it if the user wants that kind by email.

    email=False when the caller sends a richer email of its own.
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}")
    notification = Notification.objects.create(user=user, kind=kind, data=data, url=url)

    if not email:
        return notification
    from marketplace.tasks import notification_email_send

    transaction.on_commit(lambda: notification_email_send.delay(notification.pk))
    return notification


def email_wanted(*, user_id: int, kind: str) -> bool:
    preference = NotificationPreference.objects.filter(user_id=user_id).first()
    if preference is None:
        return True
    return bool(getattr(preference, KINDS[kind][0]))


@transaction.atomic
def notifications_mark_read(*, user: Any, notification_ids: list[int] | None = None) -> int:
    """Mark the user's notices read (all of them when no ids are given); return how many changed."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=notification_ids)
    return rows.update(read_at=timezone.now())


@transaction.atomic
def notification_preference_save(*, user: Any, actor: Any, **flags: bool) -> NotificationPreference:
    allowed = {field for field, _text in KINDS.values()}
    unknown = set(flags) - allowed
    if unknown:
        raise ValueError(f"Unknown preferences: {sorted(unknown)}")
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    for name, value in flags.items():
        setattr(preference, name, bool(value))
    preference.save()
    audit_log(actor=actor, action="notification_preference.saved", target=preference, subject=user, data=flags)
    return preference

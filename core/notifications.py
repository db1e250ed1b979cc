"""Notices to people, in the app and by email, by each person's choice per kind.

Every app registers the kinds of notice it sends (`register_notification_kind` in its
`AppConfig.ready()`) and calls `notify(user=..., kind=..., data=..., url=...)` inside the service
that made the event happen. The text is stored as the kind's template and its data, and rendered
when shown, so each reader sees it in their own language. Emails go after commit, once, in the
reader's language, with a one-click unsubscribe for that kind (RFC 8058).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from core.models import Notification, NotificationChannel, NotificationSetting
from core.outbox import enqueue
from core.registry import Registry
from core.services import audit_log

_UNSUBSCRIBE_SALT = "core.notifications.unsubscribe"
# How a date or a moment is kept in a notice's data, so its text shows it in the reader's style.
MOMENT = "$moment"
DAY = "$date"
DEFAULT_CHANNEL = NotificationChannel.BOTH
NOTIFY_BATCH = 500


@dataclass(frozen=True)
class NotificationKind:
    """One kind of notice.

    `text` is the notice itself, with %(name)s placeholders filled from the notification's data;
    `label` says on the settings page when it is sent ("Someone proposes for my job"); `topic`
    groups kinds there ("Proposals and offers"). `email`, when given, composes a richer email
    than the notice's text (the saved search's list of jobs) from the notification, in the
    reader's language, or returns None when there is nothing left to send.
    """

    key: str
    text: Any
    label: Any
    topic: Any
    email: Callable[[Notification], EmailMessage | None] | None = None


NOTIFICATION_KINDS: Registry[NotificationKind] = Registry("notification kinds")


def register_notification_kind(kind: NotificationKind) -> None:
    NOTIFICATION_KINDS.register(kind.key, kind)


def _stored(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return the notice's data as JSON, with moments kept as moments (shown in the reader's style)."""
    stored: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, datetime):
            stored[key] = {MOMENT: value.isoformat()}
        elif isinstance(value, date):
            stored[key] = {DAY: value.isoformat()}
        else:
            stored[key] = value
    return stored


def _shown(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return the data to fill a notice's text with: moments in the reader's language and time zone."""
    shown: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict) and MOMENT in value:
            shown[key] = date_format(timezone.localtime(datetime.fromisoformat(value[MOMENT])), "j F Y, H:i")
        elif isinstance(value, dict) and DAY in value:
            shown[key] = date_format(date.fromisoformat(value[DAY]), "j F Y")
        else:
            shown[key] = value
    return shown


def notification_text(notification: Notification) -> str:
    """Return the notice in the active language, dates and times in the reader's style."""
    template = str(NOTIFICATION_KINDS.get(notification.kind).text)
    try:
        return str(template % _shown(notification.data))
    except (KeyError, TypeError, ValueError):
        return template


def channel_for(*, user_id: int, kind: str) -> str:
    """Return how the person wants notices of `kind`: both, app or email."""
    chosen = NotificationSetting.objects.filter(user_id=user_id, kind=kind).values_list("channel", flat=True).first()
    return str(chosen or DEFAULT_CHANNEL)


def notify(*, user: Any, kind: str, data: Mapping[str, Any], url: str = "", email: bool = True) -> Notification:
    """Record a notice for `user` and, after commit, email it if they want this kind by email.

    Call it inside the transaction of the service that made the event happen: if that rolls
    back, nobody is told. `email=False` when the caller sends a richer email of its own.
    """
    NOTIFICATION_KINDS.get(kind)
    channel = channel_for(user_id=user.pk, kind=kind)
    notification = Notification.objects.create(
        user=user,
        kind=kind,
        data=_stored(data),
        url=url,
        in_app=channel != NotificationChannel.EMAIL,
        email=email and channel in (NotificationChannel.BOTH, NotificationChannel.EMAIL),
        digest=email and channel == NotificationChannel.DIGEST,
    )
    if notification.email:
        from core.tasks import notification_email_send

        enqueue(notification_email_send, notification.pk)
    return notification


def notify_many(*, users: Iterable[Any], kind: str, data: Mapping[str, Any], url: str = "") -> int:
    """Notify each of `users` (once each) of the same event, as notify() would; return how many.

    Made for a whole voter roll: one query reads everyone's choice for the kind and the notices are
    written in bulk, so the cost does not grow by a settings query and an insert per person. Each
    email still goes through the outbox on its own, so one failed send holds back no other.
    """
    NOTIFICATION_KINDS.get(kind)
    people = list({user.pk: user for user in users}.values())
    if not people:
        return 0
    if not connection.features.can_return_rows_from_bulk_insert:
        # The emails are queued by the notices' ids, which such a database does not return in bulk.
        for user in people:
            notify(user=user, kind=kind, data=data, url=url)
        return len(people)
    # Only people who changed the default have a row; reading the kind's rows needs no list of ids,
    # which for a large electorate would exceed the database's limit of query parameters.
    chosen = dict(NotificationSetting.objects.filter(kind=kind).values_list("user_id", "channel"))
    stored = _stored(data)
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                kind=kind,
                data=stored,
                url=url,
                in_app=chosen.get(user.pk, DEFAULT_CHANNEL) != NotificationChannel.EMAIL,
                email=chosen.get(user.pk, DEFAULT_CHANNEL) in (NotificationChannel.BOTH, NotificationChannel.EMAIL),
                digest=chosen.get(user.pk, DEFAULT_CHANNEL) == NotificationChannel.DIGEST,
            )
            for user in people
        ],
        batch_size=NOTIFY_BATCH,
    )
    from core.tasks import notification_email_send

    for notification in notifications:
        if notification.email:
            enqueue(notification_email_send, notification.pk)
    return len(notifications)


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    """Return the signed token of a one-click unsubscribe link for one person and one kind."""
    return signing.dumps([user_id, kind], salt=_UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_read(token: str) -> tuple[int, str]:
    """Return (user id, kind) from an unsubscribe token, or raise ApplicationError."""
    try:
        user_id, kind = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        raise ApplicationError(
            _("This unsubscribe link is not valid. Choose what we email you on your notification settings page."),
            code="unsubscribe_link_invalid",
        ) from None
    if not isinstance(user_id, int) or kind not in NOTIFICATION_KINDS:
        raise ApplicationError(_("This unsubscribe link is no longer valid."), code="unsubscribe_link_invalid")
    return user_id, kind


def _absolute(path: str) -> str:
    site: str = settings.SITE_URL
    return site.rstrip("/") + path


@transaction.atomic
def notification_email_send(*, notification_id: int) -> bool:
    """Email one notice in the reader's language, once; return whether an email went out.

    The row is locked while sending, so two deliveries of the same task send one email.
    """
    notification = (
        Notification.objects.select_for_update()
        .select_related("user")
        .filter(pk=notification_id, email=True, emailed_at__isnull=True)
        .first()
    )
    if notification is None or not notification.user.is_active or not notification.user.email:
        return False
    kind = NOTIFICATION_KINDS.get(notification.kind)
    with translation.override(getattr(notification.user, "preferred_language", "") or settings.LANGUAGE_CODE):
        message = kind.email(notification) if kind.email is not None else _notice_email(notification, kind)
    if message is None:
        return False
    message.send()
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])
    return True


def _notice_email(notification: Notification, kind: NotificationKind) -> EmailMessage:
    """Return the standard email of a notice: its text, its link and a one-click unsubscribe."""
    user = notification.user
    unsubscribe_url = _absolute(
        reverse("notification-unsubscribe", args=[unsubscribe_token(user_id=user.pk, kind=kind.key)])
    )
    text = notification_text(notification)
    body = "\n\n".join(
        [
            text,
            _absolute(notification.url or "/"),
            "-- ",
            _("You get this email because you asked for emails about: %(label)s.") % {"label": kind.label},
            _("Stop these emails with one click: %(url)s") % {"url": unsubscribe_url},
            _("Choose what we send you: %(url)s") % {"url": _absolute(reverse("notification-settings"))},
        ]
    )
    return EmailMessage(
        subject=f"[{settings.COOP_NAME}] {text}",
        body=body,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


@transaction.atomic
def notifications_mark_read(*, user: Any, notification_ids: list[int] | None = None) -> int:
    """Mark the person's notices read (all of them when no ids are given); return how many changed."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=notification_ids)
    return rows.update(read_at=timezone.now())


@transaction.atomic
def notification_settings_save(*, user: Any, actor: Any, channels: Mapping[str, str]) -> dict[str, str]:
    """Save how the person wants each kind of notice; return every kind's channel after the change."""
    unknown = sorted(kind for kind in channels if kind not in NOTIFICATION_KINDS)
    bad = sorted(kind for kind, channel in channels.items() if channel not in NotificationChannel.values)
    if unknown or bad:
        raise ApplicationError(
            _("Choose one of the offered settings for each kind of notice."),
            code="notification_setting_invalid",
            detail={"unknown_kinds": unknown, "invalid_channels": bad},
        )
    for kind, channel in channels.items():
        NotificationSetting.objects.update_or_create(user=user, kind=kind, defaults={"channel": channel})
    audit_log(actor=actor, action="notification_settings.saved", subject=user, data={"channels": dict(channels)})
    return notification_settings_for(user=user)


def notification_email_unsubscribe(*, token: str) -> NotificationKind:
    """Turn email off for the token's person and kind (notices stay in the app); return the kind."""
    user_id, key = unsubscribe_token_read(token)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise ApplicationError(_("This unsubscribe link is no longer valid."), code="unsubscribe_link_invalid")
    with transaction.atomic():
        current = channel_for(user_id=user_id, kind=key)
        if current != NotificationChannel.APP:
            NotificationSetting.objects.update_or_create(
                user=user, kind=key, defaults={"channel": NotificationChannel.APP}
            )
            audit_log(actor=None, action="notification_settings.unsubscribed", subject=user, data={"kind": key})
    return NOTIFICATION_KINDS.get(key)


def notification_settings_for(*, user: Any) -> dict[str, str]:
    """Return every registered kind's channel for the person, defaults included."""
    chosen = dict(NotificationSetting.objects.filter(user=user).values_list("kind", "channel"))
    return {key: chosen.get(key, DEFAULT_CHANNEL) for key in NOTIFICATION_KINDS}


def week_start(now: datetime | None = None) -> datetime:
    """Return Monday 00:00 of the week of `now`, in the coop's time zone."""
    local = timezone.localtime(now or timezone.now())
    return (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)


def notification_digests_send(*, now: datetime | None = None) -> int:
    """Send each person who chose the weekly digest one email listing last week's notices; return how many.

    A notice goes into the digest of the week after it was made and is marked as sent, and a person
    who already had a digest this week gets no second one, so running this again (beat runs it every
    hour) sends nothing new until next Monday.
    """
    start = week_start(now)
    user_ids = list(
        Notification.objects.filter(digest=True, digested_at__isnull=True, created_at__lt=start)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )
    return sum(1 for user_id in user_ids if _digest_send(user_id=user_id, start=start, now=now or timezone.now()))


@transaction.atomic
def _digest_send(*, user_id: int, start: datetime, now: datetime) -> bool:
    """Send one person's digest once, under a lock on their waiting notices; return whether one went out."""
    waiting = list(
        Notification.objects.select_for_update()
        .select_related("user")
        .filter(user_id=user_id, digest=True, digested_at__isnull=True, created_at__lt=start)
        .order_by("created_at", "pk")
    )
    if not waiting or Notification.objects.filter(user_id=user_id, digest=True, digested_at__gte=start).exists():
        return False
    user = waiting[0].user
    if user.is_active and user.email:
        with translation.override(getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE):
            lines = [
                f"- {date_format(timezone.localtime(n.created_at), 'j F')}: {notification_text(n)}\n  "
                f"{_absolute(n.url or '/')}"
                for n in waiting
            ]
            subject = _("Your weekly digest: %(count)s notices") % {"count": len(waiting)}
            body = "\n\n".join(
                [
                    _("What happened in the coop last week that concerns you:"),
                    "\n".join(lines),
                    "-- ",
                    _("Choose what we send you: %(url)s") % {"url": _absolute(reverse("notification-settings"))},
                ]
            )
            EmailMessage(subject=f"[{settings.COOP_NAME}] {subject}", body=body, to=[user.email]).send()
    Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(digested_at=now)
    return True

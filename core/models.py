from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Abstract base of every model: when the row was created and last changed."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class StatusChange(models.Model):
    """Abstract history row: one move of an object's status, by whom and when (STYLE rule 6).

    A concrete subclass adds the foreign key to its object and names it in `subject_field`;
    the one service per transition writes a row in the same transaction as the move.
    """

    subject_field = ""

    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        subject = getattr(self, f"{self.subject_field}_id", "")
        return f"{subject}: {self.from_status or '-'} → {self.to_status}"


class AppendOnlyError(Exception):
    pass


class AuditEvent(models.Model):
    """One auditable action: who did what to which object, with what data. Never changed."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events_done",
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person concerned"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events_about",
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.pop("allow_update", False):
            raise AppendOnlyError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Audit events are append-only")


class NotificationChannel(models.TextChoices):
    BOTH = "both", _("In the app and by email")
    APP = "app", _("In the app only")
    EMAIL = "email", _("By email only")
    DIGEST = "digest", _("In the app, and by email in a weekly digest")


class Notification(models.Model):
    """A notice to one person. Its text is rendered from kind and data when shown, in the reader's language.

    Which channels it goes to is decided from the person's settings when it is created: `in_app`
    shows it in the notification list, `email` has it sent once (`emailed_at`) after commit.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=60)
    data = models.JSONField(_("data"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    in_app = models.BooleanField(_("shown in the app"), default=True)
    email = models.BooleanField(_("sent by email"), default=False)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    # Listed in the person's weekly digest email (channel "digest"), sent once: `digested_at`.
    digest = models.BooleanField(_("in the weekly digest"), default=False)
    digested_at = models.DateTimeField(_("sent in a digest"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "in_app", "read_at"], name="core_notification_unread_idx")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"


class NotificationSetting(TimeStampedModel):
    """How one person wants notices of one kind. No row means the default: in the app and by email."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    kind = models.CharField(_("kind"), max_length=60)
    channel = models.CharField(_("how"), max_length=8, choices=NotificationChannel.choices)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="core_notification_setting_unique"),
            models.CheckConstraint(
                condition=models.Q(channel__in=NotificationChannel.values), name="core_notification_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} → {self.channel}"


class OutboxMessage(models.Model):
    """A task a write asked for, stored in the write's own transaction and relayed to Celery after it.

    A broker outage delays the task but cannot lose it or fail the write: the relay marks the row
    sent only once the broker took the message, and a periodic task retries what is still unsent.
    """

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # A relay that is sending the message holds it until then, so no other relay sends it too.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["id"]
        indexes = [models.Index(fields=["id"], condition=models.Q(sent_at__isnull=True), name="core_outbox_unsent_idx")]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk}"


class ApiToken(models.Model):
    """A key a person made to use the API from one device or script, valid until it expires or is revoked.

    Only the SHA-256 of the key is stored: the key is shown once, when it is made, and cannot be
    shown again. Every token of a person is revoked when their password changes or is reset.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="core_apitoken_user_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")), name="core_apitoken_expires_after_created"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.name}"


class IdempotencyKey(models.Model):
    """An API write sent with an `Idempotency-Key` header, and the answer it got (core.idempotency).

    The row is written before the work starts, so the unique constraint on (owner, key) lets only
    one of two concurrent requests with the same key do the work; `response_status` is empty until the
    answer is stored. The owner is the signed-in user, or the client's address for anonymous
    callers. Rows older than a day are deleted by a periodic task.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    client_address = models.CharField(_("client address"), max_length=64, blank=True)
    key = models.CharField(_("key"), max_length=255)
    method = models.CharField(_("method"), max_length=8)
    path = models.TextField(_("path"))
    request_sha256 = models.CharField(_("request body SHA-256"), max_length=64)
    response_status = models.PositiveSmallIntegerField(_("answer status"), null=True, blank=True)
    response_body = models.JSONField(_("answer body"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=models.Q(user__isnull=False), name="core_idempotency_user_key"
            ),
            models.UniqueConstraint(
                fields=["client_address", "key"],
                condition=models.Q(user__isnull=True),
                name="core_idempotency_address_key",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(client_address=""),
                name="core_idempotency_has_owner",
            ),
            # Only answers below 500 are kept: a server error may be retried and do the work then.
            models.CheckConstraint(
                condition=models.Q(response_status__isnull=True)
                | models.Q(response_status__gte=200, response_status__lt=500),
                name="core_idempotency_status_kept",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import StatusChange, TimeStampedModel
from core.transitions import declare_transitions


class PrivacySettings(TimeStampedModel):
    """What of a person's profile others may see. No row means the defaults below."""

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone, also visitors who are not signed in")
        SIGNED_IN = "signed_in", _("Only people signed in to the platform")
        NOBODY = "nobody", _("Nobody except the people I work with")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="privacy_settings"
    )
    profile_audience = models.CharField(
        _("who can see my profile"), max_length=16, choices=Audience.choices, default=Audience.SIGNED_IN
    )
    show_hourly_rate = models.BooleanField(_("show my hourly rate"), default=True)
    show_location = models.BooleanField(_("show my location"), default=True)
    show_reviews = models.BooleanField(_("show the reviews I received"), default=True)
    show_membership = models.BooleanField(_("show that I am a member of the coop"), default=True)
    show_name_in_register = models.BooleanField(
        _("show my name in the member register"),
        default=True,
        help_text=_("Other members then see only your member number; the board always sees the full register."),
    )

    class Meta:
        verbose_name = _("privacy settings")
        verbose_name_plural = _("privacy settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(profile_audience__in=["everyone", "signed_in", "nobody"]),
                name="privacy_settings_audience_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.user_id}"


# What a staff member opened, by the stable key stored in AccessLogEntry.context.
ACCESS_CONTEXTS = {
    "admin:membership.user": _("Your account, in the admin"),
    "admin:membership.member": _("Your member record, in the admin"),
    "staff:member_record": _("Your member record, on the board's pages"),
    "staff:register_export": _("The legal member register (CSV export)"),
    "api:member": _("Your member record, through the API"),
    "api:applications": _("Your membership application, through the API"),
    "dac7:report": _("Your tax details and earnings, in the yearly DAC7 report to the tax authority"),
}


class AccessLogEntry(models.Model):
    """A staff member opened or exported someone's personal data. Shown to the person concerned."""

    class Action(models.TextChoices):
        VIEWED = "viewed", _("Viewed")
        EXPORTED = "exported", _("Exported")

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person concerned"),
        on_delete=models.CASCADE,
        related_name="data_accesses",
    )
    accessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accessed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="data_accesses_done",
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    # A stable key of what was opened (for example "admin:membership.user" or "register_export");
    # never free text, so that no personal data ends up in the log itself.
    context = models.CharField(_("what"), max_length=80)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=["viewed", "exported"]), name="access_log_action_valid"
            )
        ]
        indexes = [models.Index(fields=["subject", "-created_at"], name="access_log_subject_time")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.context}"

    def context_label(self) -> str:
        return str(ACCESS_CONTEXTS.get(self.context, self.context))


class DataExport(TimeStampedModel):
    """A "download my data" archive: built by a task, downloadable by its owner until it expires."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="private/exports/", blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "running", "ready", "failed", "expired"]),
                name="data_export_status_valid",
            ),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="data_export_progress_max_100"),
            models.CheckConstraint(
                condition=~models.Q(status="ready") | models.Q(expires_at__isnull=False),
                name="data_export_ready_expires",
            ),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk} ({self.status})"

    @property
    def in_progress(self) -> bool:
        return self.status in {self.Status.PENDING, self.Status.RUNNING}


# An export is built once: a failed or expired one stays so, and the person asks for a new one.
DATA_EXPORT_TRANSITIONS: dict[str, set[str]] = {
    DataExport.Status.PENDING: {DataExport.Status.RUNNING},
    DataExport.Status.RUNNING: {DataExport.Status.READY, DataExport.Status.FAILED},
    DataExport.Status.READY: {DataExport.Status.EXPIRED},
    DataExport.Status.FAILED: set(),
    DataExport.Status.EXPIRED: set(),
}


class DataExportStatusChange(StatusChange):
    """One move of a data export's status: when it was built, failed or expired."""

    subject_field = "export"

    export = models.ForeignKey(
        DataExport, verbose_name=_("data export"), on_delete=models.CASCADE, related_name="status_changes"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("data export status change")
        verbose_name_plural = _("data export status changes")


declare_transitions(DataExport, DATA_EXPORT_TRANSITIONS, history=DataExportStatusChange, audit_prefix="data_export")

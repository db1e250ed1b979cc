"""Disputes over a milestone: opened with evidence, answered, decided by a mediator."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import StatusChange, TimeStampedModel
from core.transitions import declare_transitions
from marketplace.models.contracts import Milestone
from marketplace.validators import validate_upload


class Dispute(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting response")
        RESPONDED = "responded", _("Awaiting mediation")
        RESOLVED = "resolved", _("Resolved")

    class Reason(models.TextChoices):
        NOT_DELIVERED = "not_delivered", _("Work was not delivered")
        QUALITY = "quality", _("Work does not match the agreement")
        NOT_APPROVED = "not_approved", _("Client does not approve or respond")
        SCOPE = "scope", _("Disagreement about the scope")
        OTHER = "other", _("Other")

    milestone = models.OneToOneField(
        Milestone, verbose_name=_("milestone"), on_delete=models.PROTECT, related_name="dispute"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    statement = models.TextField(_("statement"))
    respond_by = models.DateTimeField(_("respond by"))
    response = models.TextField(_("response"), blank=True)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True)
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mediator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.TextField(_("decision"), blank=True)
    release_cents = models.BigIntegerField(_("to the freelancer (cents)"), null=True, blank=True)
    refund_cents = models.BigIntegerField(_("back to the client (cents)"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "responded", "resolved"]), name="dispute_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "responded"])
                | (models.Q(release_cents__gte=0) & models.Q(refund_cents__gte=0)),
                name="dispute_resolution_has_split",
            ),
        ]

    def __str__(self) -> str:
        return f"dispute on {self.milestone_id}"


DISPUTE_TRANSITIONS: dict[str, set[str]] = {
    Dispute.Status.OPEN: {Dispute.Status.RESPONDED, Dispute.Status.RESOLVED},
    Dispute.Status.RESPONDED: {Dispute.Status.RESOLVED},
    Dispute.Status.RESOLVED: set(),
}


class DisputeEvidence(models.Model):
    dispute = models.ForeignKey(Dispute, verbose_name=_("dispute"), on_delete=models.CASCADE, related_name="evidence")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="marketplace/disputes/%Y/%m/", validators=[validate_upload])
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class DisputeStatusChange(StatusChange):
    subject_field = "dispute"

    dispute = models.ForeignKey(
        Dispute, verbose_name=_("dispute"), on_delete=models.CASCADE, related_name="status_changes"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("dispute status change")
        verbose_name_plural = _("dispute status changes")


declare_transitions(Dispute, DISPUTE_TRANSITIONS, history=DisputeStatusChange)


class Mediator(TimeStampedModel):
    """A member appointed to decide disputes: by the board (staff) or by a members' decision."""

    class Source(models.TextChoices):
        BOARD = "board", _("Appointed by the board")
        DECISION = "decision", _("Chosen by the members")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    appointed_at = models.DateTimeField(_("appointed"))
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appointed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    decision_id = models.PositiveBigIntegerField(_("members' decision"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("mediator")
        verbose_name_plural = _("mediators")
        ordering = ["-appointed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(ended_at__isnull=True), name="mediator_one_active_per_user"
            ),
            models.CheckConstraint(condition=models.Q(source__in=["board", "decision"]), name="mediator_source_valid"),
            models.CheckConstraint(
                condition=models.Q(source="board") | models.Q(decision_id__isnull=False),
                name="mediator_decision_has_id",
            ),
        ]

    def __str__(self) -> str:
        return f"mediator {self.user_id}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

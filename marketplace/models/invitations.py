"""A client's invitation to a freelancer to propose on one of their open jobs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.transitions import declare_transitions
from marketplace import limits
from marketplace.models.jobs import Job


class Invitation(TimeStampedModel):
    class Status(models.TextChoices):
        SENT = "sent", _("Waiting for an answer")
        PROPOSED = "proposed", _("Proposal sent")
        DECLINED = "declined", _("Declined")

    job = models.ForeignKey(Job, verbose_name=_("job"), on_delete=models.CASCADE, related_name="invitations")
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("freelancer"),
        on_delete=models.CASCADE,
        related_name="job_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField(_("message"), blank=True, max_length=limits.INVITATION)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SENT)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("job invitation")
        verbose_name_plural = _("job invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Inviting twice is one invitation: the service returns the first.
            models.UniqueConstraint(fields=["job", "freelancer"], name="job_invitation_one_per_freelancer_per_job"),
            models.CheckConstraint(
                condition=models.Q(status__in=["sent", "proposed", "declined"]), name="job_invitation_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.freelancer} ← {self.job}"


# An invitation is answered once: the row's answered_at and the audit entry the kernel writes are
# its history, so it has no history table of its own.
INVITATION_TRANSITIONS: dict[str, set[str]] = {
    Invitation.Status.SENT: {Invitation.Status.PROPOSED, Invitation.Status.DECLINED},
    Invitation.Status.PROPOSED: set(),
    Invitation.Status.DECLINED: set(),
}
declare_transitions(Invitation, INVITATION_TRANSITIONS, history=None)

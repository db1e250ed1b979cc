"""Proposals on jobs and the history of their terms (counter-offers)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import StatusChange, TimeStampedModel
from core.money import default_currency
from core.transitions import declare_transitions
from marketplace import limits
from marketplace.models.jobs import Job


class Proposal(TimeStampedModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ACCEPTED = "accepted", _("Accepted")

    class Party(models.TextChoices):
        CLIENT = "client", _("Client")
        FREELANCER = "freelancer", _("Freelancer")

    job = models.ForeignKey(Job, verbose_name=_("job"), on_delete=models.PROTECT, related_name="proposals")
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("freelancer"), on_delete=models.PROTECT, related_name="job_proposals"
    )
    cover_letter = models.TextField(_("cover letter"), max_length=limits.COVER_LETTER)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    # The terms now on the table; every change is also a ProposalRevision row.
    amount_cents = models.BigIntegerField(_("price or hourly rate (cents)"))
    currency = models.CharField(_("currency"), max_length=3, default=default_currency)
    duration_days = models.PositiveIntegerField(_("estimated duration (days)"))
    milestone_plan = models.JSONField(_("milestone plan"), default=list, blank=True)
    terms_by = models.CharField(_("terms proposed by"), max_length=16, choices=Party.choices, default=Party.FREELANCER)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "freelancer"], name="job_proposal_one_per_freelancer_per_job"),
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="job_proposal_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(status__in=["submitted", "shortlisted", "declined", "withdrawn", "accepted"]),
                name="job_proposal_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(terms_by__in=["client", "freelancer"]), name="job_proposal_terms_by_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.freelancer} → {self.job}"

    @property
    def is_live(self) -> bool:
        return self.status in {self.Status.SUBMITTED, self.Status.SHORTLISTED}


# The allowed status moves of a proposal; marketplace.services.proposals moves them through core.transitions.
PROPOSAL_TRANSITIONS: dict[str, set[str]] = {
    Proposal.Status.SUBMITTED: {
        Proposal.Status.SHORTLISTED,
        Proposal.Status.DECLINED,
        Proposal.Status.WITHDRAWN,
        Proposal.Status.ACCEPTED,
    },
    Proposal.Status.SHORTLISTED: {Proposal.Status.DECLINED, Proposal.Status.WITHDRAWN, Proposal.Status.ACCEPTED},
    Proposal.Status.DECLINED: set(),
    Proposal.Status.WITHDRAWN: set(),
    Proposal.Status.ACCEPTED: set(),
}


class ProposalStatusChange(StatusChange):
    subject_field = "proposal"

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="status_changes"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("proposal status change")
        verbose_name_plural = _("proposal status changes")


declare_transitions(Proposal, PROPOSAL_TRANSITIONS, history=ProposalStatusChange)


class ProposalRevision(models.Model):
    """One set of terms put on the table, by either side: the negotiation's history."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="revisions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    party = models.CharField(_("side"), max_length=16, choices=Proposal.Party.choices)
    amount_cents = models.BigIntegerField(_("price or hourly rate (cents)"))
    duration_days = models.PositiveIntegerField(_("estimated duration (days)"))
    milestone_plan = models.JSONField(_("milestone plan"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=limits.PROPOSAL_NOTE)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposal revision")
        verbose_name_plural = _("proposal revisions")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="job_proposal_revision_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} by {self.party}"

"""Proposals (motions), their discussion and amendments, and the execution of their effect."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import StatusChange, TimeStampedModel
from core.transitions import declare_transitions
from governance.models.ballots import Ballot
from governance.models.rules import RuleSet


class Proposal(TimeStampedModel):
    """A motion put to the members: a decision of a registered type with its payload."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        DISCUSSION = "discussion", _("In discussion")
        VOTING = "voting", _("Voting")
        CLOSED = "closed", _("Closed")
        PASSED = "passed", _("Passed")
        REJECTED = "rejected", _("Rejected")
        FAILED_QUORUM = "failed_quorum", _("Failed quorum")
        EXECUTED = "executed", _("Executed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("motion"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="proposals"
    )
    decision_key = models.CharField(_("decision type"), max_length=64, db_index=True)
    payload = models.JSONField(_("decision"), default=dict, blank=True)
    # The decision in words in each of the site's languages, written when the payload is, for lists
    # (the decision page puts it in words afresh): {"en": "Platform fee 8% from ...", "nl": "..."}.
    summary = models.JSONField(_("decision in words"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True)
    ruleset = models.ForeignKey(
        RuleSet, verbose_name=_("rules"), null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    ballot = models.OneToOneField(
        Ballot, verbose_name=_("ballot"), null=True, blank=True, on_delete=models.PROTECT, related_name="proposal"
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "draft",
                        "discussion",
                        "voting",
                        "closed",
                        "passed",
                        "rejected",
                        "failed_quorum",
                        "executed",
                        "withdrawn",
                    ]
                ),
                name="proposal_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "withdrawn"]) | models.Q(ballot__isnull=False),
                name="proposal_published_has_ballot",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def summary_in(self, language: str) -> str:
        """The decision in words in `language` as written with the payload; afresh for older rows."""
        if language in self.summary:
            return str(self.summary[language])
        from core.decisions import decision_type

        return decision_type(self.decision_key).describe(self.payload)

    def get_absolute_url(self) -> str:
        return reverse("governance:proposal_detail", args=[self.pk])


# The allowed status moves of a proposal; governance.services moves it through core.transitions.
PROPOSAL_TRANSITIONS: dict[str, set[str]] = {
    Proposal.Status.DRAFT: {Proposal.Status.DISCUSSION, Proposal.Status.WITHDRAWN},
    Proposal.Status.DISCUSSION: {Proposal.Status.VOTING, Proposal.Status.WITHDRAWN},
    # Withdrawn while voting only by the platform, when what waited on the decision is withdrawn
    # (governance.services.proposals.proposal_withdraw_for_platform); an author's ends when voting opens.
    Proposal.Status.VOTING: {Proposal.Status.CLOSED, Proposal.Status.WITHDRAWN},
    Proposal.Status.CLOSED: {Proposal.Status.PASSED, Proposal.Status.REJECTED, Proposal.Status.FAILED_QUORUM},
    Proposal.Status.PASSED: {Proposal.Status.EXECUTED},
    Proposal.Status.REJECTED: set(),
    Proposal.Status.FAILED_QUORUM: set(),
    Proposal.Status.EXECUTED: set(),
    Proposal.Status.WITHDRAWN: set(),
}


class ProposalStatusChange(StatusChange):
    subject_field = "proposal"

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="status_changes"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("proposal status change")
        verbose_name_plural = _("proposal status changes")


declare_transitions(Proposal, PROPOSAL_TRANSITIONS, history=ProposalStatusChange, audit_prefix="proposal")


class ProposalRevision(models.Model):
    """The text of a proposal at one revision; the author amends during discussion, all versions stay."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("revision"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("motion"), blank=True)
    payload = models.JSONField(_("decision"), default=dict, blank=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposal revision")
        verbose_name_plural = _("proposal revisions")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["proposal", "number"], name="revision_number_unique")]

    def __str__(self) -> str:
        return f"{self.proposal_id} r{self.number}"


class Comment(models.Model):
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.author_id}"


class Execution(models.Model):
    """The carrying out of a passed decision's effect: exactly once, and visibly when it fails."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SUCCEEDED = "succeeded", _("Done")
        FAILED = "failed", _("Failed")

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="execution"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    succeeded_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("execution")
        verbose_name_plural = _("executions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "succeeded", "failed"]), name="execution_status_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="succeeded") | models.Q(succeeded_at__isnull=False),
                name="execution_succeeded_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.status}"


# A failed attempt may be retried (and fail again) until one succeeds; success is final.
EXECUTION_TRANSITIONS: dict[str, set[str]] = {
    Execution.Status.PENDING: {Execution.Status.SUCCEEDED, Execution.Status.FAILED},
    Execution.Status.FAILED: {Execution.Status.SUCCEEDED, Execution.Status.FAILED},
    Execution.Status.SUCCEEDED: set(),
}


class ExecutionStatusChange(StatusChange):
    """One attempt at carrying out a decision, with the error it met, if any."""

    subject_field = "execution"

    execution = models.ForeignKey(
        Execution, verbose_name=_("execution"), on_delete=models.CASCADE, related_name="status_changes"
    )
    error = models.TextField(_("error"), blank=True)

    class Meta(StatusChange.Meta):
        verbose_name = _("execution status change")
        verbose_name_plural = _("execution status changes")


declare_transitions(Execution, EXECUTION_TRANSITIONS, history=ExecutionStatusChange, audit_prefix="execution")

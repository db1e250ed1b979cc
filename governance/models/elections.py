"""Board elections: self-nomination with a statement, then a ranked (or approval) secret ballot."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import StatusChange, TimeStampedModel
from core.transitions import declare_transitions
from governance.models.ballots import Ballot


class Election(TimeStampedModel):
    class Method(models.TextChoices):
        IRV = "irv", _("Instant-runoff (one seat)")
        STV_SCOTTISH = "stv-scottish", _("Single transferable vote, Scottish rules")
        STV_MEEK = "stv-meek", _("Single transferable vote, Meek method")
        SCHULZE = "schulze", _("Schulze method")
        APPROVAL = "approval", _("Approval voting")

    class Status(models.TextChoices):
        NOMINATIONS = "nominations", _("Nominations open")
        VOTING = "voting", _("Voting")
        COUNTED = "counted", _("Counted")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    seats = models.PositiveIntegerField(_("seats"), default=1)
    method = models.CharField(_("counting method"), max_length=16, choices=Method.choices, default=Method.STV_SCOTTISH)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NOMINATIONS, db_index=True
    )
    ballot = models.OneToOneField(Ballot, verbose_name=_("ballot"), on_delete=models.PROTECT, related_name="election")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("called by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="election_seats_positive"),
            models.CheckConstraint(
                condition=models.Q(method__in=["irv", "stv-scottish", "stv-meek", "schulze", "approval"]),
                name="election_method_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["nominations", "voting", "counted", "cancelled"]),
                name="election_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(method="irv") | models.Q(seats=1), name="election_irv_single_seat"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:election_detail", args=[self.pk])


# The allowed status moves of an election; governance.services moves it through core.transitions.
ELECTION_TRANSITIONS: dict[str, set[str]] = {
    Election.Status.NOMINATIONS: {Election.Status.VOTING, Election.Status.CANCELLED},
    Election.Status.VOTING: {Election.Status.COUNTED},
    Election.Status.COUNTED: set(),
    Election.Status.CANCELLED: set(),
}


class ElectionStatusChange(StatusChange):
    subject_field = "election"

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="status_changes"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("election status change")
        verbose_name_plural = _("election status changes")


declare_transitions(Election, ELECTION_TRANSITIONS, history=ElectionStatusChange, audit_prefix="election")


class Candidate(models.Model):
    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="candidates"
    )
    member = models.ForeignKey(
        "membership.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    statement = models.TextField(_("statement"))
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    elected = models.BooleanField(_("elected"), default=False)
    elected_order = models.PositiveIntegerField(_("order of election"), null=True, blank=True)
    created_at = models.DateTimeField(_("nominated"), auto_now_add=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["election", "member"], name="candidate_once_per_election")]

    def __str__(self) -> str:
        return str(self.member)

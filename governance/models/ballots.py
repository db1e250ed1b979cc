"""Ballots: the voter roll frozen at opening, open votes, secret ballot papers kept apart from who voted."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import StatusChange
from core.transitions import declare_transitions
from governance.models.rules import RuleSet


class Ballot(models.Model):
    """One vote of the members, for a motion or an election, under one version of the rules."""

    class Kind(models.TextChoices):
        MOTION = "motion", _("Motion")
        ELECTION = "election", _("Election")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    ruleset = models.ForeignKey(RuleSet, verbose_name=_("rules"), on_delete=models.PROTECT, related_name="ballots")
    secret = models.BooleanField(_("secret ballot"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED, db_index=True
    )
    notice_given_at = models.DateTimeField(_("notice given"))
    opens_at = models.DateTimeField(_("voting opens"), db_index=True)
    closes_at = models.DateTimeField(_("voting closes"), db_index=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    # Published under the rules' urgent procedure: their shorter notice and voting windows apply.
    urgent = models.BooleanField(_("urgent procedure"), default=False)
    electorate_size = models.PositiveIntegerField(_("members on the voter roll"), null=True, blank=True)
    members_total = models.PositiveIntegerField(_("active members at opening"), null=True, blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("closes_at")), name="ballot_opens_before_close"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["scheduled", "open", "closed", "cancelled"]), name="ballot_status_valid"
            ),
            models.CheckConstraint(condition=models.Q(kind__in=["motion", "election"]), name="ballot_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(kind="motion") | models.Q(secret=True), name="ballot_elections_are_secret"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


# The allowed status moves of a ballot; governance.services.ballots moves it through core.transitions.
BALLOT_TRANSITIONS: dict[str, set[str]] = {
    Ballot.Status.SCHEDULED: {Ballot.Status.OPEN, Ballot.Status.CANCELLED},
    # Cancelled while open only with its proposal withdrawn by the platform (proposal_withdraw_for_platform).
    Ballot.Status.OPEN: {Ballot.Status.CLOSED, Ballot.Status.CANCELLED},
    Ballot.Status.CLOSED: set(),
    Ballot.Status.CANCELLED: set(),
}


class BallotStatusChange(StatusChange):
    subject_field = "ballot"

    ballot = models.ForeignKey(
        Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="status_changes"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("ballot status change")
        verbose_name_plural = _("ballot status changes")


declare_transitions(Ballot, BALLOT_TRANSITIONS, history=BallotStatusChange, audit_prefix="ballot")


class VoterRollEntry(models.Model):
    """A member entitled to vote on a ballot, frozen when the ballot opens."""

    ballot = models.ForeignKey(Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="roll")
    member = models.ForeignKey(
        "membership.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    member_class_slug = models.CharField(_("member class"), max_length=50)

    class Meta:
        verbose_name = _("voter roll entry")
        verbose_name_plural = _("voter roll")
        constraints = [models.UniqueConstraint(fields=["ballot", "member"], name="roll_one_entry_per_member")]

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.member_id}"


class Choice(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstain")


class Vote(models.Model):
    """A member's vote on an open (non-secret) motion. It may change until the ballot closes."""

    ballot = models.ForeignKey(Ballot, verbose_name=_("ballot"), on_delete=models.PROTECT, related_name="votes")
    member = models.ForeignKey(
        "membership.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="governance_votes"
    )
    member_class_slug = models.CharField(_("member class"), max_length=50)
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices)
    reason = models.TextField(_("reason"), blank=True)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cast by"), on_delete=models.PROTECT, related_name="+"
    )
    via_proxy = models.BooleanField(_("cast by a proxy"), default=False)
    created_at = models.DateTimeField(_("first cast"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "member"], name="vote_one_per_member_per_ballot"),
            models.CheckConstraint(condition=models.Q(choice__in=["yes", "no", "abstain"]), name="vote_choice_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.member_id} {self.choice}"


class Participation(models.Model):
    """That a member voted on a secret ballot or an election. It says nothing about how.

    A random key and a date only: neither the key nor a time orders it against the ballot papers.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(
        Ballot, verbose_name=_("ballot"), on_delete=models.PROTECT, related_name="participations"
    )
    member = models.ForeignKey(
        "membership.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    voted_on = models.DateField(_("voted on"))

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [models.UniqueConstraint(fields=["ballot", "member"], name="participation_one_per_member")]

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.member_id}"


class BallotPaper(models.Model):
    """One anonymous ballot: a choice on a secret motion, or a ranking in an election.

    Deliberately without any reference to a member, without a time finer than the day, and with a
    random key, so that no column orders or joins it to a participation row.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, verbose_name=_("ballot"), on_delete=models.PROTECT, related_name="papers")
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices, blank=True)
    # Candidate ids in order of preference (elections; approval ballots list the approved ones).
    ranking = models.JSONField(_("ranking"), default=list, blank=True)
    # Needed to count per class and for double majorities; the page says a very small class weakens secrecy.
    member_class_slug = models.CharField(_("member class"), max_length=50)
    cast_on = models.DateField(_("cast on"))

    class Meta:
        verbose_name = _("ballot paper")
        verbose_name_plural = _("ballot papers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(choice__in=["", "yes", "no", "abstain"]), name="paper_choice_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(self.id)


class ProxyAppointment(models.Model):
    """A member lets another member vote for them on one ballot. A direct vote overrides it."""

    ballot = models.ForeignKey(Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="proxies")
    grantor = models.ForeignKey(
        "membership.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    holder = models.ForeignKey("membership.Member", verbose_name=_("proxy"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("appointed"), auto_now_add=True)

    class Meta:
        verbose_name = _("proxy appointment")
        verbose_name_plural = _("proxy appointments")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "grantor"], name="proxy_one_per_grantor"),
            models.CheckConstraint(condition=~models.Q(grantor=models.F("holder")), name="proxy_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.grantor_id} → {self.holder_id}"


class BallotResult(models.Model):
    """The record of a closed ballot, printable as minutes. Written once, at close."""

    ballot = models.OneToOneField(Ballot, verbose_name=_("ballot"), on_delete=models.PROTECT, related_name="result")
    ruleset_version = models.PositiveIntegerField(_("rule version"))
    notice_given_at = models.DateTimeField(_("notice given"))
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"))
    electorate_size = models.PositiveIntegerField(_("eligible voters"))
    members_total = models.PositiveIntegerField(_("active members"))
    turnout = models.PositiveIntegerField(_("voted"))
    yes = models.PositiveIntegerField(_("yes"), default=0)
    no = models.PositiveIntegerField(_("no"), default=0)
    abstain = models.PositiveIntegerField(_("abstain"), default=0)
    by_class = models.JSONField(_("counts per class"), default=dict, blank=True)
    quorum_needed = models.PositiveIntegerField(_("quorum needed"), default=0)
    quorum_met = models.BooleanField(_("quorum met"))
    threshold_met = models.BooleanField(_("threshold met"))
    outcome = models.CharField(_("outcome"), max_length=16)
    # Closed before its time because everyone on the voter roll had voted (RuleSet.early_close).
    closed_early = models.BooleanField(_("closed early: everyone on the voter roll had voted"), default=False)
    # The rule as applied and, for elections, the rounds of the count.
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("ballot result")
        verbose_name_plural = _("ballot results")

    def __str__(self) -> str:
        return f"{self.ballot}: {self.outcome}"

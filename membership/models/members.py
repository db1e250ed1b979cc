from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import StatusChange, TimeStampedModel
from core.money import default_currency
from core.transitions import declare_transitions


class MemberClass(TimeStampedModel):
    """A class of membership (worker, client, community) with its share terms and vote."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    share_price_cents = models.BigIntegerField(_("share price (cents)"))
    currency = models.CharField(_("currency"), max_length=3, default=default_currency)
    shares_required = models.PositiveIntegerField(_("shares required"), default=1)
    votes = models.BooleanField(_("votes in general meetings"), default=True)
    # Weight data for governance: plain one member, one vote is weight 1 and no class share.
    # A multi-stakeholder coop can give each class a fixed share of every vote instead.
    vote_weight = models.PositiveIntegerField(
        _("vote weight"), default=1, help_text=_("How many votes each member of this class casts.")
    )
    vote_share_percent = models.DecimalField(
        _("share of the vote (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty for one member, one vote; set it to give the class a fixed share of every vote."),
    )
    open_for_applications = models.BooleanField(_("open for applications"), default=True)

    class Meta:
        verbose_name = _("member class")
        verbose_name_plural = _("member classes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(share_price_cents__gt=0), name="member_class_share_price_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(shares_required__gte=1), name="member_class_shares_required_min_one"
            ),
            models.CheckConstraint(condition=models.Q(vote_weight__gte=1), name="member_class_vote_weight_min_one"),
            models.CheckConstraint(
                condition=models.Q(vote_share_percent__isnull=True)
                | (models.Q(vote_share_percent__gt=0) & models.Q(vote_share_percent__lte=100)),
                name="member_class_vote_share_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The class's name in the reader's language; a name the coop chose itself as written."""
        from membership.labels import member_class_name

        return member_class_name(self.slug, self.name)

    @property
    def share_total_cents(self) -> int:
        return self.share_price_cents * self.shares_required


class BylawsVersion(TimeStampedModel):
    """One version of the coop's bylaws; applicants accept the one in force when they apply."""

    version = models.CharField(_("version"), max_length=40, unique=True)
    text = models.TextField(_("text"))
    effective_on = models.DateField(_("in force from"))

    class Meta:
        verbose_name = _("bylaws version")
        verbose_name_plural = _("bylaws versions")
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return self.version


class BylawsAcceptance(models.Model):
    """That a person accepted an exact version of the bylaws, and when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="bylaws_acceptances"
    )
    bylaws_version = models.ForeignKey(
        BylawsVersion, verbose_name=_("bylaws version"), on_delete=models.PROTECT, related_name="acceptances"
    )
    accepted_at = models.DateTimeField(_("accepted at"))

    class Meta:
        verbose_name = _("bylaws acceptance")
        verbose_name_plural = _("bylaws acceptances")
        ordering = ["-accepted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "bylaws_version"], name="bylaws_accepted_once_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} accepted {self.bylaws_version_id} at {self.accepted_at:%Y-%m-%d %H:%M}"


class MembershipPolicy(TimeStampedModel):
    """The coop's membership rules: who admits, what an applicant must have done, the notice period.

    There is one row (id 1); `membership.selectors.membership_policy()` returns it.
    """

    class Admission(models.TextChoices):
        BOARD = "board", _("The board admits applicants")
        VOTE = "vote", _("Members admit applicants by vote")

    admission = models.CharField(_("admission"), max_length=8, choices=Admission.choices, default=Admission.BOARD)
    require_share_payment = models.BooleanField(_("share must be paid before admission"), default=True)
    activity_check = models.CharField(
        _("activity requirement"),
        max_length=60,
        blank=True,
        help_text=_("The key of a registered activity check, for example completed_contracts."),
    )
    activity_required = models.PositiveIntegerField(_("activity needed"), default=0)
    notice_period_days = models.PositiveIntegerField(_("notice period (days)"), default=30)

    class Meta:
        verbose_name = _("membership policy")
        verbose_name_plural = _("membership policy")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="membership_policy_single_row"),
            models.CheckConstraint(
                condition=models.Q(admission__in=["board", "vote"]), name="membership_policy_admission_valid"
            ),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class Member(TimeStampedModel):
    """The membership record of one user: number, class, shares, status, application and exit."""

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        EXITED = "exited", _("Exited")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="member"
    )
    member_class = models.ForeignKey(
        MemberClass, verbose_name=_("member class"), on_delete=models.PROTECT, related_name="members"
    )
    member_number = models.PositiveIntegerField(_("member number"), null=True, blank=True, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.APPLICANT, db_index=True
    )
    shares = models.PositiveIntegerField(_("shares held"), default=0)
    joined_at = models.DateTimeField(_("member since"), null=True, blank=True)
    motivation = models.TextField(_("motivation"), blank=True)
    bylaws_acceptance = models.ForeignKey(
        BylawsAcceptance,
        verbose_name=_("bylaws accepted"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Counts applications, so that a new application after an exit gets a payment of its own.
    application_round = models.PositiveIntegerField(_("application"), default=1)
    share_payment_reference = models.CharField(_("share payment reference"), max_length=40, blank=True)
    share_paid_at = models.DateTimeField(_("share paid at"), null=True, blank=True)
    admission_proposal_id = models.PositiveBigIntegerField(_("admission proposal"), null=True, blank=True)
    resignation_requested_at = models.DateTimeField(_("resigned at"), null=True, blank=True)
    exit_effective_on = models.DateField(_("leaves on"), null=True, blank=True)
    exited_at = models.DateTimeField(_("left at"), null=True, blank=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["member_number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["applicant", "active", "suspended", "exited"]),
                name="member_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status="applicant")
                | models.Q(member_number__isnull=False)
                | models.Q(status="exited", joined_at__isnull=True),
                name="member_admitted_has_number",
            ),
            models.CheckConstraint(
                condition=models.Q(resignation_requested_at__isnull=True, exit_effective_on__isnull=True)
                | models.Q(resignation_requested_at__isnull=False, exit_effective_on__isnull=False),
                name="member_resignation_has_exit_date",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.member_number} {self.user}" if self.member_number else str(self.user)

    @property
    def is_current(self) -> bool:
        return self.status in {self.Status.ACTIVE, self.Status.SUSPENDED}

    @property
    def share_total_cents(self) -> int:
        return self.member_class.share_total_cents


# The allowed status moves of a member record; membership.services moves them through
# core.transitions. An exited record can apply again (a rejected applicant, or a former member):
# the same row, the same number.
MEMBER_TRANSITIONS: dict[str, set[str]] = {
    Member.Status.APPLICANT: {Member.Status.ACTIVE, Member.Status.EXITED},
    Member.Status.ACTIVE: {Member.Status.SUSPENDED, Member.Status.EXITED},
    Member.Status.SUSPENDED: {Member.Status.ACTIVE, Member.Status.EXITED},
    Member.Status.EXITED: {Member.Status.APPLICANT},
}


class MemberStatusChange(StatusChange):
    """One move of a member's status, kept for the register's history."""

    subject_field = "member"

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="status_changes"
    )
    reason = models.TextField(_("reason"), blank=True)
    proposal_id = models.PositiveBigIntegerField(_("decided by proposal"), null=True, blank=True)

    class Meta(StatusChange.Meta):
        verbose_name = _("member status change")
        verbose_name_plural = _("member status changes")

    def __str__(self) -> str:
        return f"{self.member}: {self.from_status or '-'} → {self.to_status}"

    def status_label(self) -> Any:
        return Member.Status(self.to_status).label


declare_transitions(Member, MEMBER_TRANSITIONS, history=MemberStatusChange)

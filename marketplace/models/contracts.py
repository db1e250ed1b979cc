"""The fee policy, contracts, milestones with deliveries, and weekly timesheets."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import StatusChange, TimeStampedModel
from core.money import default_currency
from core.transitions import declare_transitions
from marketplace.models.jobs import Job
from marketplace.models.proposals import Proposal
from marketplace.validators import validate_upload


class FeePolicy(TimeStampedModel):
    """One version of the platform fee. Versions are never edited; a new one takes over from its date."""

    percent = models.DecimalField(
        _("fee (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    min_cents = models.BigIntegerField(_("minimum fee (cents)"), default=0)
    max_cents = models.BigIntegerField(_("maximum fee (cents)"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default=default_currency)
    effective_from = models.DateTimeField(_("effective from"), db_index=True)
    # The members' decision that set this version; unique, so executing a decision twice adds nothing.
    governance_proposal_id = models.PositiveBigIntegerField(
        _("decided by proposal"), null=True, blank=True, unique=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("fee policy")
        verbose_name_plural = _("fee policies")
        ordering = ["-effective_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__gte=0) & models.Q(percent__lte=100), name="fee_policy_percent_range"
            ),
            models.CheckConstraint(condition=models.Q(min_cents__gte=0), name="fee_policy_min_not_negative"),
            models.CheckConstraint(
                condition=models.Q(max_cents__isnull=True) | models.Q(max_cents__gte=models.F("min_cents")),
                name="fee_policy_max_at_least_min",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.percent}% from {self.effective_from:%Y-%m-%d}"


class Contract(TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="contract"
    )
    job = models.ForeignKey(Job, verbose_name=_("job"), on_delete=models.PROTECT, related_name="contracts")
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("client"), on_delete=models.PROTECT, related_name="contracts_as_client"
    )
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("freelancer"),
        on_delete=models.PROTECT,
        related_name="contracts_as_freelancer",
    )
    title = models.CharField(_("title"), max_length=200)
    pricing_type = models.CharField(_("pricing"), max_length=8, choices=Job.PricingType.choices)
    amount_cents = models.BigIntegerField(_("price or hourly rate (cents)"))
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    # The fee policy in force at acceptance, copied so that a later policy never changes this contract.
    fee_policy = models.ForeignKey(FeePolicy, verbose_name=_("fee policy"), on_delete=models.PROTECT, related_name="+")
    fee_percent = models.DecimalField(_("fee (%)"), max_digits=5, decimal_places=2)
    fee_min_cents = models.BigIntegerField(_("minimum fee (cents)"))
    fee_max_cents = models.BigIntegerField(_("maximum fee (cents)"), null=True, blank=True)
    auto_release_days = models.PositiveIntegerField(_("auto-release after (days)"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="contract_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(status__in=["active", "completed", "cancelled"]), name="contract_status_valid"
            ),
            models.CheckConstraint(condition=~models.Q(client=models.F("freelancer")), name="contract_two_parties"),
            # A job hires up to its hires_wanted (counted under the job's lock when a proposal is
            # accepted); one live contract per person and job; a cancelled contract frees its place.
            models.UniqueConstraint(
                fields=["job", "freelancer"],
                condition=~models.Q(status="cancelled"),
                name="contract_one_live_per_job_freelancer",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_hourly(self) -> bool:
        return self.pricing_type == Job.PricingType.HOURLY

    def party_of(self, user_id: int | None) -> str | None:
        if user_id == self.client_id:
            return "client"
        if user_id == self.freelancer_id:
            return "freelancer"
        return None


CONTRACT_TRANSITIONS: dict[str, set[str]] = {
    Contract.Status.ACTIVE: {Contract.Status.COMPLETED, Contract.Status.CANCELLED},
    Contract.Status.COMPLETED: set(),
    Contract.Status.CANCELLED: set(),
}


class ContractStatusChange(StatusChange):
    subject_field = "contract"

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="status_changes"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("contract status change")
        verbose_name_plural = _("contract status changes")


declare_transitions(Contract, CONTRACT_TRANSITIONS, history=ContractStatusChange)


class Milestone(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Not funded")
        FUNDING = "funding", _("Awaiting payment")
        FUNDED = "funded", _("Funded")
        SUBMITTED = "submitted", _("Delivered")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        RELEASED = "released", _("Paid")
        DISPUTED = "disputed", _("In dispute")
        SETTLED = "settled", _("Settled by mediation")
        REFUNDED = "refunded", _("Refunded")
        CANCELLED = "cancelled", _("Cancelled")

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="milestones"
    )
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    payment_reference = models.CharField(_("payment reference"), max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    auto_release_at = models.DateTimeField(_("released automatically at"), null=True, blank=True, db_index=True)
    released_at = models.DateTimeField(_("paid"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["contract_id", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="milestone_amount_positive"),
            models.UniqueConstraint(fields=["contract", "position"], name="milestone_unique_position"),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "pending",
                        "funding",
                        "funded",
                        "submitted",
                        "changes_requested",
                        "released",
                        "disputed",
                        "settled",
                        "refunded",
                        "cancelled",
                    ]
                ),
                name="milestone_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status in MILESTONE_CLOSED


MILESTONE_CLOSED = frozenset(
    {Milestone.Status.RELEASED, Milestone.Status.SETTLED, Milestone.Status.REFUNDED, Milestone.Status.CANCELLED}
)
# Money is in escrow in these states (and a dispute may be opened).
MILESTONE_IN_ESCROW = frozenset(
    {Milestone.Status.FUNDED, Milestone.Status.SUBMITTED, Milestone.Status.CHANGES_REQUESTED}
)

MILESTONE_TRANSITIONS: dict[str, set[str]] = {
    Milestone.Status.PENDING: {Milestone.Status.FUNDING, Milestone.Status.CANCELLED},
    Milestone.Status.FUNDING: {Milestone.Status.FUNDED},
    Milestone.Status.FUNDED: {
        Milestone.Status.SUBMITTED,
        Milestone.Status.DISPUTED,
        Milestone.Status.REFUNDED,
        Milestone.Status.RELEASED,
    },
    Milestone.Status.SUBMITTED: {
        Milestone.Status.RELEASED,
        Milestone.Status.CHANGES_REQUESTED,
        Milestone.Status.DISPUTED,
        Milestone.Status.REFUNDED,
    },
    Milestone.Status.CHANGES_REQUESTED: {
        Milestone.Status.SUBMITTED,
        Milestone.Status.DISPUTED,
        Milestone.Status.REFUNDED,
        Milestone.Status.RELEASED,
    },
    Milestone.Status.DISPUTED: {Milestone.Status.SETTLED},
    # Finance may pay a released milestone back (a refund after release, corrected by credit notes).
    Milestone.Status.RELEASED: {Milestone.Status.REFUNDED},
    Milestone.Status.SETTLED: set(),
    Milestone.Status.REFUNDED: set(),
    Milestone.Status.CANCELLED: set(),
}


class MilestoneStatusChange(StatusChange):
    subject_field = "milestone"

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), on_delete=models.CASCADE, related_name="status_changes"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta(StatusChange.Meta):
        verbose_name = _("milestone status change")
        verbose_name_plural = _("milestone status changes")


declare_transitions(Milestone, MILESTONE_TRANSITIONS, history=MilestoneStatusChange)


class Delivery(TimeStampedModel):
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), on_delete=models.CASCADE, related_name="deliveries"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField(_("message"))

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.milestone_id} @ {self.created_at:%Y-%m-%d}"


class DeliveryFile(models.Model):
    delivery = models.ForeignKey(Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to="marketplace/deliveries/%Y/%m/", validators=[validate_upload])
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("delivered file")
        verbose_name_plural = _("delivered files")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Timesheet(TimeStampedModel):
    """One week of hours on an hourly contract. No screenshots, no activity tracking: the freelancer's word."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Sent back")

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="timesheets"
    )
    week_start = models.DateField(_("week starting"))
    minutes = models.PositiveIntegerField(_("minutes"))
    description = models.TextField(_("what was done"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    client_note = models.TextField(_("client's note"), blank=True)
    milestone = models.OneToOneField(
        Milestone, verbose_name=_("payment"), null=True, blank=True, on_delete=models.PROTECT, related_name="timesheet"
    )

    class Meta:
        verbose_name = _("timesheet")
        verbose_name_plural = _("timesheets")
        ordering = ["-week_start", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "week_start"], name="timesheet_one_per_week"),
            models.CheckConstraint(
                condition=models.Q(minutes__gt=0) & models.Q(minutes__lte=7 * 24 * 60), name="timesheet_minutes_range"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["submitted", "approved", "rejected"]), name="timesheet_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.week_start}"

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.01"))


TIMESHEET_TRANSITIONS: dict[str, set[str]] = {
    Timesheet.Status.SUBMITTED: {Timesheet.Status.APPROVED, Timesheet.Status.REJECTED},
    Timesheet.Status.REJECTED: {Timesheet.Status.SUBMITTED},
    Timesheet.Status.APPROVED: set(),
}


class TimesheetStatusChange(StatusChange):
    subject_field = "timesheet"

    timesheet = models.ForeignKey(
        Timesheet, verbose_name=_("timesheet"), on_delete=models.CASCADE, related_name="status_changes"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("timesheet status change")
        verbose_name_plural = _("timesheet status changes")


declare_transitions(Timesheet, TIMESHEET_TRANSITIONS, history=TimesheetStatusChange)

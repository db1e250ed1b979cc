"""Surplus policies, payout cycles with their frozen allocation, and earnings payout runs.

A cycle's status moves only through core.transitions.transition, by the table declared below the
cycle, each move with a history row. Allocation rows are written once when computed and
afterwards only gain their "done" marks as they are executed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import ListField
from core.models import StatusChange, TimeStampedModel
from core.money import default_currency
from core.transitions import declare_transitions


class SurplusPolicy(TimeStampedModel):
    """One version of the surplus policy. The highest version is in force; versions never change.

    `funds` is a list of {"name", "percent"} in order; `classes` a list of {"name", "percent",
    "basis"} whose percents add up to 100, each basis one registered in core.payout_bases.
    Percents are kept as strings so they stay exact.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    currency = models.CharField(_("currency"), max_length=3, default=default_currency)
    funds = models.JSONField(_("funds"), default=list)
    classes = models.JSONField(_("patronage classes"), default=list)
    min_cash_percent = models.DecimalField(_("minimum cash part (%)"), max_digits=11, decimal_places=8)
    redemption_terms = models.TextField(_("redemption terms"))
    requires_member_vote = models.BooleanField(_("cycles need a members' vote"), default=False)
    proposal_id = models.PositiveBigIntegerField(_("adopted by proposal"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("adopted by"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("surplus policy")
        verbose_name_plural = _("surplus policies")
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_cash_percent__gte=0, min_cash_percent__lte=100),
                name="surplus_policy_cash_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPUTING = "computing", _("Computing")
    COMPUTED = "computed", _("Computed, awaiting approval")
    APPROVED = "approved", _("Approved")
    EXECUTING = "executing", _("Executing")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")


class PayoutCycle(TimeStampedModel):
    """The surplus of one period, computed from the ledger, approved and paid out to members."""

    Status = CycleStatus

    policy = models.ForeignKey(SurplusPolicy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end (exclusive)"))
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(_("status"), max_length=16, choices=CycleStatus.choices, default=CycleStatus.DRAFT)
    failure_reason = models.CharField(_("failure reason"), max_length=500, blank=True)
    failed_from = models.CharField(_("failed while"), max_length=16, blank=True)
    fee_income_cents = models.BigIntegerField(_("fee income (cents)"), default=0)
    expenses_cents = models.BigIntegerField(_("expenses (cents)"), default=0)
    provider_costs_cents = models.BigIntegerField(_("provider costs (cents)"), default=0)
    surplus_cents = models.BigIntegerField(_("surplus (cents)"), default=0)
    distributable_cents = models.BigIntegerField(_("distributable (cents)"), default=0)
    patronage_pool_cents = models.BigIntegerField(_("patronage pool (cents)"), default=0)
    class_pots = models.JSONField(_("class pots"), default=dict, blank=True)
    class_notes = models.JSONField(_("class notes"), default=list, blank=True)
    allocation_hash = models.CharField(_("allocation hash (SHA-256)"), max_length=64, blank=True)
    progress_done = models.PositiveIntegerField(_("members done"), default=0)
    progress_total = models.PositiveIntegerField(_("members in total"), default=0)
    approval_proposal_id = models.PositiveBigIntegerField(_("approval proposal"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("payout cycle")
        verbose_name_plural = _("payout cycles")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in CycleStatus]), name="payout_cycle_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__lt=models.F("period_end")), name="payout_cycle_period_order"
            ),
            models.CheckConstraint(
                condition=models.Q(progress_done__lte=models.F("progress_total")), name="payout_cycle_progress_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d} ({self.currency})"

    @property
    def progress_percent(self) -> int:
        return 100 * self.progress_done // self.progress_total if self.progress_total else 0

    @property
    def is_running(self) -> bool:
        return self.status in {CycleStatus.COMPUTING, CycleStatus.EXECUTING}


class CycleStatusChange(StatusChange):
    subject_field = "cycle"

    cycle = models.ForeignKey(PayoutCycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="history")
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta(StatusChange.Meta):
        verbose_name = _("payout cycle status change")
        verbose_name_plural = _("payout cycle status changes")


# The allowed moves of a cycle. A failed cycle goes back to the phase it failed in: computing
# again from the ledger, or executing again from the frozen allocation.
declare_transitions(
    PayoutCycle,
    {
        CycleStatus.DRAFT: {CycleStatus.COMPUTING},
        CycleStatus.COMPUTING: {CycleStatus.COMPUTED, CycleStatus.FAILED},
        CycleStatus.COMPUTED: {CycleStatus.APPROVED, CycleStatus.COMPUTING},
        CycleStatus.APPROVED: {CycleStatus.EXECUTING},
        CycleStatus.EXECUTING: {CycleStatus.PAID, CycleStatus.FAILED},
        CycleStatus.PAID: set(),
        CycleStatus.FAILED: {CycleStatus.COMPUTING, CycleStatus.EXECUTING},
    },
    history=CycleStatusChange,
    audit_prefix="payout_cycle",
)


class CycleFund(models.Model):
    """A fund's part of a cycle's distributable amount; `done` once it is posted to the fund."""

    cycle = models.ForeignKey(PayoutCycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="funds")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("fund"), max_length=80)
    percent = models.DecimalField(_("percent"), max_digits=11, decimal_places=8)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    done = models.BooleanField(_("posted"), default=False)

    class Meta:
        verbose_name = _("cycle fund")
        verbose_name_plural = _("cycle funds")
        ordering = ["cycle", "position"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "name"], name="cycle_fund_unique"),
            models.CheckConstraint(condition=models.Q(amount_cents__gte=0), name="cycle_fund_amount_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount_cents}"


class CycleAllocation(models.Model):
    """One member's frozen share of a cycle, with the inputs its statement is derived from."""

    # No single-column index on cycle: the unique (cycle, member) leads with it and serves the same
    # lookups. The member's user is not copied here: a member is one user for good (a protected
    # one-to-one), and every index and foreign key is maintained for each of the 10,000 rows a
    # cycle's compute writes.
    cycle = models.ForeignKey(
        PayoutCycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="allocations", db_index=False
    )
    member = models.ForeignKey(
        "membership.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    allocated_cents = models.BigIntegerField(_("allocated (cents)"))
    cash_cents = models.BigIntegerField(_("cash (cents)"))
    retained_cents = models.BigIntegerField(_("retained (cents)"))
    # The member's weight (an exact number as text) and their cents in each patronage class, in the
    # order of the cycle's class_pots, null where they had no basis in a class: with the cycle's
    # class totals, every step of their statement follows from these two short arrays
    # (payouts.cycles.selectors.statements), so the compute stores no per-member document.
    weights = ListField(models.TextField(), verbose_name=_("weights by class"), default=list)
    parts = ListField(models.BigIntegerField(), verbose_name=_("parts by class (cents)"), default=list)
    retained_done = models.BooleanField(_("retained part credited"), default=False)
    cash_done = models.BooleanField(_("cash part paid"), default=False)
    withdrawal_id = models.PositiveBigIntegerField(_("withdrawal"), null=True, blank=True)

    class Meta:
        verbose_name = _("member allocation")
        verbose_name_plural = _("member allocations")
        ordering = ["cycle", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "member"], name="cycle_allocation_member_unique"),
            models.CheckConstraint(
                condition=models.Q(
                    allocated_cents=models.F("cash_cents") + models.F("retained_cents"),
                    cash_cents__gte=0,
                    retained_cents__gte=0,
                ),
                name="cycle_allocation_adds_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.member_id}: {self.allocated_cents}"

    @property
    def done(self) -> bool:
        return self.retained_done and self.cash_done

    @property
    def bases(self) -> dict[str, str]:
        """Return the member's weight in each basis they had, as {basis: exact number as text}."""
        return {
            pot["basis"]: weight
            for pot, weight in zip(self.cycle.class_pots, self.weights, strict=True)
            if weight is not None
        }


class EarningsPayout(TimeStampedModel):
    """One batch run paying freelancers' available balances out through the payment provider."""

    class Trigger(models.TextChoices):
        REQUEST = "request", _("On request")
        SCHEDULE = "schedule", _("On schedule")

    key = models.CharField(_("key"), max_length=80, unique=True)
    trigger = models.CharField(_("trigger"), max_length=16, choices=Trigger.choices)
    currency = models.CharField(_("currency"), max_length=3)
    withdrawal_batch_id = models.PositiveBigIntegerField(_("payment batch"), null=True, blank=True)
    paid_count = models.PositiveIntegerField(_("freelancers paid"), default=0)
    paid_cents = models.BigIntegerField(_("amount paid (cents)"), default=0)
    skipped = models.JSONField(_("skipped"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("earnings payout")
        verbose_name_plural = _("earnings payouts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trigger__in=["request", "schedule"]), name="earnings_payout_trigger"
            ),
        ]

    def __str__(self) -> str:
        return self.key

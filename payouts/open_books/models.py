"""Expense claims and supplier invoices, budgets, accounting periods and the published open data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import StatusChange, TimeStampedModel
from core.money import default_currency
from core.transitions import declare_transitions


class CostCategory(models.TextChoices):
    """The coop's cost categories: an expense account each (the ledger's `expense[category]`)."""

    HOSTING = "hosting", _("Hosting")
    SOFTWARE = "software", _("Software and services")
    ACCOUNTING = "accounting", _("Accounting")
    LEGAL = "legal", _("Legal and notary")
    INSURANCE = "insurance", _("Insurance")
    OFFICE = "office", _("Office and supplies")
    TRAVEL = "travel", _("Travel")
    EVENTS = "events", _("Meetings and events")
    OUTREACH = "outreach", _("Outreach")
    OTHER = "other", _("Other costs")


class ExpenseClaim(TimeStampedModel):
    """A cost someone asks the coop to book: a member's expense to reimburse, or a supplier's invoice.

    A second person approves it (never whoever submitted it); approval posts it to the ledger, and
    a claim's reimbursement joins the next withdrawal batch.
    """

    class Kind(models.TextChoices):
        CLAIM = "claim", _("Expense claim")
        INVOICE = "invoice", _("Supplier invoice")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.CLAIM)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    # For an invoice: the supplier (a business) who is paid by bank transfer. Never published.
    supplier_name = models.CharField(_("supplier"), max_length=120, blank=True)
    category = models.CharField(_("cost category"), max_length=20, choices=CostCategory.choices)
    description = models.CharField(_("what it was for"), max_length=300)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    currency = models.CharField(_("currency"), max_length=3, default=default_currency)
    spent_on = models.DateField(_("date of the receipt"))
    receipt = models.FileField(_("receipt"), upload_to="open_books/receipts/%Y/%m/")
    receipt_name = models.CharField(_("receipt file name"), max_length=200)
    receipt_type = models.CharField(_("receipt file type"), max_length=40)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # The ledger batch that booked it, and the withdrawal that reimburses a claim.
    batch_key = models.CharField(_("ledger batch"), max_length=200, blank=True)
    withdrawal = models.ForeignKey(
        "payouts.Withdrawal",
        verbose_name=_("reimbursement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="expense_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(status__in=["submitted", "approved", "rejected", "withdrawn"]),
                name="expense_status_valid",
            ),
            models.CheckConstraint(condition=models.Q(kind__in=["claim", "invoice"]), name="expense_kind_valid"),
            models.CheckConstraint(condition=models.Q(category__in=CostCategory.values), name="expense_category_valid"),
            # Four eyes in the data too: whoever submitted never decides.
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True) | ~models.Q(approved_by=models.F("claimant")),
                name="expense_four_eyes",
            ),
        ]
        indexes = [models.Index(fields=["status", "spent_on"], name="expense_status_spent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class ExpenseClaimStatusChange(StatusChange):
    subject_field = "claim"

    claim = models.ForeignKey(
        ExpenseClaim, verbose_name=_("expense"), on_delete=models.PROTECT, related_name="status_changes"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta(StatusChange.Meta):
        verbose_name = _("expense status change")
        verbose_name_plural = _("expense status changes")


# Submitted, then decided once by someone else (or withdrawn by whoever submitted it).
declare_transitions(
    ExpenseClaim,
    {
        ExpenseClaim.Status.SUBMITTED: {
            ExpenseClaim.Status.APPROVED,
            ExpenseClaim.Status.REJECTED,
            ExpenseClaim.Status.WITHDRAWN,
        },
        ExpenseClaim.Status.APPROVED: set(),
        ExpenseClaim.Status.REJECTED: set(),
        ExpenseClaim.Status.WITHDRAWN: set(),
    },
    history=ExpenseClaimStatusChange,
    audit_prefix="expense",
)


class Budget(TimeStampedModel):
    """A year's budget per cost category, as the members adopted it; a later one for the year replaces it."""

    year = models.PositiveIntegerField(_("year"))
    currency = models.CharField(_("currency"), max_length=3, default=default_currency)
    proposal_id = models.PositiveBigIntegerField(_("adopted by decision"), null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["-year", "-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(year__gte=2000), name="budget_year_valid")]

    def __str__(self) -> str:
        return f"{self.year}"


class BudgetLine(models.Model):
    budget = models.ForeignKey(Budget, verbose_name=_("budget"), on_delete=models.CASCADE, related_name="lines")
    category = models.CharField(_("cost category"), max_length=20, choices=CostCategory.choices)
    amount_cents = models.BigIntegerField(_("amount (cents)"))

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "category"], name="budget_line_one_per_category"),
            models.CheckConstraint(condition=models.Q(amount_cents__gte=0), name="budget_line_amount_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.amount_cents}"


class AccountingPeriod(TimeStampedModel):
    """A financial year. Once closed it takes no new postings; corrections post in the open period."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    year = models.PositiveIntegerField(_("year"), unique=True)
    start = models.DateField(_("first day"))
    end = models.DateField(_("day after the last"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The accounts as they stood when the period closed (amounts in cents, by line key).
    accounts = models.JSONField(_("accounts at closing"), default=dict, blank=True)

    class Meta:
        verbose_name = _("accounting period")
        verbose_name_plural = _("accounting periods")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=models.Q(start__lt=models.F("end")), name="period_start_before_end"),
            models.CheckConstraint(condition=models.Q(status__in=["open", "closed"]), name="period_status_valid"),
        ]

    def __str__(self) -> str:
        return str(self.year)


class AccountingPeriodStatusChange(StatusChange):
    subject_field = "period"

    period = models.ForeignKey(
        AccountingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="status_changes"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("period status change")
        verbose_name_plural = _("period status changes")


declare_transitions(
    AccountingPeriod,
    {AccountingPeriod.Status.OPEN: {AccountingPeriod.Status.CLOSED}, AccountingPeriod.Status.CLOSED: set()},
    history=AccountingPeriodStatusChange,
    audit_prefix="accounting_period",
)


class DatasetRelease(models.Model):
    """The latest published version of one open-data dataset, regenerated by a periodic task."""

    key = models.CharField(_("dataset"), max_length=60, unique=True)
    generated_at = models.DateTimeField(_("generated"))
    k = models.PositiveSmallIntegerField(_("smallest group shown"))
    rows = models.JSONField(_("rows"), default=list)
    suppressed_cells = models.PositiveIntegerField(_("cells suppressed"), default=0)

    class Meta:
        verbose_name = _("open-data release")
        verbose_name_plural = _("open-data releases")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key

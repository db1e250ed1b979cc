"""The double-entry ledger: accounts, batches and postings.

A posting moves a positive amount from one account to another; the postings of one business event
form a batch with a unique idempotency key. Batches and postings are append-only: the models refuse
updates and deletes, and a database trigger (migration 0002) refuses them too.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import AppendOnlyError


class AccountPurpose(models.TextChoices):
    ESCROW = "escrow", _("Escrow")
    PAYABLE = "payable", _("Payable to freelancer")
    PAYOUT_PENDING = "payout_pending", _("Withdrawal pending")
    FEE_INCOME = "fee_income", _("Fee income")
    EXPENSE = "expense", _("Expense")
    PROVIDER_CLEARING = "provider_clearing", _("Payment provider clearing")
    SHARE_CAPITAL = "share_capital", _("Share capital")
    MEMBER_CAPITAL = "member_capital", _("Member capital account")
    FUND = "fund", _("Fund")
    SUSPENSE = "suspense", _("Suspense")


class Account(models.Model):
    """One account of the ledger: a purpose, an owner and a currency.

    Its balance is the sum of its postings; `running_balance_cents` keeps that sum up to date in the
    row every money event already locks, so a floor check reads one row instead of the account's
    history. `ledger_check` proves the two agree.
    """

    Purpose = AccountPurpose

    purpose = models.CharField(_("purpose"), max_length=32, choices=AccountPurpose.choices)
    owner_type = models.CharField(_("owner type"), max_length=32, blank=True)
    owner_id = models.CharField(_("owner id"), max_length=64, blank=True)
    name = models.CharField(_("name"), max_length=120, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person concerned"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ledger_accounts",
    )
    # For escrow: the freelancer the money is held for (`user` is the client who paid it).
    beneficiary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("held for"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ledger_accounts_held_for",
    )
    allow_negative = models.BooleanField(_("may go below zero"), default=False)
    # Postings to the account minus postings from it, updated by batch_post under the row lock.
    running_balance_cents = models.BigIntegerField(_("balance (cents)"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        ordering = ["purpose", "owner_type", "owner_id", "name", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "owner_type", "owner_id", "name", "currency"], name="ledger_account_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(purpose__in=AccountPurpose.values), name="ledger_account_purpose_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(allow_negative=False) | models.Q(purpose=AccountPurpose.PROVIDER_CLEARING),
                name="ledger_account_only_clearing_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "purpose"], name="ledger_account_user_purpose"),
            models.Index(fields=["beneficiary", "purpose"], name="ledger_account_benef_purpose"),
        ]

    def __str__(self) -> str:
        owner = f" {self.owner_type}:{self.owner_id}" if self.owner_type else ""
        name = f" {self.name}" if self.name else ""
        return f"{self.get_purpose_display()}{owner}{name} ({self.currency})"


class AppendOnlyQuerySet(models.QuerySet):
    """Refuse bulk updates and deletes: ledger rows are corrected by reversal, never edited."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Ledger rows are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Ledger rows are append-only")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Ledger rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Ledger rows are append-only")


class Batch(AppendOnlyModel):
    """The postings of one business event, committed together under one idempotency key."""

    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    memo = models.CharField(_("memo"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_batches",
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    reverses = models.ForeignKey(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversals",
    )
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("ledger batch")
        verbose_name_plural = _("ledger batches")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["reverses"], name="ledger_batch_reversed_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.idempotency_key}"


class Posting(AppendOnlyModel):
    """A positive amount moved from one account to another, in the accounts' currency."""

    batch = models.ForeignKey(Batch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="postings")
    # The composite covering indexes of migration 0002 lead with these columns, so the
    # single-column FK indexes would only slow inserts down.
    from_account = models.ForeignKey(
        Account, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    to_account = models.ForeignKey(
        Account, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    currency = models.CharField(_("currency"), max_length=3)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="ledger_posting_amount_positive"),
            models.CheckConstraint(
                condition=~models.Q(from_account=models.F("to_account")), name="ledger_posting_two_accounts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount_cents} {self.currency}: {self.from_account_id} → {self.to_account_id}"


class PostingRollup(models.Model):
    """The postings of one local month between two accounts for one kind of event, summed.

    Kept at posting time by batch_post in the same statement as the postings, under the locks of
    both accounts, so a payout cycle and the open books read a few thousand of these rows instead
    of the period's million postings. Derived data, not books: `ledger_check` proves every row
    equals the postings it sums, and migration 0007 built the rows for postings made before it.
    The month is the first day of the month in the site's time zone (settings.TIME_ZONE).
    """

    month = models.DateField(_("month"))
    from_account = models.ForeignKey(
        Account, verbose_name=_("from"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    to_account = models.ForeignKey(
        Account, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=40)
    currency = models.CharField(_("currency"), max_length=3)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    postings = models.PositiveIntegerField(_("postings"))

    class Meta:
        verbose_name = _("monthly posting total")
        verbose_name_plural = _("monthly posting totals")
        ordering = ["month", "from_account", "to_account", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "from_account", "to_account", "kind"], name="ledger_rollup_unique"
            ),
        ]
        # The open books read a year's totals into and out of the fee income account.
        indexes = [
            models.Index(fields=["to_account", "month"], name="ledger_rollup_to_month"),
            models.Index(fields=["from_account", "month"], name="ledger_rollup_from_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.kind}: {self.amount_cents} {self.currency}"

"""Money in and out: payment requests, received bank payments, payout accounts and withdrawals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import StatusChange, TimeStampedModel
from core.transitions import declare_transitions


class Provider(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    STRIPE = "stripe", _("Card payment (Stripe)")


class PaymentRequest(TimeStampedModel):
    """A sum someone is asked to pay, for a purpose another app handles once it is fully paid."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PARTIALLY_PAID = "partially_paid", _("Partially paid")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("payer"), on_delete=models.PROTECT, related_name="payment_requests"
    )
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    currency = models.CharField(_("currency"), max_length=3)
    provider = models.CharField(_("payment method"), max_length=20, choices=Provider.choices)
    reference = models.CharField(_("payment reference"), max_length=20, unique=True)
    purpose = models.CharField(_("purpose"), max_length=40)
    purpose_ref = models.CharField(_("purpose reference"), max_length=64)
    description = models.CharField(_("description"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    amount_received_cents = models.BigIntegerField(_("received (cents)"), default=0)
    # The provider's own id for this payment (a Stripe PaymentIntent), when it has one.
    provider_ref = models.CharField(_("provider reference"), max_length=100, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="payment_request_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(amount_received_cents__gte=0)
                & models.Q(amount_received_cents__lte=models.F("amount_cents")),
                name="payment_request_received_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "partially_paid", "paid", "cancelled"]),
                name="payment_request_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(provider__in=Provider.values), name="payment_request_provider_valid"
            ),
            models.UniqueConstraint(
                fields=["purpose", "purpose_ref"],
                condition=~models.Q(status="cancelled"),
                name="payment_request_one_live_per_purpose",
            ),
        ]
        indexes = [models.Index(fields=["payer", "status"], name="payment_request_payer_status")]

    def __str__(self) -> str:
        return self.reference

    @property
    def outstanding_cents(self) -> int:
        return self.amount_cents - self.amount_received_cents


class PaymentRequestStatusChange(StatusChange):
    subject_field = "payment_request"

    payment_request = models.ForeignKey(
        PaymentRequest, verbose_name=_("payment request"), on_delete=models.PROTECT, related_name="status_changes"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("payment request status change")
        verbose_name_plural = _("payment request status changes")


# The allowed status moves of a payment request; payouts.payments.services is the only writer.
declare_transitions(
    PaymentRequest,
    {
        PaymentRequest.Status.OPEN: {
            PaymentRequest.Status.PARTIALLY_PAID,
            PaymentRequest.Status.PAID,
            PaymentRequest.Status.CANCELLED,
        },
        PaymentRequest.Status.PARTIALLY_PAID: {PaymentRequest.Status.PAID},
        PaymentRequest.Status.PAID: set(),
        PaymentRequest.Status.CANCELLED: set(),
    },
    history=PaymentRequestStatusChange,
    audit_prefix="payment_request",
)


class BankPayment(TimeStampedModel):
    """An amount that arrived on the coop's bank account, as recorded by a finance admin."""

    class Status(models.TextChoices):
        MATCHED = "matched", _("Matched")
        IN_SUSPENSE = "in_suspense", _("In suspense")
        RESOLVED = "resolved", _("Resolved")

    class Resolution(models.TextChoices):
        APPLIED = "applied", _("Applied to a payment request")
        REFUNDED = "refunded", _("Paid back to the sender")

    reference_text = models.CharField(_("reference as received"), max_length=140, blank=True)
    bank_transaction_id = models.CharField(_("bank transaction id"), max_length=100, null=True, blank=True, unique=True)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    currency = models.CharField(_("currency"), max_length=3)
    received_on = models.DateField(_("received on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    payment_request = models.ForeignKey(
        PaymentRequest,
        verbose_name=_("payment request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bank_payments",
    )
    applied_cents = models.BigIntegerField(_("applied (cents)"), default=0)
    suspense_cents = models.BigIntegerField(_("in suspense (cents)"), default=0)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    resolution = models.CharField(_("resolution"), max_length=16, choices=Resolution.choices, blank=True)
    resolved_request = models.ForeignKey(
        PaymentRequest,
        verbose_name=_("applied to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolved_bank_payments",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # Not a column: bank_payment_record says whether this call found the payment recorded before.
    already_recorded: bool = False

    class Meta:
        verbose_name = _("received bank payment")
        verbose_name_plural = _("received bank payments")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="bank_payment_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(applied_cents__gte=0)
                & models.Q(suspense_cents__gte=0)
                & models.Q(applied_cents__lte=models.F("amount_cents")),
                name="bank_payment_parts_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["matched", "in_suspense", "resolved"]),
                name="bank_payment_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "received_on"], name="bank_payment_status_date")]

    def __str__(self) -> str:
        return f"{self.received_on} {self.reference_text or '-'} {self.amount_cents} {self.currency}"


class BankPaymentStatusChange(StatusChange):
    subject_field = "bank_payment"

    bank_payment = models.ForeignKey(
        BankPayment, verbose_name=_("bank payment"), on_delete=models.PROTECT, related_name="status_changes"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("bank payment status change")
        verbose_name_plural = _("bank payment status changes")


# A payment is recorded in suspense and matched at once when its reference names an open request
# it pays in full or in part; what stays in suspense is resolved by finance (applied or paid back).
declare_transitions(
    BankPayment,
    {
        BankPayment.Status.IN_SUSPENSE: {BankPayment.Status.MATCHED, BankPayment.Status.RESOLVED},
        BankPayment.Status.MATCHED: set(),
        BankPayment.Status.RESOLVED: set(),
    },
    history=BankPaymentStatusChange,
    audit_prefix="bank_payment",
)


class PayoutAccount(TimeStampedModel):
    """Where a freelancer's withdrawals are sent: an IBAN and the account holder's name."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="payout_account"
    )
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    holder_name = models.CharField(_("account holder"), max_length=70)

    class Meta:
        verbose_name = _("payout account")
        verbose_name_plural = _("payout accounts")

    def __str__(self) -> str:
        return f"{self.holder_name} {self.iban}"


class WithdrawalBatch(TimeStampedModel):
    """Withdrawals paid together in one SEPA credit transfer file."""

    class Status(models.TextChoices):
        EXPORTED = "exported", _("Exported")
        SETTLED = "settled", _("Settled")

    message_id = models.CharField(_("message id"), max_length=35, unique=True)
    execution_date = models.DateField(_("execution date"))
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.EXPORTED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("withdrawal batch")
        verbose_name_plural = _("withdrawal batches")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["exported", "settled"]), name="withdrawal_batch_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.message_id


class WithdrawalBatchStatusChange(StatusChange):
    subject_field = "batch"

    batch = models.ForeignKey(
        WithdrawalBatch, verbose_name=_("payment batch"), on_delete=models.PROTECT, related_name="status_changes"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("withdrawal batch status change")
        verbose_name_plural = _("withdrawal batch status changes")


declare_transitions(
    WithdrawalBatch,
    {WithdrawalBatch.Status.EXPORTED: {WithdrawalBatch.Status.SETTLED}, WithdrawalBatch.Status.SETTLED: set()},
    history=WithdrawalBatchStatusChange,
    audit_prefix="withdrawal_batch",
)


class Withdrawal(TimeStampedModel):
    """A freelancer's request to be paid out part of their available balance."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        EXPORTED = "exported", _("In a payment batch")
        SETTLED = "settled", _("Paid out")
        FAILED = "failed", _("Failed, returned to your balance")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("freelancer"), on_delete=models.PROTECT, related_name="withdrawals"
    )
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    holder_name = models.CharField(_("account holder"), max_length=70)
    batch = models.ForeignKey(
        WithdrawalBatch,
        verbose_name=_("payment batch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="withdrawals",
    )
    failure_reason = models.CharField(_("failure reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="withdrawal_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(status__in=["requested", "exported", "settled", "failed"]),
                name="withdrawal_status_valid",
            ),
            models.CheckConstraint(
                # A withdrawal paid through a provider's API (Stripe) settles without a SEPA batch.
                condition=~models.Q(status="exported") | models.Q(batch__isnull=False),
                name="withdrawal_exported_has_batch",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="withdrawal_status_created")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.amount_cents} {self.currency} ({self.status})"


class WithdrawalStatusChange(StatusChange):
    subject_field = "withdrawal"

    withdrawal = models.ForeignKey(
        Withdrawal, verbose_name=_("withdrawal"), on_delete=models.PROTECT, related_name="status_changes"
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta(StatusChange.Meta):
        verbose_name = _("withdrawal status change")
        verbose_name_plural = _("withdrawal status changes")


# The allowed status moves of a withdrawal; payouts.payments.withdrawals is the only writer.
declare_transitions(
    Withdrawal,
    {
        # REQUESTED -> SETTLED directly when a provider's API pays it out (Stripe Connect).
        Withdrawal.Status.REQUESTED: {Withdrawal.Status.EXPORTED, Withdrawal.Status.SETTLED, Withdrawal.Status.FAILED},
        Withdrawal.Status.EXPORTED: {Withdrawal.Status.SETTLED, Withdrawal.Status.FAILED},
        Withdrawal.Status.SETTLED: set(),
        Withdrawal.Status.FAILED: set(),
    },
    history=WithdrawalStatusChange,
    audit_prefix="withdrawal",
)

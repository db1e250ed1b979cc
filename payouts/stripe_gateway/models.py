"""What we know of Stripe: webhook events, card payments, refunds, connected accounts, transfers.

Every call to Stripe that creates something carries an idempotency key, stored here under a unique
constraint before the call is made, so a retry (a double click, a redelivered task) reuses the key
and Stripe answers with the object it made the first time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import StatusChange, TimeStampedModel
from core.transitions import declare_transitions


class StripeEvent(models.Model):
    """A verified webhook event, stored once per Stripe event id."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        WAITING = "waiting", _("Waiting for an earlier event")
        PROCESSED = "processed", _("Processed")
        IGNORED = "ignored", _("Ignored")
        FAILED = "failed", _("Failed")

    event_id = models.CharField(_("event id"), max_length=100, unique=True)
    type = models.CharField(_("type"), max_length=100, db_index=True)
    created = models.DateTimeField(_("created at Stripe"))
    livemode = models.BooleanField(_("live mode"), default=False)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    # The object whose own event must be processed first (for example the PaymentIntent a
    # refund belongs to); set only while the event waits.
    waits_for = models.CharField(_("waits for"), max_length=100, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["received", "waiting", "processed", "ignored", "failed"]),
                name="stripe_event_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"


class StripeEventStatusChange(StatusChange):
    subject_field = "event"

    event = models.ForeignKey(
        StripeEvent, verbose_name=_("Stripe event"), on_delete=models.CASCADE, related_name="status_changes"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("Stripe event status change")
        verbose_name_plural = _("Stripe event status changes")


# An event not yet done (received, waiting for an earlier one, or failed) is processed again on
# each delivery or release; processed and ignored events are final.
_EVENT_OUTCOMES = {
    StripeEvent.Status.WAITING,
    StripeEvent.Status.PROCESSED,
    StripeEvent.Status.IGNORED,
    StripeEvent.Status.FAILED,
}
declare_transitions(
    StripeEvent,
    {
        StripeEvent.Status.RECEIVED: _EVENT_OUTCOMES,
        StripeEvent.Status.WAITING: _EVENT_OUTCOMES - {StripeEvent.Status.WAITING},
        StripeEvent.Status.FAILED: _EVENT_OUTCOMES - {StripeEvent.Status.FAILED},
        StripeEvent.Status.PROCESSED: set(),
        StripeEvent.Status.IGNORED: set(),
    },
    history=StripeEventStatusChange,
    audit_prefix="stripe_event",
)


class StripePayment(TimeStampedModel):
    """The card payment of one payment request: its PaymentIntent or Checkout Session."""

    payment_request = models.OneToOneField(
        "payouts.PaymentRequest",
        verbose_name=_("payment request"),
        on_delete=models.PROTECT,
        related_name="stripe_payment",
    )
    payment_intent_id = models.CharField(_("PaymentIntent"), max_length=100, null=True, blank=True, unique=True)
    checkout_session_id = models.CharField(_("Checkout Session"), max_length=100, null=True, blank=True, unique=True)
    # A Checkout Session expires after a day; each new one gets the next attempt's key.
    checkout_attempt = models.PositiveIntegerField(_("checkout attempt"), default=0)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    currency = models.CharField(_("currency"), max_length=3)
    charge_id = models.CharField(_("charge"), max_length=100, blank=True)
    amount_received_cents = models.BigIntegerField(_("received (cents)"), default=0)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    # Cumulative, as Stripe reports it on charge.refunded; compared with our own refunds.
    amount_refunded_cents = models.BigIntegerField(_("refunded at Stripe (cents)"), default=0)
    fee_cents = models.BigIntegerField(_("Stripe fee (cents)"), null=True, blank=True)
    fee_batch_key = models.CharField(_("fee ledger batch"), max_length=200, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Stripe payment")
        verbose_name_plural = _("Stripe payments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="stripe_payment_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(amount_received_cents__gte=0) & models.Q(amount_refunded_cents__gte=0),
                name="stripe_payment_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(fee_cents__isnull=True) | models.Q(fee_cents__gte=0),
                name="stripe_payment_fee_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.payment_intent_id or self.checkout_session_id or f"payment request {self.payment_request_id}"

    @property
    def intent_idempotency_key(self) -> str:
        return f"payreq:{self.payment_request_id}:pi"

    @property
    def checkout_idempotency_key(self) -> str:
        return f"payreq:{self.payment_request_id}:checkout:{self.checkout_attempt}"


class StripeRefund(TimeStampedModel):
    """A refund sent through Stripe for one refund event of the ledger."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    payment = models.ForeignKey(
        StripePayment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="refunds"
    )
    ledger_key = models.CharField(_("ledger batch"), max_length=200, unique=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=220, unique=True)
    refund_id = models.CharField(_("refund"), max_length=100, null=True, blank=True, unique=True)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)

    class Meta:
        verbose_name = _("Stripe refund")
        verbose_name_plural = _("Stripe refunds")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="stripe_refund_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "succeeded", "failed"]), name="stripe_refund_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.refund_id or self.idempotency_key


class StripeRefundStatusChange(StatusChange):
    subject_field = "refund"

    refund = models.ForeignKey(
        StripeRefund, verbose_name=_("Stripe refund"), on_delete=models.PROTECT, related_name="status_changes"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("Stripe refund status change")
        verbose_name_plural = _("Stripe refund status changes")


# Stripe reports a refund's outcome; a succeeded refund can still fail later (the card was closed),
# and the latest report wins.
declare_transitions(
    StripeRefund,
    {
        StripeRefund.Status.PENDING: {StripeRefund.Status.SUCCEEDED, StripeRefund.Status.FAILED},
        StripeRefund.Status.SUCCEEDED: {StripeRefund.Status.FAILED},
        StripeRefund.Status.FAILED: {StripeRefund.Status.SUCCEEDED},
    },
    history=StripeRefundStatusChange,
    audit_prefix="stripe_refund",
)


class StripeConnectAccount(TimeStampedModel):
    """A freelancer's Express account on Stripe Connect, which transfers are paid to."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("freelancer"),
        on_delete=models.PROTECT,
        related_name="stripe_connect_account",
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    account_id = models.CharField(_("account"), max_length=100, null=True, blank=True, unique=True)
    payouts_enabled = models.BooleanField(_("payouts enabled"), default=False)
    charges_enabled = models.BooleanField(_("charges enabled"), default=False)
    details_submitted = models.BooleanField(_("details submitted"), default=False)
    # The time (at Stripe) of the newest account state applied: an older account.updated that
    # arrives late must not undo a newer one.
    state_at = models.DateTimeField(_("state as of"), null=True, blank=True)

    class Meta:
        verbose_name = _("Stripe connected account")
        verbose_name_plural = _("Stripe connected accounts")

    def __str__(self) -> str:
        return self.account_id or self.idempotency_key


class StripeAccountLink(models.Model):
    """An onboarding link handed to a freelancer; kept for the idempotency key and the audit trail."""

    account = models.ForeignKey(
        StripeConnectAccount, verbose_name=_("account"), on_delete=models.CASCADE, related_name="links"
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=120, unique=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("Stripe onboarding link")
        verbose_name_plural = _("Stripe onboarding links")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.idempotency_key


class StripeTransfer(TimeStampedModel):
    """Money sent from the platform balance to a freelancer's connected account for a withdrawal."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        REVERSED = "reversed", _("Reversed")

    withdrawal = models.OneToOneField(
        "payouts.Withdrawal", verbose_name=_("withdrawal"), on_delete=models.PROTECT, related_name="stripe_transfer"
    )
    account = models.ForeignKey(
        StripeConnectAccount, verbose_name=_("account"), on_delete=models.PROTECT, related_name="transfers"
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    transfer_group = models.CharField(_("transfer group"), max_length=100)
    transfer_id = models.CharField(_("transfer"), max_length=100, null=True, blank=True, unique=True)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)

    class Meta:
        verbose_name = _("Stripe transfer")
        verbose_name_plural = _("Stripe transfers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="stripe_transfer_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "sent", "reversed"]), name="stripe_transfer_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.transfer_id or self.idempotency_key


class StripeTransferStatusChange(StatusChange):
    subject_field = "transfer"

    transfer = models.ForeignKey(
        StripeTransfer, verbose_name=_("Stripe transfer"), on_delete=models.PROTECT, related_name="status_changes"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("Stripe transfer status change")
        verbose_name_plural = _("Stripe transfer status changes")


declare_transitions(
    StripeTransfer,
    {
        StripeTransfer.Status.PENDING: {StripeTransfer.Status.SENT, StripeTransfer.Status.REVERSED},
        StripeTransfer.Status.SENT: {StripeTransfer.Status.REVERSED},
        StripeTransfer.Status.REVERSED: set(),
    },
    history=StripeTransferStatusChange,
    audit_prefix="stripe_transfer",
)

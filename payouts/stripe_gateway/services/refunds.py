"""Refunds through Stripe for the ledger's refund events whose provider is Stripe.

The ledger posts the refund first (escrow → clearing[stripe], for example "milestone:42:refund");
then stripe_refund_create sends that amount back to the card, under an idempotency key derived from
the ledger batch's key. A call repeated for the same batch sends nothing twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import stripe
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, Conflict
from core.services import audit_log
from core.transitions import transition
from payouts import ledger
from payouts.stripe_gateway.client import PROVIDER, payments_client, provider_error
from payouts.stripe_gateway.exceptions import ErrorCode
from payouts.stripe_gateway.models import StripePayment, StripeRefund

if TYPE_CHECKING:
    from membership.models import User


def _stripe_refund_amount(ledger_key: str, currency: str) -> int:
    """Return what the ledger batch moved into Stripe's clearing account (0 if the batch is unknown)."""
    batch = ledger.Batch.objects.filter(idempotency_key=ledger_key).first()
    if batch is None:
        return 0
    total = batch.postings.filter(
        to_account__purpose=ledger.AccountPurpose.PROVIDER_CLEARING,
        to_account__owner_type="provider",
        to_account__owner_id=PROVIDER,
        to_account__currency=currency,
    ).aggregate(total=Sum("amount_cents"))["total"]
    return int(total or 0)


@transaction.atomic
def _refund_reserve(
    *, payment_request_id: int, ledger_key: str, amount_cents: int | None, actor: User | None
) -> StripeRefund:
    existing = StripeRefund.objects.filter(ledger_key=ledger_key).first()
    if existing is not None:
        return existing
    payment = (
        StripePayment.objects.select_for_update()
        .select_related("payment_request__payer")
        .filter(payment_request_id=payment_request_id)
        .first()
    )
    if payment is None or payment.received_at is None or not payment.payment_intent_id:
        raise Conflict(_("No card payment was received for this payment request."), code=ErrorCode.NOT_PAID_BY_CARD)
    booked = _stripe_refund_amount(ledger_key, payment.currency)
    if booked <= 0:
        raise ApplicationError(
            _("The ledger has no refund through Stripe under %(key)s.") % {"key": ledger_key},
            code=ErrorCode.NO_LEDGER_REFUND,
        )
    amount = booked if amount_cents is None else amount_cents
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0 or amount > booked:
        raise ApplicationError(
            _("The refund must be a positive amount, at most what the ledger refunded."), code=ErrorCode.BAD_AMOUNT
        )
    already = payment.refunds.exclude(status=StripeRefund.Status.FAILED).aggregate(total=Sum("amount_cents"))["total"]
    if amount > payment.amount_received_cents - (already or 0):
        raise Conflict(_("The refund is more than what is left of the card payment."), code=ErrorCode.REFUND_TOO_LARGE)
    refund = StripeRefund.objects.create(
        payment=payment,
        ledger_key=ledger_key,
        idempotency_key=f"refund:{ledger_key}",
        amount_cents=amount,
        currency=payment.currency,
    )
    audit_log(
        actor=actor,
        action="stripe.refund_requested",
        target=refund,
        subject=payment.payment_request.payer,
        data={"ledger_key": ledger_key, "amount_cents": amount},
    )
    return refund


def stripe_refund_create(
    *, payment_request_id: int, ledger_key: str, actor: User | None, amount_cents: int | None = None
) -> StripeRefund:
    """Refund to the card what the ledger batch `ledger_key` moved into Stripe's clearing account.

    Call it after the ledger's refund event committed (transaction.on_commit). The refund row and
    its key are stored before Stripe is called; a retry reuses the key, so Stripe refunds once.
    """
    refund = _refund_reserve(
        payment_request_id=payment_request_id, ledger_key=ledger_key, amount_cents=amount_cents, actor=actor
    )
    if refund.refund_id:
        return refund
    payment = refund.payment
    try:
        created = payments_client().v1.refunds.create(
            {
                # _refund_reserve stored the refund only for a payment with its PaymentIntent.
                "payment_intent": str(payment.payment_intent_id),
                "amount": refund.amount_cents,
                "metadata": {"payment_request_id": str(payment.payment_request_id), "ledger_key": ledger_key},
            },
            {"idempotency_key": refund.idempotency_key},
        )
    except stripe.StripeError as exc:
        raise provider_error(exc) from exc
    status = {"succeeded": StripeRefund.Status.SUCCEEDED, "failed": StripeRefund.Status.FAILED}.get(
        str(created.to_dict().get("status")), StripeRefund.Status.PENDING
    )
    with transaction.atomic():
        refund = StripeRefund.objects.select_for_update().get(pk=refund.pk)
        refund.refund_id = created.id
        if status != refund.status:
            transition(refund, status, actor=actor, update_fields=("refund_id",))
        else:
            refund.save(update_fields=["refund_id", "updated_at"])
        audit_log(
            actor=actor,
            action="stripe.refund_sent",
            target=refund,
            data={"refund": created.id, "status": status, "amount_cents": refund.amount_cents},
        )
    return refund


@transaction.atomic
def stripe_refund_status_set(*, refund_id: str, status: str) -> StripeRefund | None:
    """Apply a refund's status from a webhook (refund.updated / refund.failed); unknown refunds → None."""
    refund = StripeRefund.objects.select_for_update().filter(refund_id=refund_id).first()
    if refund is None:
        return None
    mapped = {"succeeded": StripeRefund.Status.SUCCEEDED, "failed": StripeRefund.Status.FAILED}.get(status)
    if mapped is not None and refund.status != mapped:
        transition(refund, mapped, actor=None)
    return refund


@transaction.atomic
def stripe_charge_refunded(*, payment_intent_id: str, amount_refunded_cents: int) -> StripePayment | None:
    """Record the cumulative refunded amount Stripe reports for a payment; it only ever grows."""
    payment = StripePayment.objects.select_for_update().filter(payment_intent_id=payment_intent_id).first()
    if payment is None or payment.received_at is None:
        return None
    if amount_refunded_cents > payment.amount_refunded_cents:
        payment.amount_refunded_cents = amount_refunded_cents
        payment.save(update_fields=["amount_refunded_cents", "updated_at"])
        audit_log(
            actor=None,
            action="stripe.charge_refunded",
            target=payment,
            data={"amount_refunded_cents": amount_refunded_cents},
        )
    return payment

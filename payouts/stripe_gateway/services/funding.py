"""Card funding: one PaymentIntent or Checkout Session per payment request.

Nothing here records money when the payer pays: the money is recorded only from a verified
webhook (payment_intent.succeeded or checkout.session.completed), through
payments.payment_request_receive, so the purpose's handler runs exactly once.

Lock order: StripePayment row, then the payment request (inside payment_request_receive), then
ledger accounts (inside the ledger's services).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import stripe
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, Conflict
from core.permissions import authorize
from core.services import audit_log
from payouts import ledger
from payouts.payments import PaymentRequest, payment_request_receive
from payouts.stripe_gateway.client import PROVIDER, object_id, payments_client, provider_error
from payouts.stripe_gateway.exceptions import ErrorCode
from payouts.stripe_gateway.models import StripePayment

if TYPE_CHECKING:
    from membership.models import User

PAYABLE = (PaymentRequest.Status.OPEN, PaymentRequest.Status.PARTIALLY_PAID)


def _metadata(payment_request: PaymentRequest) -> dict[str, str]:
    return {"payment_request_id": str(payment_request.pk), "reference": payment_request.reference}


def _locked_payment(payment_request_id: int) -> tuple[StripePayment, PaymentRequest]:
    """Return the request's StripePayment (created on first use) locked, with the request."""
    payment_request = PaymentRequest.objects.select_related("payer").filter(pk=payment_request_id).first()
    if payment_request is None or payment_request.provider != PROVIDER:
        raise ApplicationError(_("This payment request is not payable by card."), code=ErrorCode.NOT_A_CARD_PAYMENT)
    if payment_request.status not in PAYABLE:
        raise Conflict(_("This payment request is not open for payment."), code=ErrorCode.PAYMENT_REQUEST_CLOSED)
    StripePayment.objects.get_or_create(
        payment_request=payment_request,
        defaults={"amount_cents": payment_request.outstanding_cents, "currency": payment_request.currency},
    )
    payment = StripePayment.objects.select_for_update().get(payment_request=payment_request)
    return payment, payment_request


@transaction.atomic
def stripe_payment_intent_create(*, payment_request_id: int, actor: User | None) -> StripePayment:
    """Create the request's PaymentIntent at Stripe, once; with one made already, return it."""
    payment, payment_request = _locked_payment(payment_request_id)
    authorize(actor, "payment_request.pay_by_card", payment_request)
    if payment.payment_intent_id:
        return payment
    params: dict[str, Any] = {
        "amount": payment.amount_cents,
        "currency": payment.currency.lower(),
        "metadata": _metadata(payment_request),
        "payment_method_types": ["card"],
    }
    try:
        intent = payments_client().v1.payment_intents.create(
            params,  # type: ignore[arg-type]
            {"idempotency_key": payment.intent_idempotency_key},
        )
    except stripe.StripeError as exc:
        raise provider_error(exc) from exc
    payment.payment_intent_id = intent.id
    payment.save(update_fields=["payment_intent_id", "updated_at"])
    audit_log(
        actor=actor,
        action="stripe.payment_intent_created",
        target=payment,
        subject=payment_request.payer,
        data={"payment_intent": intent.id, "amount_cents": payment.amount_cents},
    )
    return payment


@transaction.atomic
def stripe_checkout_session_create(
    *, payment_request_id: int, success_url: str, cancel_url: str, actor: User | None
) -> str:
    """Return the URL of a Stripe Checkout page for the request, creating the session if needed.

    Checkout runs on Stripe's own site, so our pages load no third-party script.
    """
    payment, payment_request = _locked_payment(payment_request_id)
    authorize(actor, "payment_request.pay_by_card", payment_request)
    client = payments_client()
    try:
        if payment.checkout_session_id:
            session = client.v1.checkout.sessions.retrieve(payment.checkout_session_id)
            if session.status == "open" and session.url:
                return session.url
            if session.status == "complete":
                raise Conflict(_("This payment request was paid already."), code=ErrorCode.PAYMENT_REQUEST_CLOSED)
            payment.checkout_attempt += 1
        metadata = _metadata(payment_request)
        params: dict[str, Any] = {
            "mode": "payment",
            "payment_method_types": ["card"],
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": payment.currency.lower(),
                        "unit_amount": payment.amount_cents,
                        "product_data": {"name": payment_request.description or payment_request.reference},
                    },
                }
            ],
            "client_reference_id": str(payment_request.pk),
            "metadata": metadata,
            "payment_intent_data": {"metadata": metadata},
            "success_url": success_url,
            "cancel_url": cancel_url,
        }
        session = client.v1.checkout.sessions.create(
            params,  # type: ignore[arg-type]
            {"idempotency_key": payment.checkout_idempotency_key},
        )
    except stripe.StripeError as exc:
        raise provider_error(exc) from exc
    payment.checkout_session_id = session.id
    payment.save(update_fields=["checkout_session_id", "checkout_attempt", "updated_at"])
    audit_log(
        actor=actor,
        action="stripe.checkout_session_created",
        target=payment,
        subject=payment_request.payer,
        data={"checkout_session": session.id, "amount_cents": payment.amount_cents},
    )
    return str(session.url)


def charge_fee_cents(charge_id: str) -> int | None:
    """Return what Stripe kept of a charge, from its balance transaction; None when not known yet."""
    if not charge_id:
        return None
    try:
        client = payments_client()
        charge = client.v1.charges.retrieve(charge_id, {"expand": ["balance_transaction"]}).to_dict()
        transaction_ = charge.get("balance_transaction")
        if transaction_ is None:
            return None
        if isinstance(transaction_, str):
            transaction_ = client.v1.balance_transactions.retrieve(transaction_).to_dict()
        return int(transaction_["fee"])
    except (stripe.StripeError, KeyError, TypeError, ValueError):
        # The fee is booked later by stripe_fees_post_pending; the payment itself is not held up.
        return None


def _fee_post(payment: StripePayment) -> None:
    """Book the payment's Stripe fee as an expense, unless done already or there is none."""
    if not payment.fee_cents or payment.fee_batch_key:
        return
    key = f"stripe:fee:{payment.charge_id or payment.payment_intent_id}"
    try:
        with transaction.atomic():
            ledger.provider_fee_record(
                amount_cents=payment.fee_cents,
                currency=payment.currency,
                provider=PROVIDER,
                actor=None,
                key=key,
                memo=_("Stripe fee for payment %(reference)s") % {"reference": payment.payment_request.reference},
            )
    except ledger.InsufficientFunds as exc:
        # Fees are paid out of fee income, which may not hold enough yet; the fee stays pending and
        # reconcile() reports it until stripe_fees_post_pending books it.
        payment.last_error = str(exc.message)[:300]
        payment.save(update_fields=["last_error", "updated_at"])
        return
    payment.fee_batch_key = key
    payment.last_error = ""
    payment.save(update_fields=["fee_batch_key", "last_error", "updated_at"])


@transaction.atomic
def stripe_payment_receive(
    *,
    payment_request_id: int,
    payment_intent_id: str,
    amount_cents: int,
    currency: str,
    charge_id: str = "",
    fee_cents: int | None = None,
    checkout_session_id: str = "",
) -> StripePayment:
    """Record a payment Stripe confirmed (from a verified webhook); a second call changes nothing."""
    payment_request = PaymentRequest.objects.select_related("payer").filter(pk=payment_request_id).first()
    if payment_request is None or payment_request.provider != PROVIDER:
        raise ApplicationError(_("This payment request is not payable by card."), code=ErrorCode.NOT_A_CARD_PAYMENT)
    StripePayment.objects.get_or_create(
        payment_request=payment_request,
        defaults={"amount_cents": payment_request.amount_cents, "currency": payment_request.currency},
    )
    payment = (
        StripePayment.objects.select_for_update().select_related("payment_request").get(payment_request=payment_request)
    )
    if payment.received_at is not None:
        if payment.payment_intent_id != payment_intent_id:
            raise Conflict(
                _("A second card payment arrived for a request that is paid already."), code=ErrorCode.SECOND_PAYMENT
            )
        return payment
    if payment.payment_intent_id and payment.payment_intent_id != payment_intent_id:
        raise Conflict(
            _("The payment does not belong to this payment request."), code=ErrorCode.UNEXPECTED_PAYMENT_INTENT
        )
    if currency.upper() != payment_request.currency:
        raise Conflict(_("The payment is in another currency than the request."), code=ErrorCode.BAD_CURRENCY)
    payment.payment_intent_id = payment_intent_id
    payment.checkout_session_id = payment.checkout_session_id or checkout_session_id or None
    payment.charge_id = charge_id
    payment.amount_received_cents = amount_cents
    payment.received_at = timezone.now()
    payment.fee_cents = fee_cents
    payment.save()
    payment_request_receive(
        payment_request_id=payment_request.pk, amount_cents=amount_cents, actor=None, provider_ref=payment_intent_id
    )
    audit_log(
        actor=None,
        action="stripe.payment_received",
        target=payment,
        subject=payment_request.payer,
        data={"payment_intent": payment_intent_id, "amount_cents": amount_cents, "fee_cents": fee_cents},
    )
    _fee_post(payment)
    return payment


def stripe_fees_post_pending() -> int:
    """Book every Stripe fee still pending (fee income was short, or the fee was not known yet)."""
    booked = 0
    pending = StripePayment.objects.filter(received_at__isnull=False, fee_batch_key="").order_by("pk")
    for payment_id, fee_cents, charge_id in pending.values_list("pk", "fee_cents", "charge_id"):
        fee = fee_cents if fee_cents is not None else charge_fee_cents(charge_id)
        if not fee:
            continue
        with transaction.atomic():
            payment = StripePayment.objects.select_for_update().select_related("payment_request").get(pk=payment_id)
            payment.fee_cents = fee
            payment.save(update_fields=["fee_cents", "updated_at"])
            _fee_post(payment)
            booked += bool(payment.fee_batch_key)
    return booked


def intent_charge_id(intent: dict[str, Any]) -> str:
    """Return the charge of a PaymentIntent, from latest_charge or (older API versions) charges."""
    charge = object_id(intent.get("latest_charge"))
    if charge:
        return charge
    charges = (intent.get("charges") or {}).get("data") or []
    return object_id(charges[-1]) if charges else ""

"""Verified Stripe webhooks: each event stored once by its id, processed once, in any order.

An event whose prerequisite has not been processed yet (a charge.refunded before the
payment_intent.succeeded of its PaymentIntent) waits, and is processed as soon as that prerequisite
is. A redelivered event finds its row and changes nothing.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.exceptions import ApplicationError
from core.transitions import transition
from payouts.stripe_gateway.client import from_timestamp, object_id
from payouts.stripe_gateway.models import StripeEvent, StripePayment
from payouts.stripe_gateway.services import connect, funding, refunds

# Stripe's own default: a signature older than five minutes is refused, against replays. The
# library checks only the past; a timestamp as far in the future is refused here as well, so a
# delivery signed ahead of time (a leaked secret, a sender's clock far off) cannot be held back
# and replayed later inside the window.
TOLERANCE_SECONDS = 300


class WebhookRefused(Exception):
    """The body is not a genuine, fresh Stripe event: answer 400 and store nothing."""


@dataclass(frozen=True)
class Wait:
    """A handler's answer when the event must wait for the event of another object."""

    on: str


Handler = Callable[[StripeEvent], Wait | None]


def _intent_key(payment_intent_id: str) -> str:
    return f"payment_intent:{payment_intent_id}"


def _handle_intent_succeeded(event: StripeEvent) -> Wait | None:
    intent = event.payload["data"]["object"]
    payment_request_id = (intent.get("metadata") or {}).get("payment_request_id")
    if not payment_request_id:
        return None
    charge_id = funding.intent_charge_id(intent)
    amount = intent.get("amount_received")
    if amount is None:
        amount = intent["amount"]
    funding.stripe_payment_receive(
        payment_request_id=int(payment_request_id),
        payment_intent_id=intent["id"],
        amount_cents=int(amount),
        currency=str(intent["currency"]),
        charge_id=charge_id,
        fee_cents=funding.charge_fee_cents(charge_id),
    )
    return None


def _handle_checkout_completed(event: StripeEvent) -> Wait | None:
    session = event.payload["data"]["object"]
    payment_request_id = (session.get("metadata") or {}).get("payment_request_id")
    if not payment_request_id or session.get("payment_status") != "paid":
        return None
    intent_id = object_id(session.get("payment_intent"))
    if not intent_id:
        return None
    charge_id = ""
    fee = None
    intent = session.get("payment_intent")
    if isinstance(intent, dict):
        charge_id = funding.intent_charge_id(intent)
        fee = funding.charge_fee_cents(charge_id)
    funding.stripe_payment_receive(
        payment_request_id=int(payment_request_id),
        payment_intent_id=intent_id,
        amount_cents=int(session["amount_total"]),
        currency=str(session["currency"]),
        charge_id=charge_id,
        fee_cents=fee,
        checkout_session_id=str(session["id"]),
    )
    return None


def _handle_charge_refunded(event: StripeEvent) -> Wait | None:
    charge = event.payload["data"]["object"]
    intent_id = object_id(charge.get("payment_intent"))
    if not intent_id:
        return None
    received = StripePayment.objects.filter(payment_intent_id=intent_id, received_at__isnull=False).exists()
    if not received:
        # Stripe does not promise order: the refund may come before the payment it refunds.
        return Wait(on=_intent_key(intent_id))
    refunds.stripe_charge_refunded(payment_intent_id=intent_id, amount_refunded_cents=int(charge["amount_refunded"]))
    return None


def _handle_refund_updated(event: StripeEvent) -> Wait | None:
    refund = event.payload["data"]["object"]
    refunds.stripe_refund_status_set(refund_id=str(refund["id"]), status=str(refund.get("status")))
    return None


def _handle_account_updated(event: StripeEvent) -> Wait | None:
    connect.connect_account_update(account=event.payload["data"]["object"], as_of=event.created)
    return None


HANDLERS: dict[str, Handler] = {
    "payment_intent.succeeded": _handle_intent_succeeded,
    "checkout.session.completed": _handle_checkout_completed,
    "checkout.session.async_payment_succeeded": _handle_checkout_completed,
    "charge.refunded": _handle_charge_refunded,
    "charge.refund.updated": _handle_refund_updated,
    "refund.updated": _handle_refund_updated,
    "refund.failed": _handle_refund_updated,
    "account.updated": _handle_account_updated,
}

# What a processed event makes ready: events waiting on this key run right after it.
RELEASES: dict[str, Callable[[dict[str, Any]], str]] = {
    "payment_intent.succeeded": lambda obj: _intent_key(str(obj["id"])),
    "checkout.session.completed": lambda obj: _intent_key(object_id(obj.get("payment_intent"))),
}


def webhook_verify(*, payload: bytes, signature: str) -> dict[str, Any]:
    """Return the event if the body carries a valid, fresh signature; refuse anything else."""
    try:
        stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET, tolerance=TOLERANCE_SECONDS)
        event = json.loads(payload)
    except (stripe.SignatureVerificationError, ValueError, UnicodeDecodeError) as exc:
        raise WebhookRefused(str(exc)[:200]) from exc
    if _signed_at(signature) > time.time() + TOLERANCE_SECONDS:
        raise WebhookRefused("Timestamp outside the tolerance zone (in the future)")
    if not isinstance(event, dict) or not event.get("id") or not event.get("type") or "data" not in event:
        raise WebhookRefused("not a Stripe event")
    return event


def _signed_at(signature: str) -> int:
    """Return the signature's timestamp, read as the Stripe library reads it (the first `t=`).

    Only called once the library has accepted the header, so the value is there and an integer.
    """
    for item in signature.split(","):
        name, _, value = item.partition("=")
        if name == "t":
            return int(value)
    raise WebhookRefused("no timestamp in the signature")


def event_store(event: dict[str, Any]) -> tuple[StripeEvent, bool]:
    """Store a verified event once; return (row, created). A known event id returns its row."""
    try:
        with transaction.atomic():
            row = StripeEvent.objects.create(
                event_id=str(event["id"])[:100],
                type=str(event["type"])[:100],
                created=from_timestamp(event.get("created")) or timezone.now(),
                livemode=bool(event.get("livemode")),
                payload=event,
            )
        return row, True
    except IntegrityError:
        return StripeEvent.objects.get(event_id=str(event["id"])[:100]), False


@transaction.atomic
def event_process(*, event_id: int) -> StripeEvent:
    """Process a stored event unless it was processed already; return it with its new status."""
    event = StripeEvent.objects.select_for_update().get(pk=event_id)
    if event.status in (StripeEvent.Status.PROCESSED, StripeEvent.Status.IGNORED):
        return event
    event.attempts += 1
    handler = HANDLERS.get(event.type)
    if handler is None:
        event.processed_at = timezone.now()
        return _event_settle(event, StripeEvent.Status.IGNORED, fields=("processed_at", "attempts"))
    try:
        with transaction.atomic():
            wait = handler(event)
    except ApplicationError as exc:
        # Retrying will not help (a payment for a closed request, say): finance sees it in the
        # admin, and reconcile() shows the money at Stripe that the ledger does not have.
        event.last_error = f"{exc.code}: {exc.message}"[:300]
        return _event_settle(event, StripeEvent.Status.FAILED, fields=("last_error", "attempts"))
    if wait is not None:
        event.waits_for = wait.on
        return _event_settle(event, StripeEvent.Status.WAITING, fields=("waits_for", "attempts"))
    event.waits_for = ""
    event.last_error = ""
    event.processed_at = timezone.now()
    return _event_settle(
        event, StripeEvent.Status.PROCESSED, fields=("waits_for", "last_error", "processed_at", "attempts")
    )


def _event_settle(event: StripeEvent, status: str, *, fields: tuple[str, ...]) -> StripeEvent:
    """Save the locked event's outcome; a move of its status goes through the transition table.

    An event that waits or fails again keeps its status and only counts the attempt.
    """
    if event.status == status:
        event.save(update_fields=list(fields))
    else:
        transition(event, status, actor=None, update_fields=fields, audit_data={"type": event.type})
    return event


def _release_waiting(event: StripeEvent) -> None:
    release = RELEASES.get(event.type)
    if release is None or event.status != StripeEvent.Status.PROCESSED:
        return
    key = release(event.payload["data"]["object"])
    waiting = StripeEvent.objects.filter(status=StripeEvent.Status.WAITING, waits_for=key).order_by("created", "pk")
    for waiting_id in waiting.values_list("pk", flat=True):
        event_process(event_id=waiting_id)


def webhook_receive(*, payload: bytes, signature: str) -> tuple[StripeEvent, bool]:
    """Verify, store and process one delivery; return (event, whether it was new)."""
    verified = webhook_verify(payload=payload, signature=signature)
    event, created = event_store(verified)
    if event.status in (StripeEvent.Status.PROCESSED, StripeEvent.Status.IGNORED):
        return event, created
    event = event_process(event_id=event.pk)
    _release_waiting(event)
    return event, created

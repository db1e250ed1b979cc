"""Card funding end to end: PaymentIntent on localstripe, verified webhook, ledger; replays change nothing."""

from __future__ import annotations

from typing import Any

import pytest

from core.models import AuditEvent
from payouts import ledger
from payouts.payments import PaymentRequest
from payouts.stripe_gateway.client import object_id
from payouts.stripe_gateway.models import StripeEvent, StripePayment
from payouts.stripe_gateway.services.funding import stripe_payment_intent_create
from tests.stripe_gateway.helpers import card_request, escrow_of, funded_by_card, stripe_clearing

pytestmark = pytest.mark.usefixtures("stripe_on", "escrow_purpose")


def test_payment_intent_is_created_once_with_metadata_and_idempotency_key(
    buyer_stripe: Any, payer: Any, freelancer: Any
) -> None:
    payment_request = card_request(payer=payer, freelancer=freelancer)
    first = stripe_payment_intent_create(payment_request_id=payment_request.pk, actor=payer)
    again = stripe_payment_intent_create(payment_request_id=payment_request.pk, actor=payer)
    assert again.payment_intent_id == first.payment_intent_id
    assert first.intent_idempotency_key == f"payreq:{payment_request.pk}:pi"
    intent = buyer_stripe.v1.payment_intents.retrieve(str(first.payment_intent_id))
    assert intent.amount == 12_500
    assert intent.currency == "eur"
    assert intent.metadata.to_dict() == {
        "payment_request_id": str(payment_request.pk),
        "reference": payment_request.reference,
    }


def test_paying_at_stripe_records_nothing_until_the_webhook(buyer_stripe: Any, payer: Any, freelancer: Any) -> None:
    payment_request, _intent = funded_by_card(buyer=buyer_stripe, payer=payer, freelancer=freelancer)
    payment_request.refresh_from_db()
    assert payment_request.status == PaymentRequest.Status.OPEN
    assert ledger.Batch.objects.count() == 0


def test_card_funding_end_to_end_moves_clearing_to_escrow_once(
    buyer_stripe: Any, payer: Any, freelancer: Any, deliver: Any
) -> None:
    payment_request, intent = funded_by_card(buyer=buyer_stripe, payer=payer, freelancer=freelancer)

    response = deliver("payment_intent.succeeded", intent)

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "processed"
    payment_request.refresh_from_db()
    assert payment_request.status == PaymentRequest.Status.PAID
    assert payment_request.provider_ref == intent["id"]
    assert escrow_of(payment_request.pk) == 12_500
    assert stripe_clearing() == -12_500
    fund = ledger.Batch.objects.get(idempotency_key=f"milestone:{payment_request.pk}:fund")
    assert fund.data["provider"] == "stripe"
    payment = StripePayment.objects.get(payment_request=payment_request)
    assert payment.received_at is not None
    assert payment.charge_id.startswith("ch_")
    assert payment.fee_cents == 0  # localstripe charges no fee
    counts = (ledger.Batch.objects.count(), ledger.Posting.objects.count(), AuditEvent.objects.count())

    again = deliver("payment_intent.succeeded", intent, body=response.body_sent)

    assert again.status_code == 200
    assert again.json() == {"id": response.json()["id"], "status": "processed", "new": False}
    assert (ledger.Batch.objects.count(), ledger.Posting.objects.count(), AuditEvent.objects.count()) == counts
    assert StripeEvent.objects.count() == 1
    assert escrow_of(payment_request.pk) == 12_500


def test_a_second_event_for_the_same_payment_changes_nothing(
    buyer_stripe: Any, payer: Any, freelancer: Any, deliver: Any
) -> None:
    payment_request, intent = funded_by_card(buyer=buyer_stripe, payer=payer, freelancer=freelancer)
    assert deliver("payment_intent.succeeded", intent).status_code == 200
    batches = ledger.Batch.objects.count()

    # Stripe may send the same state under a new event id (a resend from the dashboard).
    response = deliver("payment_intent.succeeded", intent)

    assert response.status_code == 200
    assert response.json()["new"] is True
    assert ledger.Batch.objects.count() == batches
    assert escrow_of(payment_request.pk) == 12_500


def test_stripe_fee_is_booked_as_provider_fee(
    buyer_stripe: Any, localstripe: Any, payer: Any, freelancer: Any, deliver: Any
) -> None:
    ledger.income_record(
        amount_cents=1_000, currency="EUR", provider="bank_transfer", memo="grant", actor=None, key="grant:1"
    )
    payment_request, intent = funded_by_card(buyer=buyer_stripe, payer=payer, freelancer=freelancer)
    charge = buyer_stripe.v1.charges.retrieve(object_id(intent["latest_charge"]))
    # localstripe books no fee; Stripe does. Set one on the charge's balance transaction.
    localstripe.store()[f"balance_transaction:{charge.balance_transaction}"].fee = 390

    assert deliver("payment_intent.succeeded", intent).status_code == 200

    payment = StripePayment.objects.get(payment_request=payment_request)
    assert payment.fee_cents == 390
    fee = ledger.Batch.objects.get(idempotency_key=f"stripe:fee:{charge.id}")
    assert fee.kind == "provider_fee"
    assert stripe_clearing() == -12_500 + 390


def test_fee_waits_when_fee_income_is_short_and_is_booked_later(
    buyer_stripe: Any, localstripe: Any, payer: Any, freelancer: Any, deliver: Any
) -> None:
    from payouts.stripe_gateway.services.funding import stripe_fees_post_pending

    payment_request, intent = funded_by_card(buyer=buyer_stripe, payer=payer, freelancer=freelancer)
    charge = buyer_stripe.v1.charges.retrieve(object_id(intent["latest_charge"]))
    localstripe.store()[f"balance_transaction:{charge.balance_transaction}"].fee = 390

    assert deliver("payment_intent.succeeded", intent).json()["status"] == "processed"
    payment = StripePayment.objects.get(payment_request=payment_request)
    assert payment.fee_cents == 390 and payment.fee_batch_key == ""
    assert escrow_of(payment_request.pk) == 12_500

    ledger.income_record(
        amount_cents=1_000, currency="EUR", provider="bank_transfer", memo="grant", actor=None, key="grant:2"
    )
    assert stripe_fees_post_pending() == 1
    assert stripe_fees_post_pending() == 0
    assert stripe_clearing() == -12_500 + 390


def test_payment_for_a_cancelled_request_is_stored_as_failed_not_booked(
    buyer_stripe: Any, payer: Any, freelancer: Any, deliver: Any
) -> None:
    from payouts.payments import payment_request_cancel

    payment_request, intent = funded_by_card(buyer=buyer_stripe, payer=payer, freelancer=freelancer)
    payment_request_cancel(payment_request_id=payment_request.pk, actor=payer)

    response = deliver("payment_intent.succeeded", intent)

    assert response.status_code == 200
    event = StripeEvent.objects.get()
    assert event.status == StripeEvent.Status.FAILED
    assert event.last_error.startswith("payment_request_closed")
    assert ledger.Batch.objects.count() == 0

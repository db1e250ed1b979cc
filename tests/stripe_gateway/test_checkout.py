"""Stripe Checkout (production's payer flow) against the local fake, and the card payment pages."""

from __future__ import annotations

from typing import Any

import pytest

from payouts.payments import PaymentRequest, get_provider
from payouts.stripe_gateway.models import StripePayment
from tests.factories import UserFactory
from tests.stripe_gateway.helpers import card_request, escrow_of

pytestmark = pytest.mark.usefixtures("stripe_on", "escrow_purpose")


@pytest.fixture
def checkout_at_fake(stripe_on: Any, connect_fake: Any) -> Any:
    # localstripe does not emulate Checkout; the fake answers POST /v1/checkout/sessions like Stripe.
    stripe_on.STRIPE_API_BASE = connect_fake.base_url
    return connect_fake


def test_card_payment_page_loads_no_third_party_script(client_for: Any, payer: Any, freelancer: Any) -> None:
    payment_request = card_request(payer=payer, freelancer=freelancer)
    response = client_for(payer).get(f"/payments/{payment_request.pk}/card/")
    assert response.status_code == 200
    assert response.content.count(b"<h1") == 1
    assert b"stripe.com" not in response.content
    assert payment_request.reference.encode() in response.content


def test_card_payment_page_is_not_shown_to_someone_else(client_for: Any, payer: Any, freelancer: Any) -> None:
    payment_request = card_request(payer=payer, freelancer=freelancer)
    assert client_for(UserFactory()).get(f"/payments/{payment_request.pk}/card/").status_code == 404


def test_instructions_point_to_our_card_page(payer: Any, freelancer: Any) -> None:
    payment_request = card_request(payer=payer, freelancer=freelancer)
    instructions = get_provider("stripe").payment_instructions(payment_request)
    assert instructions["pay_url"] == f"/payments/{payment_request.pk}/card/"
    assert instructions["amount_cents"] == 12_500


def test_checkout_redirects_to_stripe_and_the_completed_session_funds_escrow_once(
    client_for: Any, payer: Any, freelancer: Any, checkout_at_fake: Any, deliver: Any
) -> None:
    payment_request = card_request(payer=payer, freelancer=freelancer)

    response = client_for(payer).post(f"/payments/{payment_request.pk}/card/")

    assert response.status_code == 303
    assert response["Location"].startswith("https://checkout.stripe.test/c/pay/cs_test_")
    (sent,) = checkout_at_fake.calls("POST", "/v1/checkout/sessions")
    assert sent.headers["idempotency-key"] == f"payreq:{payment_request.pk}:checkout:0"
    metadata = {"payment_request_id": str(payment_request.pk), "reference": payment_request.reference}
    assert sent.params["metadata"] == metadata
    assert sent.params["payment_intent_data"]["metadata"] == metadata
    assert sent.params["success_url"] == f"http://testserver/payments/{payment_request.pk}/card/done/"
    session_id = StripePayment.objects.get(payment_request=payment_request).checkout_session_id

    session = {
        "id": session_id,
        "object": "checkout.session",
        "payment_status": "paid",
        "status": "complete",
        "amount_total": 12_500,
        "currency": "eur",
        "metadata": metadata,
        "payment_intent": "pi_from_checkout",
    }
    assert deliver("checkout.session.completed", session).json()["status"] == "processed"
    intent = {
        "id": "pi_from_checkout",
        "object": "payment_intent",
        "amount": 12_500,
        "amount_received": 12_500,
        "currency": "eur",
        "status": "succeeded",
        "metadata": metadata,
        "latest_charge": None,
    }
    assert deliver("payment_intent.succeeded", intent).json()["status"] == "processed"

    payment_request.refresh_from_db()
    assert payment_request.status == PaymentRequest.Status.PAID
    assert escrow_of(payment_request.pk) == 12_500
    done = client_for(payer).get(f"/payments/{payment_request.pk}/card/done/")
    assert payment_request.reference.encode() in done.content


def test_checkout_on_a_paid_request_is_refused_with_a_message(client_for: Any, payer: Any, freelancer: Any) -> None:
    from payouts.payments import payment_request_cancel

    payment_request = card_request(payer=payer, freelancer=freelancer)
    payment_request_cancel(payment_request_id=payment_request.pk, actor=payer)
    response = client_for(payer).post(f"/payments/{payment_request.pk}/card/", follow=True)
    assert b"This payment request is not open for payment." in response.content

"""The API's Stripe hand-offs: Connect account state and onboarding link, Checkout for a card payment."""

from __future__ import annotations

from typing import Any

import pytest

from payouts.stripe_gateway.models import StripePayment
from tests.factories import UserFactory
from tests.stripe_gateway.helpers import card_request

CONNECT = "/api/money/stripe/connect/"
LINK = "/api/money/stripe/connect/link/"


def _checkout(pk: int) -> str:
    return f"/api/money/payments/{pk}/card-checkout/"


@pytest.mark.usefixtures("stripe_on")
def test_a_freelancer_gets_an_onboarding_link_and_sees_the_account_state(
    client_for: Any, freelancer: Any, connect_fake: Any
) -> None:
    api = client_for(freelancer)
    assert api.get(CONNECT).json() == {"connected": False, "details_submitted": False, "payouts_enabled": False}

    made = api.post(LINK)

    assert made.status_code == 201
    assert made.json()["url"].startswith("https://connect.stripe.test/setup/e/acct_")
    (link,) = connect_fake.calls("POST", "/v1/account_links")
    # Stripe sends the freelancer back to this site's pages, whoever asked for the link.
    assert link.params["return_url"] == "http://testserver/earnings/stripe/return/"
    assert link.params["refresh_url"] == "http://testserver/earnings/stripe/refresh/"
    assert api.get(CONNECT).json()["connected"] is True
    assert api.post(LINK).status_code == 201
    assert len(connect_fake.calls("POST", "/v1/accounts")) == 1


@pytest.mark.usefixtures("stripe_on")
def test_only_freelancers_get_a_connect_link(client_for: Any, client: Any) -> None:
    assert client_for(UserFactory(is_client=True)).post(LINK).status_code == 403
    refused = client.post(LINK)
    assert refused.status_code in (401, 403)
    assert set(refused.json()) == {"code", "message", "detail"}


@pytest.mark.usefixtures("stripe_on", "escrow_purpose")
def test_a_payer_gets_a_checkout_url_for_their_own_open_request_only(
    client_for: Any, payer: Any, freelancer: Any, stripe_on: Any, connect_fake: Any
) -> None:
    # localstripe does not emulate Checkout; the fake answers POST /v1/checkout/sessions like Stripe.
    stripe_on.STRIPE_API_BASE = connect_fake.base_url
    payment_request = card_request(payer=payer, freelancer=freelancer)
    assert client_for(UserFactory()).post(_checkout(payment_request.pk)).status_code == 404

    made = client_for(payer).post(_checkout(payment_request.pk))

    assert made.status_code == 201
    assert made.json()["url"].startswith("https://checkout.stripe.test/c/pay/cs_test_")
    (sent,) = connect_fake.calls("POST", "/v1/checkout/sessions")
    assert sent.params["success_url"] == f"http://testserver/payments/{payment_request.pk}/card/done/"
    assert StripePayment.objects.get(payment_request=payment_request).checkout_session_id


@pytest.mark.usefixtures("stripe_on", "escrow_purpose")
def test_checkout_on_a_closed_request_is_a_clear_conflict(client_for: Any, payer: Any, freelancer: Any) -> None:
    from payouts.payments import payment_request_cancel

    payment_request = card_request(payer=payer, freelancer=freelancer)
    payment_request_cancel(payment_request_id=payment_request.pk, actor=payer)
    refused = client_for(payer).post(_checkout(payment_request.pk))
    assert refused.status_code == 409
    assert refused.json()["message"] == "This payment request is not open for payment."


def test_without_stripe_the_hand_offs_do_not_exist(client_for: Any, db: Any) -> None:
    api = client_for(UserFactory(is_freelancer=True))
    assert api.get(CONNECT).status_code == 404
    assert api.post(LINK).status_code == 404
    assert api.post(_checkout(1)).status_code == 404

"""Fixtures for the Stripe gateway: localstripe and a Connect fake on 127.0.0.1, a test purpose."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import stripe
from django.test import Client

from core.ports import PAYMENT_PURPOSES, register_payment_purpose
from payouts import ledger
from tests.factories import UserFactory
from tests.stripe_gateway.connect_fake import ConnectFake
from tests.stripe_gateway.localstripe_server import LocalStripe
from tests.stripe_gateway.signing import event_body, signature_header

SECRET_KEY = "sk_test_coop_localstripe"
WEBHOOK_SECRET = "whsec_test_coop"
PURPOSE = "stripe_test_escrow"


@pytest.fixture(scope="session")
def localstripe() -> Iterator[LocalStripe]:
    server = LocalStripe().start()
    yield server
    server.stop()


@pytest.fixture
def connect_fake() -> Iterator[ConnectFake]:
    fake = ConnectFake().start()
    yield fake
    fake.stop()


@pytest.fixture
def stripe_on(settings: Any, db: Any, localstripe: LocalStripe, connect_fake: ConnectFake) -> Any:
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_coop"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = localstripe.base_url
    settings.STRIPE_CONNECT_API_BASE = connect_fake.base_url
    return settings


@pytest.fixture
def buyer_stripe(stripe_on: Any) -> stripe.StripeClient:
    """The payer's side, played by the test: the real client against localstripe."""
    return stripe.StripeClient(SECRET_KEY, base_addresses={"api": stripe_on.STRIPE_API_BASE})


@pytest.fixture
def freelancer(db: Any) -> Any:
    return UserFactory(is_freelancer=True)


@pytest.fixture
def payer(db: Any) -> Any:
    return UserFactory(is_client=True)


@pytest.fixture
def escrow_purpose() -> Iterator[None]:
    """A purpose whose paid handler funds escrow for contract = the request's id, as marketplace does."""

    def on_paid(payment_request: Any) -> None:
        freelancer_id = int(payment_request.purpose_ref.split(":")[0])
        ledger.escrow_fund(
            contract_id=payment_request.pk,
            milestone_id=payment_request.pk,
            freelancer_id=freelancer_id,
            client_id=payment_request.payer_id,
            amount_cents=payment_request.amount_cents,
            currency=payment_request.currency,
            provider=payment_request.provider,
            actor=None,
        )

    register_payment_purpose(PURPOSE, on_paid)
    yield
    PAYMENT_PURPOSES._items.pop(PURPOSE, None)


@pytest.fixture
def deliver() -> Any:
    """POST a webhook delivery to our endpoint; sign it with the endpoint secret unless told otherwise."""

    def send(
        event_type: str,
        obj: dict[str, Any],
        *,
        body: bytes | None = None,
        secret: str = WEBHOOK_SECRET,
        timestamp: int | None = None,
        header: str | None = None,
        event_id: str = "",
        created: int | None = None,
    ) -> Any:
        body = body if body is not None else event_body(event_type, obj, event_id=event_id, created=created)
        signature = header if header is not None else signature_header(body, secret, timestamp=timestamp)
        response = Client().post(
            "/stripe/webhook/", data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
        )
        response.body_sent = body
        return response

    return send

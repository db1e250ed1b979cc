"""Concurrent deliveries of one payment's webhooks post one batch (real parallel connections on PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from payouts import ledger
from payouts.stripe_gateway.models import StripeEvent
from tests.concurrency import run_concurrently
from tests.stripe_gateway.conftest import WEBHOOK_SECRET
from tests.stripe_gateway.helpers import escrow_of, funded_by_card
from tests.stripe_gateway.signing import event_body, signature_header

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("stripe_on", "escrow_purpose")]


def test_concurrent_deliveries_of_one_payment_fund_escrow_once(buyer_stripe: Any, payer: Any, freelancer: Any) -> None:
    payment_request, intent = funded_by_card(buyer=buyer_stripe, payer=payer, freelancer=freelancer)
    same = event_body("payment_intent.succeeded", intent)
    # Half the workers redeliver one event; the others carry the same payment under new event ids.
    bodies = [same if i % 2 == 0 else event_body("payment_intent.succeeded", intent) for i in range(8)]

    def deliver(i: int) -> int:
        body = bodies[i]
        return (
            Client()
            .post(
                "/stripe/webhook/",
                data=body,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=signature_header(body, WEBHOOK_SECRET),
            )
            .status_code
        )

    # SQLite has one writer at a time: there, the same deliveries run one after another.
    parallel = connection.vendor == "postgresql"
    statuses = run_concurrently(deliver, 8) if parallel else [deliver(i) for i in range(8)]

    assert statuses == [200] * 8
    assert ledger.Batch.objects.filter(idempotency_key=f"milestone:{payment_request.pk}:fund").count() == 1
    assert escrow_of(payment_request.pk) == 12_500
    assert StripeEvent.objects.count() == 5
    assert set(StripeEvent.objects.values_list("status", flat=True)) == {StripeEvent.Status.PROCESSED}

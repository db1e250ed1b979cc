"""Refunds through Stripe for the ledger's refund events with provider "stripe"."""

from __future__ import annotations

from typing import Any

import pytest

from core.exceptions import ApplicationError
from payouts import ledger
from payouts.stripe_gateway.models import StripeRefund
from payouts.stripe_gateway.services.refunds import stripe_refund_create
from tests.stripe_gateway.helpers import escrow_of, funded_by_card, stripe_clearing

pytestmark = pytest.mark.usefixtures("stripe_on", "escrow_purpose")


@pytest.fixture
def funded(buyer_stripe: Any, payer: Any, freelancer: Any, deliver: Any) -> Any:
    payment_request, intent = funded_by_card(buyer=buyer_stripe, payer=payer, freelancer=freelancer)
    assert deliver("payment_intent.succeeded", intent).json()["status"] == "processed"
    payment_request.refresh_from_db()
    return payment_request


def _ledger_refund(payment_request: Any) -> str:
    batch = ledger.escrow_refund(
        contract_id=payment_request.pk,
        milestone_id=payment_request.pk,
        client_id=payment_request.payer_id,
        amount_cents=payment_request.amount_cents,
        currency="EUR",
        provider="stripe",
        actor=None,
    )
    return batch.idempotency_key


def test_refund_of_a_ledger_refund_event_is_sent_once(funded: Any, buyer_stripe: Any) -> None:
    key = _ledger_refund(funded)

    refund = stripe_refund_create(payment_request_id=funded.pk, ledger_key=key, actor=None)
    again = stripe_refund_create(payment_request_id=funded.pk, ledger_key=key, actor=None)

    assert again.pk == refund.pk and again.refund_id == refund.refund_id
    assert refund.idempotency_key == f"refund:{key}"
    assert refund.status == StripeRefund.Status.SUCCEEDED
    at_stripe = buyer_stripe.v1.refunds.list({"payment_intent": funded.provider_ref}).data
    assert [r.id for r in at_stripe] == [refund.refund_id]
    assert at_stripe[0].amount == 12_500
    assert escrow_of(funded.pk) == 0
    assert stripe_clearing() == 0


def test_refund_without_a_ledger_refund_through_stripe_is_refused(funded: Any) -> None:
    with pytest.raises(ApplicationError) as error:
        stripe_refund_create(payment_request_id=funded.pk, ledger_key=f"milestone:{funded.pk}:refund", actor=None)
    assert error.value.code == "no_ledger_refund"
    assert StripeRefund.objects.count() == 0


def test_refund_larger_than_the_ledger_refund_is_refused(funded: Any) -> None:
    key = _ledger_refund(funded)
    with pytest.raises(ApplicationError) as error:
        stripe_refund_create(payment_request_id=funded.pk, ledger_key=key, amount_cents=12_501, actor=None)
    assert error.value.code == "bad_amount"


def test_refund_of_an_unpaid_request_is_refused(stripe_on: Any, payer: Any, freelancer: Any) -> None:
    from tests.stripe_gateway.helpers import card_request

    payment_request = card_request(payer=payer, freelancer=freelancer)
    with pytest.raises(ApplicationError) as error:
        stripe_refund_create(payment_request_id=payment_request.pk, ledger_key="x", actor=None)
    assert error.value.code == "not_paid_by_card"

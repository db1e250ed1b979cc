"""The webhook endpoint: signatures on the raw body, stale and tampered deliveries, replays, order."""

from __future__ import annotations

import time
from typing import Any

import pytest

from payouts import ledger
from payouts.stripe_gateway.models import StripeConnectAccount, StripeEvent, StripePayment
from tests.stripe_gateway.conftest import WEBHOOK_SECRET
from tests.stripe_gateway.helpers import escrow_of, funded_by_card
from tests.stripe_gateway.signing import event_body, signature_header

pytestmark = pytest.mark.usefixtures("stripe_on", "escrow_purpose")


@pytest.fixture
def paid(buyer_stripe: Any, payer: Any, freelancer: Any) -> tuple[Any, dict[str, Any]]:
    return funded_by_card(buyer=buyer_stripe, payer=payer, freelancer=freelancer)


def _nothing_stored() -> None:
    assert StripeEvent.objects.count() == 0
    assert ledger.Batch.objects.count() == 0


def test_bad_signature_is_refused_and_nothing_stored(paid: Any, deliver: Any) -> None:
    _request, intent = paid
    response = deliver("payment_intent.succeeded", intent, secret="whsec_not_ours")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_signature"
    _nothing_stored()


def test_missing_signature_is_refused(paid: Any, deliver: Any) -> None:
    _request, intent = paid
    assert deliver("payment_intent.succeeded", intent, header="").status_code == 400
    _nothing_stored()


def test_stale_timestamp_is_refused_even_with_a_valid_signature(paid: Any, deliver: Any) -> None:
    _request, intent = paid
    response = deliver("payment_intent.succeeded", intent, timestamp=int(time.time()) - 301)
    assert response.status_code == 400
    assert response.json()["code"] == "bad_signature"
    _nothing_stored()


def test_timestamp_in_the_future_is_refused_even_with_a_valid_signature(paid: Any, deliver: Any) -> None:
    _request, intent = paid
    response = deliver("payment_intent.succeeded", intent, timestamp=int(time.time()) + 600)
    assert response.status_code == 400
    assert response.json()["code"] == "bad_signature"
    response = deliver("payment_intent.succeeded", intent, timestamp=int(time.time()) + 330)
    assert response.status_code == 400
    _nothing_stored()


def test_timestamp_just_inside_the_tolerance_either_way_is_accepted(paid: Any, deliver: Any) -> None:
    _request, intent = paid
    assert deliver("payment_intent.succeeded", intent, timestamp=int(time.time()) + 240).status_code == 200
    assert deliver("payment_intent.succeeded", intent, timestamp=int(time.time()) - 240).status_code == 200
    assert StripeEvent.objects.count() == 2


def test_tampered_body_is_refused(paid: Any, deliver: Any) -> None:
    _request, intent = paid
    body = event_body("payment_intent.succeeded", intent)
    header = signature_header(body, WEBHOOK_SECRET)
    tampered = body.replace(b'"amount": 12500', b'"amount": 99999')
    assert tampered != body
    response = deliver("payment_intent.succeeded", intent, body=tampered, header=header)
    assert response.status_code == 400
    _nothing_stored()


def test_a_body_that_is_not_json_is_refused(stripe_on: Any, deliver: Any) -> None:
    body = b"not json at all"
    response = deliver("x", {}, body=body, header=signature_header(body, WEBHOOK_SECRET))
    assert response.status_code == 400
    _nothing_stored()


def test_replay_of_the_same_delivery_changes_nothing(paid: Any, deliver: Any) -> None:
    payment_request, intent = paid
    first = deliver("payment_intent.succeeded", intent)
    snapshot = list(ledger.Posting.objects.values_list("pk", "amount_cents"))

    replay = deliver("payment_intent.succeeded", intent, body=first.body_sent)

    assert replay.status_code == 200
    assert replay.json()["new"] is False
    assert list(ledger.Posting.objects.values_list("pk", "amount_cents")) == snapshot
    assert StripeEvent.objects.count() == 1
    assert escrow_of(payment_request.pk) == 12_500


def test_get_is_not_allowed(stripe_on: Any, client: Any) -> None:
    assert client.get("/stripe/webhook/").status_code == 405


def test_endpoint_is_absent_when_stripe_is_off(stripe_on: Any, deliver: Any) -> None:
    stripe_on.STRIPE_SECRET_KEY = ""
    assert deliver("payment_intent.succeeded", {"id": "pi_x"}).status_code == 404


def test_unhandled_event_types_are_stored_and_ignored(stripe_on: Any, deliver: Any) -> None:
    response = deliver("customer.created", {"id": "cus_1", "object": "customer"})
    assert response.status_code == 200
    assert StripeEvent.objects.get().status == StripeEvent.Status.IGNORED


def test_refund_before_its_payment_waits_and_runs_after_it(paid: Any, buyer_stripe: Any, deliver: Any) -> None:
    payment_request, intent = paid
    # A refund made at Stripe; its charge.refunded overtakes the payment_intent.succeeded.
    buyer_stripe.v1.refunds.create({"payment_intent": intent["id"], "amount": 2_500})
    charge = buyer_stripe.v1.charges.retrieve(payment_request_charge(intent)).to_dict()
    charge["amount_refunded"] = 2_500

    early = deliver("charge.refunded", charge)

    assert early.status_code == 200
    assert early.json()["status"] == "waiting"
    assert StripeEvent.objects.get(type="charge.refunded").waits_for == f"payment_intent:{intent['id']}"

    assert deliver("payment_intent.succeeded", intent).json()["status"] == "processed"

    refund_event = StripeEvent.objects.get(type="charge.refunded")
    assert refund_event.status == StripeEvent.Status.PROCESSED
    assert refund_event.waits_for == ""
    assert StripePayment.objects.get(payment_request=payment_request).amount_refunded_cents == 2_500
    assert escrow_of(payment_request.pk) == 12_500
    # Each move is in the event's history, and a redelivery adds none.
    deliver("charge.refunded", charge)
    moves = [(c.from_status, c.to_status) for c in refund_event.status_changes.all()]
    assert moves == [("received", "waiting"), ("waiting", "processed")]


def test_older_refund_total_arriving_late_does_not_lower_the_newer(paid: Any, buyer_stripe: Any, deliver: Any) -> None:
    payment_request, intent = paid
    deliver("payment_intent.succeeded", intent)
    charge = buyer_stripe.v1.charges.retrieve(payment_request_charge(intent)).to_dict()
    deliver("charge.refunded", {**charge, "amount_refunded": 5_000})
    deliver("charge.refunded", {**charge, "amount_refunded": 2_000})
    assert StripePayment.objects.get(payment_request=payment_request).amount_refunded_cents == 5_000


def test_account_updates_out_of_order_keep_the_newest_state(stripe_on: Any, freelancer: Any, deliver: Any) -> None:
    StripeConnectAccount.objects.create(user=freelancer, idempotency_key="k", account_id="acct_1")
    now = int(time.time())
    newer = {"id": "acct_1", "object": "account", "payouts_enabled": True, "details_submitted": True}
    older = {"id": "acct_1", "object": "account", "payouts_enabled": False, "details_submitted": False}

    assert deliver("account.updated", newer, created=now).status_code == 200
    assert deliver("account.updated", older, created=now - 60).status_code == 200

    account = StripeConnectAccount.objects.get()
    assert account.payouts_enabled is True
    assert account.details_submitted is True


def payment_request_charge(intent: dict[str, Any]) -> str:
    from payouts.stripe_gateway.client import object_id

    return object_id(intent["latest_charge"])

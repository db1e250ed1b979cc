"""Milestones paid by card get their refunds back on the card, once, after the ledger's refund commits."""

from __future__ import annotations

from typing import Any

import pytest

from marketplace.models import Contract, Milestone
from marketplace.services.disputes import dispute_open, dispute_resolve, dispute_respond
from marketplace.services.milestones import milestone_fund, milestone_refund, milestone_submit
from marketplace.tasks import milestone_card_refund
from payouts.stripe_gateway.models import StripeRefund
from payouts.stripe_gateway.services.funding import stripe_payment_intent_create
from tests.stripe_gateway.conftest import buyer_stripe, connect_fake, deliver, localstripe, stripe_on  # noqa: F401
from tests.stripe_gateway.helpers import pay_at_stripe, stripe_clearing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_on")]


@pytest.fixture
def card_funded(contract: Contract, buyer_stripe: Any, deliver: Any) -> tuple[Milestone, Any]:  # noqa: F811
    """The first milestone, paid by card at localstripe and confirmed by Stripe's signed webhook."""
    milestone, request = milestone_fund(
        milestone_id=contract.milestones.get(position=1).pk, actor=contract.client, provider="stripe"
    )
    payment = stripe_payment_intent_create(payment_request_id=request.pk, actor=contract.client)
    intent = pay_at_stripe(buyer_stripe, str(payment.payment_intent_id))
    assert deliver("payment_intent.succeeded", intent).json()["status"] == "processed"
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.FUNDED
    return milestone, request


def _refunds_at_stripe(buyer: Any, request: Any) -> list[Any]:
    request.refresh_from_db()
    return list(buyer.v1.refunds.list({"payment_intent": request.provider_ref}).data)


def test_a_card_funded_milestone_refunded_sends_one_stripe_refund_after_commit(
    card_funded: tuple[Milestone, Any],
    buyer_stripe: Any,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    milestone, request = card_funded
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        milestone_refund(milestone_id=milestone.pk, actor=milestone.contract.freelancer)
    # Nothing reaches the card while the refund's transaction could still roll back.
    assert StripeRefund.objects.count() == 0
    for callback in callbacks:
        callback()

    key = f"milestone:{milestone.pk}:refund"
    refund = StripeRefund.objects.get()
    assert (refund.ledger_key, refund.idempotency_key, refund.amount_cents) == (key, f"refund:{key}", 40_000)
    assert refund.status == StripeRefund.Status.SUCCEEDED
    # The task run again (a retried delivery) sends nothing twice.
    milestone_card_refund(payment_request_id=request.pk, ledger_key=key)
    assert StripeRefund.objects.count() == 1
    at_stripe = _refunds_at_stripe(buyer_stripe, request)
    assert [(r.id, r.amount) for r in at_stripe] == [(refund.refund_id, 40_000)]
    assert stripe_clearing() == 0


def test_a_settled_dispute_refunds_only_the_clients_part_to_the_card(
    card_funded: tuple[Milestone, Any],
    buyer_stripe: Any,  # noqa: F811
    staff: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    milestone, request = card_funded
    contract = milestone.contract
    milestone_submit(milestone_id=milestone.pk, actor=contract.freelancer, message="Done.")
    dispute = dispute_open(milestone_id=milestone.pk, actor=contract.client, reason="quality", statement="Half.")
    dispute_respond(dispute_id=dispute.pk, actor=contract.freelancer, response="All of it.")
    with django_capture_on_commit_callbacks(execute=True):
        dispute_resolve(dispute_id=dispute.pk, actor=staff, release_cents=30_000, decision="Most was delivered.")

    refund = StripeRefund.objects.get()
    assert (refund.idempotency_key, refund.amount_cents) == (f"refund:milestone:{milestone.pk}:dispute", 10_000)
    assert [r.amount for r in _refunds_at_stripe(buyer_stripe, request)] == [10_000]


def test_a_bank_transfer_refund_asks_nothing_of_stripe(
    contract: Contract, finance: Any, fund: Any, django_capture_on_commit_callbacks: Any
) -> None:
    milestone = fund(contract.milestones.get(position=1), contract.client, finance)
    with django_capture_on_commit_callbacks(execute=True):
        milestone_refund(milestone_id=milestone.pk, actor=contract.freelancer)
    assert StripeRefund.objects.count() == 0


def test_funding_through_an_unknown_provider_is_refused_and_changes_nothing(contract: Contract) -> None:
    from core.exceptions import ApplicationError

    milestone = contract.milestones.get(position=1)
    with pytest.raises(ApplicationError) as refused:
        milestone_fund(milestone_id=milestone.pk, actor=contract.client, provider="paypal")
    assert (refused.value.code, refused.value.message) == (
        "provider_unavailable",
        "The payment method paypal is not available.",
    )
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PENDING

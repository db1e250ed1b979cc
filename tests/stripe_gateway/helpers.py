"""Steps the tests share: a card payment request, the payer paying it at localstripe."""

from __future__ import annotations

import itertools
from typing import Any

import stripe

from payouts import ledger
from payouts.payments import payment_request_create
from payouts.stripe_gateway.services.funding import stripe_payment_intent_create
from tests.stripe_gateway.conftest import PURPOSE

_refs = itertools.count(1)


def card_request(*, payer: Any, freelancer: Any, amount_cents: int = 12_500) -> Any:
    return payment_request_create(
        payer=payer,
        amount_cents=amount_cents,
        currency="EUR",
        purpose=PURPOSE,
        purpose_ref=f"{freelancer.pk}:{next(_refs)}",
        provider="stripe",
        actor=payer,
        description="Milestone 1: design",
    )


def pay_at_stripe(buyer: stripe.StripeClient, payment_intent_id: str) -> dict[str, Any]:
    """Do what the payer's browser does: attach a test card and confirm; return the PaymentIntent."""
    method = buyer.v1.payment_methods.create(
        {"type": "card", "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123"}}
    )
    buyer.v1.payment_intents.update(payment_intent_id, {"payment_method": method.id})
    intent = buyer.v1.payment_intents.confirm(payment_intent_id)
    assert intent.status == "succeeded", intent.status
    return intent.to_dict()


def funded_by_card(
    *, buyer: stripe.StripeClient, payer: Any, freelancer: Any, amount_cents: int = 12_500
) -> tuple[Any, dict[str, Any]]:
    payment_request = card_request(payer=payer, freelancer=freelancer, amount_cents=amount_cents)
    payment = stripe_payment_intent_create(payment_request_id=payment_request.pk, actor=payer)
    return payment_request, pay_at_stripe(buyer, str(payment.payment_intent_id))


def stripe_clearing(currency: str = "EUR") -> int:
    account = ledger.Account.objects.filter(
        purpose=ledger.AccountPurpose.PROVIDER_CLEARING, owner_type="provider", owner_id="stripe", currency=currency
    ).first()
    return 0 if account is None else ledger.account_balance(account)


def escrow_of(contract_id: int, currency: str = "EUR") -> int:
    account = ledger.Account.objects.filter(
        purpose=ledger.AccountPurpose.ESCROW, owner_type="contract", owner_id=str(contract_id), currency=currency
    ).first()
    return 0 if account is None else ledger.account_balance(account)

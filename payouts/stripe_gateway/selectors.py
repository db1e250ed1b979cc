"""Reads of the Stripe gateway."""

from __future__ import annotations

from typing import Any

from payouts.payments import PaymentRequest
from payouts.stripe_gateway.models import StripeConnectAccount


def connect_account_for(user: Any) -> StripeConnectAccount | None:
    return StripeConnectAccount.objects.filter(user=user).first()


def card_payment_request_for(*, payment_request_id: int, user: Any) -> PaymentRequest | None:
    """Return the user's own card-payment request with this id, or None."""
    return PaymentRequest.objects.filter(pk=payment_request_id, payer=user, provider="stripe").first()

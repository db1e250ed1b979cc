"""The Stripe payment provider: card payments through Stripe Checkout, reconciled with the ledger."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

import stripe
from django.db.models import Sum
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy

from core.money import Money
from payouts import ledger
from payouts.stripe_gateway.client import PROVIDER, connect_client, stripe_enabled

if TYPE_CHECKING:
    from payouts.models import PaymentRequest


def _stripe_balance() -> dict[str, int]:
    """Return what Stripe holds for the platform per currency (available plus pending), in cents."""
    balance = connect_client().v1.balance.retrieve().to_dict()
    held: dict[str, int] = defaultdict(int)
    for part in ("available", "pending"):
        for row in balance.get(part) or []:
            held[str(row["currency"]).upper()] += int(row["amount"])
    return dict(held)


def _ledger_held() -> dict[str, int]:
    """Return what the ledger says Stripe holds per currency: minus the Stripe clearing balance."""
    accounts = ledger.with_balances(
        ledger.Account.objects.filter(
            purpose=ledger.AccountPurpose.PROVIDER_CLEARING, owner_type="provider", owner_id=PROVIDER
        )
    )
    return {currency: -balance for currency, balance in accounts.values_list("currency", "balance_cents")}


def _pending_fees() -> dict[str, int]:
    from payouts.stripe_gateway.models import StripePayment

    rows = (
        StripePayment.objects.filter(fee_cents__gt=0, fee_batch_key="")
        .values_list("currency")
        .annotate(total=Sum("fee_cents"))
        .order_by()
    )
    return {currency: int(total) for currency, total in rows}


class StripeProvider:
    """Card payments into the platform balance; the ledger records who the money belongs to."""

    key = PROVIDER
    label = gettext_lazy("Card payment (Stripe)")

    def is_enabled(self) -> bool:
        return stripe_enabled()

    def payment_instructions(self, payment_request: PaymentRequest) -> dict[str, Any]:
        try:
            pay_url = reverse("stripe_gateway:checkout", args=[payment_request.pk])
        except NoReverseMatch:
            pay_url = ""
        return {
            "method": self.key,
            "reference": payment_request.reference,
            "amount_cents": payment_request.outstanding_cents,
            "currency": payment_request.currency,
            # A page of ours with one button; it sends the payer to Stripe Checkout.
            "pay_url": pay_url,
        }

    def send_payout(self, *, withdrawal_id: int, actor: Any | None) -> None:
        """Transfer a withdrawal to the freelancer's connected account (idempotent by key)."""
        from payouts.stripe_gateway.services.connect import stripe_transfer_for_withdrawal

        stripe_transfer_for_withdrawal(withdrawal_id=withdrawal_id, actor=actor)

    def reconcile(self) -> list[str]:
        """Compare Stripe's balance with minus the ledger's Stripe clearing balance, per currency."""
        try:
            at_stripe = _stripe_balance()
        except stripe.StripeError as exc:
            return [f"could not read the Stripe balance: {exc.__class__.__name__}: {str(exc)[:160]}"]
        in_ledger = _ledger_held()
        pending_fees = _pending_fees()
        differences = []
        for currency in sorted(set(at_stripe) | set(in_ledger)):
            stripe_cents = at_stripe.get(currency, 0)
            ledger_cents = in_ledger.get(currency, 0)
            if stripe_cents == ledger_cents:
                continue
            line = (
                f"{currency}: Stripe holds {Money(stripe_cents, currency).format('en')}, the ledger's Stripe "
                f"clearing account says {Money(ledger_cents, currency).format('en')} "
                f"(difference {Money(stripe_cents - ledger_cents, currency).format('en')})"
            )
            if pending_fees.get(currency):
                line += f"; Stripe fees not yet booked: {Money(pending_fees[currency], currency).format('en')}"
            differences.append(line)
        return differences

"""reconcile(): Stripe's balance against minus the ledger's Stripe clearing balance; ledger_check runs it."""

from __future__ import annotations

from typing import Any

import pytest

from payouts.ledger.checks import ledger_report
from payouts.payments import get_provider
from tests.stripe_gateway.helpers import funded_by_card

pytestmark = pytest.mark.usefixtures("stripe_on", "escrow_purpose")


@pytest.fixture
def funded(buyer_stripe: Any, payer: Any, freelancer: Any, deliver: Any) -> Any:
    payment_request, intent = funded_by_card(buyer=buyer_stripe, payer=payer, freelancer=freelancer)
    assert deliver("payment_intent.succeeded", intent).json()["status"] == "processed"
    return payment_request


def test_reconcile_agrees_when_the_balances_match(funded: Any, connect_fake: Any) -> None:
    connect_fake.set_balance(available=0, pending=12_500)
    assert get_provider("stripe").reconcile() == []
    assert connect_fake.calls("GET", "/v1/balance")


def test_reconcile_reports_a_difference(funded: Any, connect_fake: Any) -> None:
    connect_fake.set_balance(available=10_000, pending=2_000)

    differences = get_provider("stripe").reconcile()

    assert differences == [
        "EUR: Stripe holds €120.00, the ledger's Stripe clearing account says €125.00 (difference -€5.00)"
    ]


def test_ledger_check_includes_stripe_reconciliation(funded: Any, connect_fake: Any) -> None:
    connect_fake.set_balance(available=1)
    report = ledger_report()
    assert not report.ok
    assert [line for line in report.discrepancies if line.startswith("stripe: EUR: Stripe holds €0.01")]

    connect_fake.set_balance(available=12_500)
    assert ledger_report().ok


def test_reconcile_reports_an_unreachable_stripe(funded: Any, stripe_on: Any) -> None:
    stripe_on.STRIPE_CONNECT_API_BASE = "http://127.0.0.1:9"
    (line,) = get_provider("stripe").reconcile()
    assert line.startswith("could not read the Stripe balance")


def test_stripe_is_not_a_provider_without_keys(stripe_on: Any) -> None:
    from payouts.payments import enabled_providers

    stripe_on.STRIPE_SECRET_KEY = ""
    assert "stripe" not in [p.key for p in enabled_providers()]

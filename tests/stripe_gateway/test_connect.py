"""Connect: Express accounts, onboarding links, and transfers with transfer_group and idempotency keys."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

import pytest

from core.exceptions import ApplicationError
from payouts import ledger
from payouts.payments.withdrawals import payout_account_set, withdrawal_create
from payouts.stripe_gateway.models import StripeConnectAccount, StripeTransfer
from payouts.stripe_gateway.services.connect import connect_account_ensure, stripe_transfer_for_withdrawal
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("stripe_on")


def test_onboarding_page_shows_the_state_to_a_freelancer(client_for: Any, freelancer: Any) -> None:
    response = client_for(freelancer).get("/earnings/stripe/")
    assert response.status_code == 200
    assert response.content.count(b"<h1") == 1
    assert b"Payouts through Stripe" in response.content
    assert b"js.stripe.com" not in response.content


def test_onboarding_page_is_in_dutch(client_for: Any, freelancer: Any) -> None:
    response = client_for(freelancer).get("/earnings/stripe/", HTTP_ACCEPT_LANGUAGE="nl")
    assert "Uitbetalingen via Stripe" in response.content.decode()


def test_onboarding_page_is_forbidden_to_a_non_freelancer(client_for: Any) -> None:
    assert client_for(UserFactory()).get("/earnings/stripe/").status_code == 403


def test_onboarding_page_needs_sign_in(client: Any) -> None:
    response = client.get("/earnings/stripe/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_starting_onboarding_creates_one_express_account_and_a_link(
    client_for: Any, freelancer: Any, connect_fake: Any
) -> None:
    browser = client_for(freelancer)

    first = browser.post("/earnings/stripe/")
    second = browser.post("/earnings/stripe/")

    assert first.status_code == 302
    assert first["Location"].startswith("https://connect.stripe.test/setup/e/acct_")
    assert second["Location"] != first["Location"]
    accounts = connect_fake.calls("POST", "/v1/accounts")
    assert len(accounts) == 1
    assert accounts[0].headers["idempotency-key"] == f"user:{freelancer.pk}:connect"
    assert accounts[0].params["type"] == "express"
    assert accounts[0].params["capabilities"] == {"transfers": {"requested": "true"}}
    links = connect_fake.calls("POST", "/v1/account_links")
    assert len(links) == 2
    assert all(link.headers["idempotency-key"].startswith("connect:") for link in links)
    assert links[0].headers["idempotency-key"] != links[1].headers["idempotency-key"]
    assert links[0].params["type"] == "account_onboarding"
    assert links[0].params["return_url"] == "http://testserver/earnings/stripe/return/"
    assert links[0].params["refresh_url"] == "http://testserver/earnings/stripe/refresh/"
    account = StripeConnectAccount.objects.get(user=freelancer)
    assert account.account_id in connect_fake.accounts
    assert connect_fake.errors == []


def test_expired_link_refresh_hands_out_a_new_link(client_for: Any, freelancer: Any) -> None:
    response = client_for(freelancer).get("/earnings/stripe/refresh/")
    assert response.status_code == 302
    assert response["Location"].startswith("https://connect.stripe.test/")


def test_return_from_stripe_shows_the_page_with_a_message(client_for: Any, freelancer: Any) -> None:
    response = client_for(freelancer).get("/earnings/stripe/return/", follow=True)
    assert b"Stripe is checking your details" in response.content


def _withdrawal_for(freelancer: Any, amount_cents: int = 5_000) -> Any:
    client = UserFactory(is_client=True)
    ledger.escrow_fund(
        contract_id=1,
        milestone_id=1,
        freelancer_id=freelancer.pk,
        client_id=client.pk,
        amount_cents=10_000,
        currency="EUR",
        provider="stripe",
        actor=None,
    )
    ledger.escrow_release(
        contract_id=1,
        milestone_id=1,
        freelancer_id=freelancer.pk,
        amount_cents=10_000,
        currency="EUR",
        fee_percent=Decimal("10"),
        actor=None,
    )
    payout_account_set(user=freelancer, iban="NL91ABNA0417164300", holder_name="F. Reelancer", actor=freelancer)
    return withdrawal_create(user=freelancer, amount_cents=amount_cents, actor=freelancer)


def _enabled_account(freelancer: Any, deliver: Any) -> StripeConnectAccount:
    account = connect_account_ensure(user=freelancer, actor=freelancer)
    payload = {"id": account.account_id, "object": "account", "payouts_enabled": True, "details_submitted": True}
    assert deliver("account.updated", payload, created=int(time.time())).status_code == 200
    account.refresh_from_db()
    assert account.payouts_enabled
    return account


def test_transfer_for_a_withdrawal_carries_group_and_key_and_is_sent_once(
    freelancer: Any, connect_fake: Any, deliver: Any
) -> None:
    account = _enabled_account(freelancer, deliver)
    withdrawal = _withdrawal_for(freelancer)

    transfer = stripe_transfer_for_withdrawal(withdrawal_id=withdrawal.pk, actor=None)
    again = stripe_transfer_for_withdrawal(withdrawal_id=withdrawal.pk, actor=None)

    assert again.transfer_id == transfer.transfer_id
    assert transfer.status == StripeTransfer.Status.SENT
    sent = connect_fake.calls("POST", "/v1/transfers")
    assert len(sent) == 1
    assert sent[0].headers["idempotency-key"] == f"withdrawal:{withdrawal.pk}:transfer"
    assert sent[0].params["transfer_group"] == f"withdrawal:{withdrawal.pk}"
    assert sent[0].params["destination"] == account.account_id
    assert sent[0].params["amount"] == "5000"
    assert sent[0].params["currency"] == "eur"
    assert connect_fake.errors == []


def test_transfer_retried_after_a_lost_answer_reuses_the_key(freelancer: Any, connect_fake: Any, deliver: Any) -> None:
    _enabled_account(freelancer, deliver)
    withdrawal = _withdrawal_for(freelancer)
    transfer = stripe_transfer_for_withdrawal(
        withdrawal_id=withdrawal.pk, actor=None, transfer_group=f"contract:{withdrawal.pk}"
    )
    # As if the answer never reached us: the row is back to pending, the transfer exists at Stripe.
    StripeTransfer.objects.filter(pk=transfer.pk).update(transfer_id=None, status=StripeTransfer.Status.PENDING)

    retried = stripe_transfer_for_withdrawal(withdrawal_id=withdrawal.pk, actor=None)

    assert retried.transfer_id == transfer.transfer_id
    assert len(connect_fake.transfers) == 1
    keys = {r.headers["idempotency-key"] for r in connect_fake.calls("POST", "/v1/transfers")}
    assert keys == {f"withdrawal:{withdrawal.pk}:transfer"}
    assert connect_fake.calls("POST", "/v1/transfers")[0].params["transfer_group"] == f"contract:{withdrawal.pk}"


def test_transfer_is_refused_until_payouts_are_enabled(freelancer: Any, connect_fake: Any) -> None:
    connect_account_ensure(user=freelancer, actor=freelancer)
    withdrawal = _withdrawal_for(freelancer)
    with pytest.raises(ApplicationError) as error:
        stripe_transfer_for_withdrawal(withdrawal_id=withdrawal.pk, actor=None)
    assert error.value.code == "connect_not_ready"
    assert connect_fake.calls("POST", "/v1/transfers") == []
    assert StripeTransfer.objects.count() == 0


def test_only_freelancers_get_an_account(connect_fake: Any) -> None:
    with pytest.raises(ApplicationError) as error:
        connect_account_ensure(user=UserFactory(), actor=None)
    assert error.value.code == "not_a_freelancer"
    assert connect_fake.requests == []


def test_withdrawal_paid_through_stripe_is_settled_once_and_cannot_join_a_sepa_batch(
    freelancer: Any, connect_fake: Any, deliver: Any
) -> None:
    from payouts.models import Withdrawal
    from payouts.payments.withdrawals import withdrawal_batch_create, withdrawal_settle_via_provider

    _enabled_account(freelancer, deliver)
    withdrawal = _withdrawal_for(freelancer)

    settled = withdrawal_settle_via_provider(withdrawal_id=withdrawal.pk, provider="stripe", actor=None)

    assert settled.status == Withdrawal.Status.SETTLED
    assert ledger.freelancer_balances(freelancer.pk, "EUR")["pending_withdrawal"] == 0
    assert ledger.freelancer_balances(freelancer.pk, "EUR")["paid_out"] == 5_000
    assert len(connect_fake.calls("POST", "/v1/transfers")) == 1
    with pytest.raises(ApplicationError) as again:
        withdrawal_settle_via_provider(withdrawal_id=withdrawal.pk, provider="stripe", actor=None)
    assert again.value.code == "withdrawal_not_requested"
    with pytest.raises(ApplicationError) as batch:
        withdrawal_batch_create(actor=None)
    assert batch.value.code == "nothing_to_settle"
    assert len(connect_fake.calls("POST", "/v1/transfers")) == 1


def test_bank_transfer_cannot_pay_out_through_an_api(freelancer: Any) -> None:
    from payouts.payments.withdrawals import withdrawal_settle_via_provider

    withdrawal = _withdrawal_for(freelancer)
    with pytest.raises(ApplicationError) as error:
        withdrawal_settle_via_provider(withdrawal_id=withdrawal.pk, provider="bank_transfer", actor=None)
    assert error.value.code == "provider_cannot_pay_out"

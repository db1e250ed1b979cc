"""Races on money, with real parallel connections to PostgreSQL."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from core.exceptions import Conflict
from payouts import ledger
from payouts.models import Batch, Withdrawal
from payouts.payments.withdrawals import payout_account_set, withdrawal_create
from tests.concurrency import run_concurrently
from tests.factories import UserFactory
from tests.payouts.ledger_helpers import fund_and_release
from tests.services import need_postgres

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


def test_twenty_concurrent_releases_of_one_milestone_post_one_batch():
    need_postgres()
    freelancer, client = UserFactory(), UserFactory()
    ledger.escrow_fund(
        contract_id=7,
        milestone_id=7,
        freelancer_id=freelancer.pk,
        client_id=client.pk,
        amount_cents=10_000,
        currency="EUR",
        provider="bank_transfer",
        actor=None,
    )

    def release(_i: int) -> Batch:
        return ledger.escrow_release(
            contract_id=7,
            milestone_id=7,
            freelancer_id=freelancer.pk,
            amount_cents=10_000,
            currency="EUR",
            fee_percent=Decimal(10),
            actor=None,
        )

    results = run_concurrently(release, 20)

    assert all(isinstance(r, Batch) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Batch.objects.filter(kind="escrow_release").count() == 1
    assert ledger.freelancer_balances(freelancer.pk, "EUR")["available"] == 9_000
    call_command("ledger_check")


def test_two_concurrent_withdrawals_exceeding_the_balance_one_is_refused():
    need_postgres()
    freelancer, client = UserFactory(is_freelancer=True), UserFactory()
    fund_and_release(milestone_id=1, freelancer=freelancer, client=client, amount_cents=10_000, fee="0")
    payout_account_set(user=freelancer, iban="NL91ABNA0417164300", holder_name="F. Reelancer", actor=freelancer)

    results = run_concurrently(lambda _i: withdrawal_create(user=freelancer, amount_cents=6_000, actor=freelancer), 2)

    refused = [r for r in results if isinstance(r, Conflict)]
    made = [r for r in results if isinstance(r, Withdrawal)]
    assert len(made) == 1 and len(refused) == 1, results
    assert refused[0].code == "insufficient_funds"
    assert Withdrawal.objects.count() == 1
    assert ledger.freelancer_balances(freelancer.pk, "EUR")["available"] == 4_000
    call_command("ledger_check")


def test_concurrent_funding_with_one_key_posts_once():
    need_postgres()
    freelancer, client = UserFactory(), UserFactory()

    def fund(_i: int) -> Batch:
        return ledger.escrow_fund(
            contract_id=3,
            milestone_id=3,
            freelancer_id=freelancer.pk,
            client_id=client.pk,
            amount_cents=2_500,
            currency="EUR",
            provider="bank_transfer",
            actor=None,
        )

    results = run_concurrently(fund, 8)

    assert all(isinstance(r, Batch) for r in results), results
    assert Batch.objects.filter(kind="escrow_fund").count() == 1
    assert ledger.freelancer_balances(freelancer.pk, "EUR")["in_escrow"] == 2_500

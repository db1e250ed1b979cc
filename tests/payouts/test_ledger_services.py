"""The money events on the real database: what each posts, and what each refuses."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from core.exceptions import ApplicationError, Conflict
from core.models import AppendOnlyError, AuditEvent
from payouts import ledger
from payouts.ledger.posting import (
    Leg,
    batch_post,
    clearing_account,
    escrow_account,
    fee_income_account,
    payable_account,
    payout_pending_account,
)
from payouts.models import Account, Batch, Posting
from tests.factories import MemberFactory
from tests.payouts.ledger_helpers import fund_and_release

pytestmark = pytest.mark.django_db


def legs(batch: Batch) -> list[tuple[str, str, int]]:
    return sorted(
        (p.from_account.purpose, p.to_account.purpose, p.amount_cents)
        for p in batch.postings.select_related("from_account", "to_account")
    )


def fund(milestone_id: int, freelancer, client, amount: int = 10_000) -> Batch:
    return ledger.escrow_fund(
        contract_id=milestone_id,
        milestone_id=milestone_id,
        freelancer_id=freelancer.pk,
        client_id=client.pk,
        amount_cents=amount,
        currency="EUR",
        provider="bank_transfer",
        actor=client,
    )


def test_escrow_fund_called_twice_posts_once(freelancer, client_user):
    first = fund(1, freelancer, client_user)
    second = fund(1, freelancer, client_user)

    assert first.pk == second.pk
    assert first.idempotency_key == "milestone:1:fund"
    assert Posting.objects.count() == 1
    assert ledger.freelancer_balances(freelancer.pk, "EUR")["in_escrow"] == 10_000
    escrow = escrow_account(contract_id=1, currency="EUR")
    assert escrow.user_id == client_user.pk


def test_release_splits_the_fee_and_the_parts_add_up(freelancer, client_user):
    fund(1, freelancer, client_user, 10_001)
    batch = ledger.escrow_release(
        contract_id=1,
        milestone_id=1,
        freelancer_id=freelancer.pk,
        amount_cents=10_001,
        currency="EUR",
        fee_percent=Decimal("7.5"),
        actor=None,
    )

    assert legs(batch) == [("escrow", "fee_income", 750), ("escrow", "payable", 9_251)]
    assert ledger.freelancer_balances(freelancer.pk, "EUR") == {
        "available": 9_251,
        "in_escrow": 0,
        "pending_withdrawal": 0,
        "paid_out": 0,
    }


@pytest.mark.parametrize(
    ("amount", "percent", "fee_min", "fee_max", "expected_fee"),
    [
        (1_000, "10", 250, None, 250),
        (100_000, "10", 0, 5_000, 5_000),
        (100, "10", 500, None, 100),
        (999, "0", 0, None, 0),
    ],
)
def test_fee_is_clamped_to_its_minimum_maximum_and_the_amount(amount, percent, fee_min, fee_max, expected_fee):
    freelancer_part, fee = ledger.fee_split(amount, Decimal(percent), fee_min, fee_max)

    assert fee == expected_fee
    assert freelancer_part + fee == amount


def test_release_of_an_unfunded_milestone_is_refused(freelancer):
    with pytest.raises(Conflict) as exc:
        ledger.escrow_release(
            contract_id=9,
            milestone_id=9,
            freelancer_id=freelancer.pk,
            amount_cents=500,
            currency="EUR",
            fee_percent=Decimal(10),
            actor=None,
        )

    assert exc.value.code == "insufficient_funds"
    assert not Batch.objects.exists()


def test_refund_before_release_returns_the_money_and_blocks_release(freelancer, client_user):
    fund(1, freelancer, client_user)
    refund = ledger.escrow_refund(
        contract_id=1,
        milestone_id=1,
        client_id=client_user.pk,
        amount_cents=10_000,
        currency="EUR",
        provider="bank_transfer",
        actor=None,
    )

    assert legs(refund) == [("escrow", "provider_clearing", 10_000)]
    assert ledger.account_balance(clearing_account("bank_transfer", "EUR")) == 0
    fund(2, freelancer, client_user)  # other money in another escrow cannot be released twice
    with pytest.raises(Conflict) as exc:
        ledger.escrow_release(
            contract_id=1,
            milestone_id=1,
            freelancer_id=freelancer.pk,
            amount_cents=1,
            currency="EUR",
            fee_percent=Decimal(10),
            actor=None,
        )
    assert exc.value.code in {"already_refunded", "insufficient_funds"}


def test_refund_after_release_is_refused(freelancer, client_user):
    fund_and_release(milestone_id=1, freelancer=freelancer, client=client_user, amount_cents=10_000)
    fund(2, freelancer, client_user)
    with pytest.raises(Conflict) as exc:
        ledger.escrow_refund(
            contract_id=2,
            milestone_id=1,
            client_id=client_user.pk,
            amount_cents=100,
            currency="EUR",
            provider="bank_transfer",
            actor=None,
        )

    assert exc.value.code == "already_released"
    assert str(exc.value.message) == "This milestone was already released."


def test_release_reversal_claws_back_the_fee_and_refunds_the_client(freelancer, client_user):
    release = fund_and_release(milestone_id=1, freelancer=freelancer, client=client_user, amount_cents=10_000)
    reversal = ledger.release_reverse(milestone_id=1, actor=None, provider="bank_transfer")
    again = ledger.release_reverse(milestone_id=1, actor=None, provider="bank_transfer")

    assert again.pk == reversal.pk
    assert reversal.reverses_id == release.pk
    assert legs(reversal) == [
        ("escrow", "provider_clearing", 10_000),
        ("fee_income", "escrow", 1_000),
        ("payable", "escrow", 9_000),
    ]
    assert ledger.account_balance(fee_income_account("EUR")) == 0
    assert ledger.account_balance(payable_account(freelancer.pk, "EUR")) == 0
    assert ledger.account_balance(clearing_account("bank_transfer", "EUR")) == 0


def test_release_reversal_is_refused_when_the_freelancer_already_withdrew(freelancer, client_user):
    fund_and_release(milestone_id=1, freelancer=freelancer, client=client_user, amount_cents=10_000)
    ledger.withdrawal_request(withdrawal_id=1, user_id=freelancer.pk, amount_cents=5_000, currency="EUR", actor=None)

    with pytest.raises(Conflict) as exc:
        ledger.release_reverse(milestone_id=1, actor=None, provider="bank_transfer")

    assert exc.value.code == "insufficient_funds"


def test_dispute_settlement_splits_release_fee_and_refund(freelancer, client_user):
    fund(1, freelancer, client_user)
    batch = ledger.dispute_settle(
        contract_id=1,
        milestone_id=1,
        freelancer_id=freelancer.pk,
        client_id=client_user.pk,
        release_cents=6_001,
        refund_cents=3_999,
        currency="EUR",
        fee_percent=Decimal(10),
        fee_min_cents=0,
        fee_max_cents=None,
        provider="bank_transfer",
        actor=None,
    )

    assert legs(batch) == [
        ("escrow", "fee_income", 600),
        ("escrow", "payable", 5_401),
        ("escrow", "provider_clearing", 3_999),
    ]
    assert ledger.account_balance(escrow_account(contract_id=1, currency="EUR")) == 0


def test_dispute_settlement_larger_than_escrow_is_refused(freelancer, client_user):
    fund(1, freelancer, client_user)
    with pytest.raises(Conflict) as exc:
        ledger.dispute_settle(
            contract_id=1,
            milestone_id=1,
            freelancer_id=freelancer.pk,
            client_id=client_user.pk,
            release_cents=6_000,
            refund_cents=4_001,
            currency="EUR",
            fee_percent=Decimal(10),
            provider="bank_transfer",
            actor=None,
        )
    assert exc.value.code == "insufficient_funds"


def test_share_purchase_and_redemption_move_member_share_capital():
    member = MemberFactory()
    ledger.share_purchase(
        member_id=member.pk,
        user_id=member.user_id,
        amount_cents=5_000,
        currency="EUR",
        provider="bank_transfer",
        payment_ref="COOP-AAAA-AAAA",
        actor=None,
    )
    assert ledger.member_capital(member.pk, "EUR") == {"shares_cents": 5_000, "retained_cents": 0}

    ledger.share_redeem(
        member_id=member.pk,
        user_id=member.user_id,
        amount_cents=5_000,
        currency="EUR",
        provider="bank_transfer",
        actor=None,
        key=f"share-redeem:{member.pk}:1",
    )
    assert ledger.member_capital(member.pk, "EUR")["shares_cents"] == 0
    with pytest.raises(Conflict):
        ledger.share_redeem(
            member_id=member.pk,
            user_id=member.user_id,
            amount_cents=1,
            currency="EUR",
            provider="bank_transfer",
            actor=None,
            key=f"share-redeem:{member.pk}:2",
        )


def test_expense_passes_through_its_category_and_needs_income(freelancer, client_user):
    with pytest.raises(Conflict):
        ledger.expense_record(
            amount_cents=100,
            currency="EUR",
            category="hosting",
            provider="bank_transfer",
            memo="",
            actor=None,
            key="e:0",
        )
    ledger.income_record(
        amount_cents=1_000, currency="EUR", provider="bank_transfer", memo="Workshop", actor=None, key="i:1"
    )
    batch = ledger.expense_record(
        amount_cents=300,
        currency="EUR",
        category="hosting",
        provider="bank_transfer",
        memo="VPS",
        actor=None,
        key="e:1",
    )

    assert legs(batch) == [("expense", "provider_clearing", 300), ("fee_income", "expense", 300)]
    start = timezone.now() - timedelta(days=1)
    end = timezone.now() + timedelta(days=1)
    assert ledger.period_flows("expense", start, end) == {"in": 300, "out": 300}
    assert ledger.period_sum("fee_income", start, end) == 700


def test_funds_and_member_capital_come_out_of_fee_income():
    member = MemberFactory()
    ledger.income_record(amount_cents=1_000, currency="EUR", provider="bank_transfer", memo="", actor=None, key="i:1")
    ledger.fund_allocate(fund="reserve", amount_cents=400, currency="EUR", key="f:1", actor=None)
    ledger.member_capital_credit(
        member_id=member.pk,
        user_id=member.user_id,
        amount_cents=150,
        currency="EUR",
        source_key="cycle:1:member:1",
        actor=None,
        source_fund="reserve",
    )

    assert ledger.member_capital(member.pk, "EUR") == {"shares_cents": 0, "retained_cents": 150}
    assert ledger.account_balance(fee_income_account("EUR")) == 600


def test_a_batch_with_bad_legs_is_refused():
    a = clearing_account("bank_transfer", "EUR")
    b = fee_income_account("EUR")
    usd = fee_income_account("USD")
    cases = [
        ([ledger.Leg(a, b, 0)], "bad_amount"),
        ([ledger.Leg(a, a, 10)], "same_account"),
        ([ledger.Leg(a, usd, 10)], "currency_mismatch"),
        ([], "empty_batch"),
    ]
    for legs_, code in cases:
        with pytest.raises(ApplicationError) as exc:
            ledger.batch_post(key=f"bad:{code}", kind="test", legs=legs_, actor=None)
        assert exc.value.code == code
    assert not Batch.objects.exists()


def test_a_key_reused_for_another_event_is_refused():
    a = clearing_account("bank_transfer", "EUR")
    b = fee_income_account("EUR")
    ledger.batch_post(key="k", kind="income", legs=[ledger.Leg(a, b, 5)], actor=None)

    with pytest.raises(Conflict) as exc:
        ledger.batch_post(key="k", kind="expense", legs=[ledger.Leg(a, b, 5)], actor=None)
    assert exc.value.code == "idempotency_key_reused"


def test_postings_and_batches_refuse_update_and_delete_in_the_model(freelancer, client_user):
    batch = fund(1, freelancer, client_user)
    posting = batch.postings.get()

    for action in (posting.save, posting.delete, batch.save, batch.delete):
        with pytest.raises(AppendOnlyError):
            action()
    with pytest.raises(AppendOnlyError):
        Posting.objects.update(amount_cents=1)
    with pytest.raises(AppendOnlyError):
        Batch.objects.all().delete()


def test_every_event_writes_an_audit_row(freelancer, client_user):
    batch = fund(1, freelancer, client_user)

    event = AuditEvent.objects.get(action="ledger.escrow_fund")
    assert event.target_id == str(batch.pk)
    assert event.actor_id == client_user.pk
    assert event.subject_id == client_user.pk


def test_withdrawal_settle_and_fail_exclude_each_other(freelancer, client_user):
    fund_and_release(milestone_id=1, freelancer=freelancer, client=client_user, amount_cents=10_000)
    ledger.withdrawal_request(withdrawal_id=1, user_id=freelancer.pk, amount_cents=4_000, currency="EUR", actor=None)
    ledger.withdrawal_request(withdrawal_id=2, user_id=freelancer.pk, amount_cents=4_000, currency="EUR", actor=None)
    ledger.withdrawal_settle(withdrawal_id=1, provider="bank_transfer", actor=None)
    ledger.withdrawal_fail(withdrawal_id=2, actor=None)

    with pytest.raises(Conflict) as settled:
        ledger.withdrawal_fail(withdrawal_id=1, actor=None)
    with pytest.raises(Conflict) as failed:
        ledger.withdrawal_settle(withdrawal_id=2, provider="bank_transfer", actor=None)
    assert (settled.value.code, failed.value.code) == ("withdrawal_settled", "withdrawal_failed")
    assert ledger.freelancer_balances(freelancer.pk, "EUR") == {
        "available": 5_000,
        "in_escrow": 0,
        "pending_withdrawal": 0,
        "paid_out": 4_000,
    }


def test_ledger_check_passes_on_sound_books(freelancer, client_user, capsys):
    fund_and_release(milestone_id=1, freelancer=freelancer, client=client_user, amount_cents=10_000)

    call_command("ledger_check")

    out = capsys.readouterr().out
    assert "Ledger OK: 2 batches, 3 postings" in out
    assert "€100.00" in out


def test_ledger_check_lists_a_broken_floor_and_a_currency_mismatch(freelancer, capsys):
    escrow = escrow_account(contract_id=1, currency="EUR")
    payable = payable_account(freelancer.pk, "EUR")
    usd = Account.objects.create(purpose="fee_income", currency="USD")
    batch = Batch.objects.create(idempotency_key="forged", kind="forged", created_at=timezone.now())
    Posting.objects.create(
        batch=batch,
        from_account=escrow,
        to_account=payable,
        amount_cents=100,
        currency="EUR",
        created_at=batch.created_at,
    )
    Posting.objects.create(
        batch=batch, from_account=payable, to_account=usd, amount_cents=100, currency="EUR", created_at=batch.created_at
    )

    with pytest.raises(CommandError) as exc:
        call_command("ledger_check")

    err = capsys.readouterr().err
    assert "discrepancies" in str(exc.value)
    assert "below its floor of 0 at -100" in err
    assert "currency EUR but accounts in EUR and USD" in err
    assert "batch forged: EUR does not balance" in err


def test_running_balances_follow_every_event_and_ledger_check_names_a_drift(freelancer, client_user, capsys):
    fund_and_release(milestone_id=1, freelancer=freelancer, client=client_user, amount_cents=10_000)
    payable = payable_account(freelancer.pk, "EUR")

    for account in Account.objects.all():
        assert account.running_balance_cents == ledger.account_balance(account)
    assert Account.objects.get(pk=payable.pk).running_balance_cents > 0

    # A balance moved outside batch_post no longer equals the postings: ledger_check says so.
    Account.objects.filter(pk=payable.pk).update(running_balance_cents=1)
    with pytest.raises(CommandError):
        call_command("ledger_check")
    assert "running balance 1 differs from the sum of its postings" in capsys.readouterr().err


def test_the_floor_check_reads_the_running_balance(freelancer, client_user):
    fund_and_release(milestone_id=1, freelancer=freelancer, client=client_user, amount_cents=10_000)
    payable = payable_account(freelancer.pk, "EUR")
    held = Account.objects.get(pk=payable.pk).running_balance_cents
    pending = payout_pending_account(freelancer.pk, "EUR")
    with pytest.raises(Conflict):
        batch_post(key="too-much", kind="test", legs=[Leg(payable, pending, held + 1)], actor=None)
    batch_post(key="all", kind="test", legs=[Leg(payable, pending, held)], actor=None)
    assert Account.objects.get(pk=payable.pk).running_balance_cents == 0
    assert Account.objects.get(pk=pending.pk).running_balance_cents == held

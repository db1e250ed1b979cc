"""Payment requests and received bank payments: matching, part payments, excess and suspense."""

import datetime

import pytest
from django.utils import timezone

from core.exceptions import ApplicationError, Conflict
from core.exceptions import ErrorCode as CoreErrorCode
from payouts import ledger
from payouts.ledger.posting import clearing_account, suspense_account
from payouts.models import BankPayment, PaymentRequest
from payouts.payments import (
    bank_payment_record,
    payment_request_cancel,
    payment_request_create,
    payment_request_receive,
    suspense_apply,
    suspense_refund,
)
from payouts.payments.references import check_character, new_reference, normalize_reference

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 1, 5)


@pytest.fixture
def request_for(paid_calls, client_user):
    def make(amount: int = 10_000, ref: str = "1") -> PaymentRequest:
        return payment_request_create(
            payer=client_user,
            amount_cents=amount,
            currency="EUR",
            purpose="test_purpose",
            purpose_ref=ref,
            actor=client_user,
        )

    return make


def record(reference: str, amount: int, **kwargs) -> BankPayment:
    return bank_payment_record(
        reference=reference, amount_cents=amount, currency="EUR", received_on=timezone.localdate(), actor=None, **kwargs
    )


def balance(account) -> int:
    return ledger.account_balance(account)


def test_references_carry_a_check_character_that_catches_typos():
    reference = new_reference()
    body = reference.replace("COOP-", "").replace("-", "")

    assert check_character(body[:7]) == body[7]
    assert normalize_reference(f"payment {reference.lower().replace('-', ' ')} thanks") == reference
    typo = body[:2] + ("3" if body[2] != "3" else "4") + body[3:]
    assert normalize_reference(f"COOP-{typo[:4]}-{typo[4:]}") is None
    swapped = body[1] + body[0] + body[2:]
    if swapped != body:
        assert normalize_reference(f"COOP-{swapped[:4]}-{swapped[4:]}") is None


def test_creating_a_request_twice_for_one_purpose_returns_the_same_request(request_for):
    first = request_for()
    second = request_for()

    assert first.pk == second.pk
    assert first.reference.startswith("COOP-")
    assert first.status_changes.count() == 1


def test_a_request_for_an_unknown_purpose_is_refused(client_user):
    with pytest.raises(ApplicationError) as exc:
        payment_request_create(
            payer=client_user, amount_cents=100, currency="EUR", purpose="nope", purpose_ref="1", actor=None
        )
    assert exc.value.code == "unknown_payment_purpose"


def test_full_payment_runs_the_purpose_handler_once(request_for, paid_calls):
    payment_request = request_for()

    payment = record(payment_request.reference, 10_000)

    payment_request.refresh_from_db()
    assert payment_request.status == PaymentRequest.Status.PAID
    assert [r.pk for r in paid_calls] == [payment_request.pk]
    assert payment.status == BankPayment.Status.MATCHED
    assert (payment.applied_cents, payment.suspense_cents) == (10_000, 0)
    with pytest.raises(Conflict):
        payment_request_receive(payment_request_id=payment_request.pk, amount_cents=1, actor=None)
    assert len(paid_calls) == 1


def test_part_payments_wait_in_suspense_until_the_request_is_paid(request_for, paid_calls):
    payment_request = request_for()
    held = suspense_account(owner_type="payment_request", owner_id=payment_request.pk, currency="EUR")
    clearing = clearing_account("bank_transfer", "EUR")

    record(payment_request.reference, 3_000)
    record(payment_request.reference.lower(), 3_000)
    payment_request.refresh_from_db()
    assert payment_request.status == PaymentRequest.Status.PARTIALLY_PAID
    assert payment_request.amount_received_cents == 6_000
    assert balance(held) == 6_000
    assert paid_calls == []

    record(payment_request.reference, 4_000)
    payment_request.refresh_from_db()
    assert payment_request.status == PaymentRequest.Status.PAID
    assert len(paid_calls) == 1
    assert balance(held) == 0
    # The handler has not posted (a test handler), so the whole amount waits in clearing for it.
    assert balance(clearing) == 0


def test_an_excess_goes_to_suspense_and_can_be_paid_back(request_for):
    payment_request = request_for()

    payment = record(payment_request.reference, 12_500)

    assert payment.status == BankPayment.Status.IN_SUSPENSE
    assert (payment.applied_cents, payment.suspense_cents) == (10_000, 2_500)
    suspense = suspense_account(owner_type="bank_payment", owner_id=payment.pk, currency="EUR")
    assert balance(suspense) == 2_500

    suspense_refund(bank_payment_id=payment.pk, actor=None)
    payment.refresh_from_db()
    assert (payment.status, payment.resolution, payment.suspense_cents) == ("resolved", "refunded", 0)
    assert balance(suspense) == 0
    with pytest.raises(Conflict) as exc:
        suspense_refund(bank_payment_id=payment.pk, actor=None)
    assert exc.value.message == "This payment has nothing left in suspense."


def test_an_unmatched_payment_is_applied_later_to_the_right_request(request_for, paid_calls):
    payment_request = request_for(amount=5_000)

    payment = record("invoice 42, thanks", 7_000)
    assert payment.payment_request is None
    assert (payment.status, payment.suspense_cents) == ("in_suspense", 7_000)

    suspense_apply(bank_payment_id=payment.pk, reference=payment_request.reference, actor=None)
    payment.refresh_from_db()
    payment_request.refresh_from_db()
    assert payment_request.status == PaymentRequest.Status.PAID
    assert len(paid_calls) == 1
    assert (payment.status, payment.suspense_cents, payment.applied_cents) == ("in_suspense", 2_000, 5_000)
    suspense = suspense_account(owner_type="bank_payment", owner_id=payment.pk, currency="EUR")
    assert balance(suspense) == 2_000


def test_applying_suspense_to_an_unknown_reference_is_refused(request_for):
    payment = record("no reference", 700)

    with pytest.raises(ApplicationError) as exc:
        suspense_apply(bank_payment_id=payment.pk, reference="COOP-2222-2222", actor=None)
    assert exc.value.message == "No open bank-transfer payment request has the reference COOP-2222-2222."


def test_the_same_bank_transaction_recorded_twice_counts_once(request_for, paid_calls):
    payment_request = request_for()

    first = record(payment_request.reference, 4_000, bank_transaction_id="STMT-1")
    second = record(payment_request.reference, 4_000, bank_transaction_id="STMT-1")

    assert first.pk == second.pk
    payment_request.refresh_from_db()
    assert payment_request.amount_received_cents == 4_000


def test_bad_bank_payment_input_is_refused_with_a_clear_message():
    with pytest.raises(ApplicationError) as amount:
        record("x", 0)
    with pytest.raises(ApplicationError) as future:
        bank_payment_record(
            reference="x",
            amount_cents=5,
            currency="EUR",
            received_on=timezone.localdate() + datetime.timedelta(days=2),
            actor=None,
        )
    with pytest.raises(ApplicationError) as currency:
        bank_payment_record(reference="x", amount_cents=5, currency="USD", received_on=TODAY, actor=None)
    assert amount.value.message == "The amount must be a positive number of cents."
    assert future.value.message == "The date received cannot be in the future."
    assert currency.value.message == "Only payments in EUR are accepted."
    assert not BankPayment.objects.exists()


def test_a_request_with_money_received_cannot_be_cancelled(request_for):
    payment_request = request_for()
    record(payment_request.reference, 100)

    with pytest.raises(Conflict) as exc:
        payment_request_cancel(payment_request_id=payment_request.pk, actor=None)
    assert exc.value.code == CoreErrorCode.BAD_TRANSITION
    assert exc.value.detail == {"from": "partially_paid", "to": "cancelled"}


def test_a_cancelled_request_makes_room_for_a_new_one(request_for):
    first = request_for()
    payment_request_cancel(payment_request_id=first.pk, actor=None)

    second = request_for()

    assert second.pk != first.pk
    assert record(first.reference, 100).status == "in_suspense"


def test_a_bank_payment_keeps_the_history_of_its_status(request_for):
    payment_request = request_for(amount=10_000)
    matched = record(payment_request.reference, 10_000)
    unmatched = record("no reference", 700)

    suspense_refund(bank_payment_id=unmatched.pk, actor=None)

    assert [(c.from_status, c.to_status) for c in matched.status_changes.all()] == [
        ("", "in_suspense"),
        ("in_suspense", "matched"),
    ]
    assert [(c.from_status, c.to_status) for c in unmatched.status_changes.all()] == [
        ("", "in_suspense"),
        ("in_suspense", "resolved"),
    ]

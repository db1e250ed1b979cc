"""Finance input from the QA pass: BICs, batch execution dates, bank payment dates, early settling, repeats.

Each bad input is refused with a clear message and changes nothing; the good input still works.
"""

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from rest_framework.test import APIClient

from core.exceptions import ApplicationError, Conflict
from core.models import AuditEvent
from payouts.models import BankPayment, PaymentRequest, PayoutAccount, Withdrawal, WithdrawalBatch
from payouts.models.ledger import Posting
from payouts.payments import bank_payment_record
from payouts.payments.withdrawals import (
    EXECUTION_DATE_MAX_DAYS,
    payout_account_set,
    withdrawal_batch_create,
    withdrawal_batch_settle,
    withdrawal_create,
)
from tests.payouts.ledger_helpers import fund_and_release

pytestmark = pytest.mark.django_db

IBAN = "NL91ABNA0417164300"
BAD_BIC = "This is not a valid BIC. A BIC has 8 or 11 letters and digits, such as ABNANL2A."


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def today() -> datetime.date:
    return timezone.localdate()


def rows() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (PayoutAccount, Withdrawal, WithdrawalBatch, BankPayment, PaymentRequest, Posting, AuditEvent)
    }


@pytest.fixture
def requested(freelancer: Any, client_user: Any) -> Withdrawal:
    fund_and_release(milestone_id=1, freelancer=freelancer, client=client_user, amount_cents=20_000, fee="0")
    payout_account_set(user=freelancer, iban=IBAN, holder_name="Ada", actor=freelancer)
    return withdrawal_create(user=freelancer, amount_cents=5_000, actor=freelancer)


# BICs of payout accounts


@pytest.mark.parametrize("bic", ["NOTABIC", "ABNAXX2A", "ABNANL2", "ABNANL2AXXXX", "ABN@NL2A"])
def test_a_bad_bic_is_refused_and_the_account_stays_as_it_was(freelancer: Any, bic: str) -> None:
    payout_account_set(user=freelancer, iban=IBAN, holder_name="Ada", actor=freelancer)
    before = rows()

    with pytest.raises(ApplicationError) as refused:
        payout_account_set(user=freelancer, iban=IBAN, holder_name="Ada Lovelace", bic=bic, actor=freelancer)

    assert (refused.value.code, refused.value.message) == ("bad_bic", BAD_BIC)
    assert refused.value.detail == {"bic": ["This is not a valid BIC."]}
    assert rows() == before
    account = PayoutAccount.objects.get(user=freelancer)
    assert (account.holder_name, account.bic) == ("Ada", "ABNANL2A")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("abna nl 2a", "ABNANL2A"), ("DEUTDEFF500", "DEUTDEFF500"), ("ABNANL2AXXX", "ABNANL2AXXX"), ("", "ABNANL2A")],
)
def test_a_good_bic_is_saved_in_compact_form(freelancer: Any, typed: str, stored: str) -> None:
    account = payout_account_set(user=freelancer, iban=IBAN, holder_name="Ada", bic=typed, actor=freelancer)

    assert account.bic == stored


def test_the_earnings_page_refuses_a_bad_bic(client_for: Any, freelancer: Any) -> None:
    response = client_for(freelancer).post(
        reverse("payouts:payout_account"), {"holder_name": "Ada", "iban": IBAN, "bic": "NOTABIC"}
    )

    assert response.status_code == 400
    assert "This is not a valid BIC." in response.content.decode()
    assert not PayoutAccount.objects.exists()


def test_the_api_refuses_a_bad_bic(freelancer: Any) -> None:
    response = api(freelancer).post(
        reverse("api-money-payout-account-set"), {"holder_name": "Ada", "iban": IBAN, "bic": "NOTABIC"}, format="json"
    )

    assert response.status_code == 400
    assert (response.json()["code"], response.json()["message"]) == ("bad_bic", BAD_BIC)
    assert not PayoutAccount.objects.exists()


# Execution dates of SEPA batches


def test_a_batch_dated_more_than_a_year_ahead_is_refused_and_nothing_moves(requested: Withdrawal) -> None:
    before = rows()
    latest = today() + datetime.timedelta(days=EXECUTION_DATE_MAX_DAYS)

    for execution_date in (datetime.date(9999, 12, 31), latest + datetime.timedelta(days=1)):
        with pytest.raises(ApplicationError) as refused:
            withdrawal_batch_create(actor=None, execution_date=execution_date)
        assert refused.value.code == "execution_date_too_late"
        assert refused.value.message == (
            f"The execution date can be at most a year ahead: {date_format(latest)} at the latest."
        )

    assert rows() == before
    requested.refresh_from_db()
    assert (requested.status, requested.batch_id) == (Withdrawal.Status.REQUESTED, None)


def test_a_batch_dated_a_year_ahead_is_created(requested: Withdrawal) -> None:
    latest = today() + datetime.timedelta(days=EXECUTION_DATE_MAX_DAYS)

    batch = withdrawal_batch_create(actor=None, execution_date=latest)

    assert batch.execution_date == latest


def test_the_batch_page_refuses_9999_12_31(client_for: Any, staff: Any, requested: Withdrawal) -> None:
    response = client_for(staff).post(reverse("payouts:batch_create"), {"execution_date": "9999-12-31"})

    assert response.status_code == 400
    assert "The execution date can be at most a year ahead" in response.content.decode()
    assert not WithdrawalBatch.objects.exists()


def test_the_batch_api_refuses_9999_12_31(staff: Any, requested: Withdrawal) -> None:
    response = api(staff).post(reverse("api-finance-batch-create"), {"execution_date": "9999-12-31"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "execution_date_too_late"
    assert not WithdrawalBatch.objects.exists()


# Settling a batch


def test_a_batch_cannot_be_marked_paid_before_its_execution_date(requested: Withdrawal) -> None:
    due = today() + datetime.timedelta(days=4)
    batch = withdrawal_batch_create(actor=None, execution_date=due)
    before = rows()

    with pytest.raises(Conflict) as refused:
        withdrawal_batch_settle(batch_id=batch.pk, actor=None)

    assert refused.value.code == "batch_not_due"
    assert refused.value.message == (
        f"The bank pays this batch on {date_format(due)}; it can be marked paid from that day on."
    )
    assert rows() == before
    batch.refresh_from_db()
    requested.refresh_from_db()
    assert (batch.status, batch.settled_at, requested.status) == ("exported", None, "exported")


def test_a_batch_is_marked_paid_on_its_execution_date(requested: Withdrawal) -> None:
    batch = withdrawal_batch_create(actor=None, execution_date=today() + datetime.timedelta(days=4))
    # Four days later: the execution date has come.
    WithdrawalBatch.objects.filter(pk=batch.pk).update(execution_date=today())

    settled = withdrawal_batch_settle(batch_id=batch.pk, actor=None)

    requested.refresh_from_db()
    assert (settled.status, requested.status) == ("settled", "settled")


def test_the_settle_button_says_why_a_batch_is_not_due_yet(client_for: Any, staff: Any, requested: Withdrawal) -> None:
    batch = withdrawal_batch_create(actor=None, execution_date=today() + datetime.timedelta(days=4))

    response = client_for(staff).post(reverse("payouts:batch_settle", args=[batch.pk]), follow=True)

    assert "it can be marked paid from that day on." in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == "exported"


def test_the_settle_api_refuses_a_batch_not_due_yet(staff: Any, requested: Withdrawal) -> None:
    batch = withdrawal_batch_create(actor=None, execution_date=today() + datetime.timedelta(days=4))

    response = api(staff).post(reverse("api-finance-batch-settle", args=[batch.pk]))

    assert (response.status_code, response.json()["code"]) == (409, "batch_not_due")


# Dates bank payments were received on


@pytest.mark.parametrize("received_on", [datetime.date(1, 1, 1), datetime.date(1999, 12, 31)])
def test_an_implausibly_old_bank_payment_is_refused_and_nothing_is_posted(received_on: datetime.date) -> None:
    before = rows()

    with pytest.raises(ApplicationError) as refused:
        bank_payment_record(reference="?", amount_cents=500, currency="EUR", received_on=received_on, actor=None)

    assert refused.value.code == "implausible_date"
    assert refused.value.message == (
        f"The date received must be between {date_format(datetime.date(2000, 1, 1))} and today; check the year."
    )
    assert rows() == before


@pytest.mark.parametrize("received_on", [datetime.date(2000, 1, 1), None])
def test_a_bank_payment_from_2000_on_up_to_today_is_recorded(received_on: datetime.date | None) -> None:
    payment = bank_payment_record(
        reference="?", amount_cents=500, currency="EUR", received_on=received_on or today(), actor=None
    )

    assert payment.pk is not None and payment.already_recorded is False


def test_the_payments_page_and_the_api_refuse_0001_01_01(client_for: Any, staff: Any) -> None:
    page = client_for(staff).post(
        reverse("payouts:finance_payments"), {"reference": "?", "amount": "5.00", "received_on": "0001-01-01"}
    )
    response = api(staff).post(
        reverse("api-finance-bank-payment-record"),
        {"reference": "?", "amount_cents": 500, "received_on": "0001-01-01"},
        format="json",
    )

    assert page.status_code == 400 and "check the year." in page.content.decode()
    assert (response.status_code, response.json()["code"]) == (400, "implausible_date")
    assert not BankPayment.objects.exists()


# The same bank transaction recorded twice


@pytest.fixture
def open_request(client_user: Any, paid_calls: list[Any]) -> PaymentRequest:
    from payouts.payments import payment_request_create

    return payment_request_create(
        payer=client_user, amount_cents=4_000, currency="EUR", purpose="test_purpose", purpose_ref="1", actor=None
    )


def test_a_repeated_bank_transaction_is_returned_as_already_recorded_and_changes_nothing(
    open_request: PaymentRequest,
) -> None:
    first = bank_payment_record(
        reference=open_request.reference,
        amount_cents=4_000,
        currency="EUR",
        received_on=today(),
        actor=None,
        bank_transaction_id="STMT-7",
    )
    before = rows()

    again = bank_payment_record(
        reference=open_request.reference,
        amount_cents=4_000,
        currency="EUR",
        received_on=today(),
        actor=None,
        bank_transaction_id="STMT-7",
    )

    assert (first.already_recorded, again.already_recorded, again.pk) == (False, True, first.pk)
    assert rows() == before


def test_a_repeated_bank_transaction_with_another_amount_is_refused(open_request: PaymentRequest) -> None:
    bank_payment_record(
        reference="?", amount_cents=4_000, currency="EUR", received_on=today(), actor=None, bank_transaction_id="S-8"
    )
    before = rows()

    with pytest.raises(Conflict) as refused:
        bank_payment_record(
            reference="?", amount_cents=400, currency="EUR", received_on=today(), actor=None, bank_transaction_id="S-8"
        )

    assert refused.value.code == "bank_transaction_mismatch"
    assert refused.value.message == (
        "Bank transaction S-8 was already recorded with a different amount (€40.00); "
        "check the transaction id and the amount."
    )
    assert rows() == before


def test_the_payments_page_says_a_repeated_transaction_was_already_recorded(
    client_for: Any, staff: Any, open_request: PaymentRequest
) -> None:
    http = client_for(staff)
    form = {
        "reference": open_request.reference,
        "amount": "40.00",
        "received_on": today().isoformat(),
        "bank_transaction_id": "STMT-9",
    }
    first = http.post(reverse("payouts:finance_payments"), form, follow=True)
    before = rows()

    again = http.post(reverse("payouts:finance_payments"), form)

    assert f"The payment was matched to {open_request.reference}." in first.content.decode()
    body = again.content.decode()
    assert again.status_code == 400
    assert f"Bank transaction STMT-9 was already recorded on {date_format(today())}; nothing was changed." in body
    assert "The payment was matched to" not in body
    assert rows() == before

"""Every payouts page: allowed, forbidden, bad input; list pages run a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from payouts import ledger
from payouts.models import BankPayment, Withdrawal, WithdrawalBatch
from payouts.payments import bank_payment_record, payment_request_create
from payouts.payments.sepa import validate_sepa_xml
from payouts.payments.withdrawals import payout_account_set, withdrawal_batch_create, withdrawal_create
from tests.factories import MemberFactory, UserFactory
from tests.payouts.ledger_helpers import fund_and_release

pytestmark = pytest.mark.django_db

IBAN = "NL91ABNA0417164300"


@pytest.fixture
def earning_freelancer(freelancer, client_user):
    fund_and_release(milestone_id=1, freelancer=freelancer, client=client_user, amount_cents=20_000, fee="10")
    return freelancer


def make_withdrawals(n: int) -> None:
    for i in range(n):
        person = UserFactory(is_freelancer=True)
        fund_and_release(milestone_id=1000 + person.pk, freelancer=person, client=person, amount_cents=5_000, fee="0")
        payout_account_set(user=person, iban=IBAN, holder_name=f"Person {i}", actor=person)
        withdrawal_create(user=person, amount_cents=2_000, actor=person)


def test_earnings_page_shows_balances_and_history(client_for, earning_freelancer):
    response = client_for(earning_freelancer).get(reverse("payouts:earnings"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Your earnings</h1>" in body
    assert "€180.00" in body
    assert "Milestone released" in body


def test_earnings_page_needs_login(client):
    response = client.get(reverse("payouts:earnings"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_earnings_page_query_count_does_not_grow_with_history(
    client_for, earning_freelancer, client_user, django_assert_num_queries
):
    http = client_for(earning_freelancer)
    http.get(reverse("payouts:earnings"))
    # 14: the page, plus one aggregate that starts the running balances and one lookup of milestone titles.
    with django_assert_num_queries(14):
        http.get(reverse("payouts:earnings"))
    for i in range(2, 8):
        fund_and_release(milestone_id=i, freelancer=earning_freelancer, client=client_user, amount_cents=1_000)
    with django_assert_num_queries(14):
        http.get(reverse("payouts:earnings"))


def test_payout_account_with_a_bad_iban_is_refused(client_for, freelancer):
    response = client_for(freelancer).post(
        reverse("payouts:payout_account"), {"holder_name": "F", "iban": "NL00ABNA0417164300"}
    )

    assert response.status_code == 400
    assert "This is not a valid IBAN." in response.content.decode()


def test_withdrawal_request_from_the_page(client_for, earning_freelancer):
    http = client_for(earning_freelancer)
    http.post(reverse("payouts:payout_account"), {"holder_name": "Ada", "iban": IBAN.lower()})

    response = http.post(reverse("payouts:withdrawal_request"), {"amount": "50.00"})

    assert response.status_code == 302
    withdrawal = Withdrawal.objects.get()
    assert (withdrawal.amount_cents, withdrawal.iban) == (5_000, IBAN)
    assert ledger.freelancer_balances(earning_freelancer.pk)["pending_withdrawal"] == 5_000


def test_withdrawal_over_the_balance_shows_what_is_available(client_for, earning_freelancer):
    http = client_for(earning_freelancer)
    payout_account_set(user=earning_freelancer, iban=IBAN, holder_name="Ada", actor=earning_freelancer)

    response = http.post(reverse("payouts:withdrawal_request"), {"amount": "180.01"})

    assert response.status_code == 400
    assert "You can withdraw at most €180.00." in response.content.decode()
    assert not Withdrawal.objects.exists()


def test_withdrawal_below_the_minimum_is_refused(client_for, earning_freelancer):
    payout_account_set(user=earning_freelancer, iban=IBAN, holder_name="Ada", actor=earning_freelancer)

    response = client_for(earning_freelancer).post(reverse("payouts:withdrawal_request"), {"amount": "9.99"})

    assert response.status_code == 400
    assert "You can withdraw €10.00 or more." in response.content.decode()


def test_withdrawal_needs_a_verified_email(client_for, earning_freelancer):
    unverified = UserFactory(verified=False)

    response = client_for(unverified).post(reverse("payouts:withdrawal_request"), {"amount": "50"})

    assert response.status_code == 302
    assert not Withdrawal.objects.exists()


def test_payer_sees_bank_instructions_and_others_do_not(client_for, client_user, paid_calls):
    payment_request = payment_request_create(
        payer=client_user, amount_cents=12_345, currency="EUR", purpose="test_purpose", purpose_ref="9", actor=None
    )
    url = reverse("payouts:payment_request", args=[payment_request.reference])

    response = client_for(client_user).get(url)
    other = client_for(UserFactory()).get(url)

    body = response.content.decode()
    assert response.status_code == 200
    assert "NL91 ABNA 0417 1643 00" in body
    assert payment_request.reference in body
    assert "€123.45" in body
    assert other.status_code == 403
    assert client_for(client_user).get(reverse("payouts:payment_request", args=["COOP-NONE-NONE"])).status_code == 404


@pytest.mark.parametrize("name", ["finance_payments", "finance_withdrawals", "books", "books_csv"])
def test_finance_pages_are_for_staff_only(client_for, staff, freelancer, name):
    assert client_for(staff).get(reverse(f"payouts:{name}")).status_code == 200
    assert client_for(freelancer).get(reverse(f"payouts:{name}")).status_code == 403


def test_recording_a_bank_payment_matches_its_request(client_for, staff, client_user, paid_calls):
    payment_request = payment_request_create(
        payer=client_user, amount_cents=5_000, currency="EUR", purpose="test_purpose", purpose_ref="1", actor=None
    )

    response = client_for(staff).post(
        reverse("payouts:finance_payments"),
        {"reference": payment_request.reference, "amount": "50.00", "received_on": timezone.localdate().isoformat()},
    )

    assert response.status_code == 302
    assert BankPayment.objects.get().status == "matched"
    assert len(paid_calls) == 1


def test_recording_a_bank_payment_with_a_future_date_is_refused(client_for, staff):
    future = timezone.localdate() + datetime.timedelta(days=3)

    response = client_for(staff).post(
        reverse("payouts:finance_payments"), {"reference": "x", "amount": "5", "received_on": future.isoformat()}
    )

    assert response.status_code == 400
    assert "The date received cannot be in the future." in response.content.decode()
    assert not BankPayment.objects.exists()


def test_suspense_can_be_applied_and_paid_back_from_the_page(client_for, staff, client_user, paid_calls):
    payment_request = payment_request_create(
        payer=client_user, amount_cents=1_000, currency="EUR", purpose="test_purpose", purpose_ref="1", actor=None
    )
    first = bank_payment_record(
        reference="?", amount_cents=1_000, currency="EUR", received_on=timezone.localdate(), actor=None
    )
    second = bank_payment_record(
        reference="?", amount_cents=700, currency="EUR", received_on=timezone.localdate(), actor=None
    )
    http = client_for(staff)

    bad = http.post(reverse("payouts:payment_apply", args=[first.pk]), {"reference": "COOP-2222-2222"})
    applied = http.post(reverse("payouts:payment_apply", args=[first.pk]), {"reference": payment_request.reference})
    refunded = http.post(reverse("payouts:payment_refund", args=[second.pk]))

    assert bad.status_code == 400
    assert "No open bank-transfer payment request has the reference COOP-2222-2222." in bad.content.decode()
    assert applied.status_code == refunded.status_code == 302
    assert len(paid_calls) == 1
    assert set(BankPayment.objects.values_list("status", flat=True)) == {"resolved"}


def test_finance_payments_query_count_is_fixed(client_for, staff, django_assert_num_queries):
    http = client_for(staff)
    bank_payment_record(reference="?", amount_cents=100, currency="EUR", received_on=timezone.localdate(), actor=None)
    http.get(reverse("payouts:finance_payments"))
    with django_assert_num_queries(9):  # with the header's notification count and a page count per list
        http.get(reverse("payouts:finance_payments"))
    for i in range(5):
        bank_payment_record(
            reference=f"?{i}", amount_cents=100, currency="EUR", received_on=timezone.localdate(), actor=None
        )
    with django_assert_num_queries(9):  # with the header's notification count and a page count per list
        http.get(reverse("payouts:finance_payments"))


def test_withdrawals_are_batched_exported_and_settled(client_for, staff, second_staff, django_assert_num_queries):
    make_withdrawals(2)
    http = client_for(staff)
    http.get(reverse("payouts:finance_withdrawals"))
    with django_assert_num_queries(8):  # with the header's notification count and a page count per list
        http.get(reverse("payouts:finance_withdrawals"))
    make_withdrawals(3)
    with django_assert_num_queries(8):  # with the header's notification count and a page count per list
        http.get(reverse("payouts:finance_withdrawals"))

    today = timezone.localdate().isoformat()
    confirm = http.post(reverse("payouts:batch_create"), {"execution_date": today})
    assert confirm.status_code == 200, "creating a batch asks for confirmation first"
    assert not WithdrawalBatch.objects.exists(), "nothing is created before the confirmation"
    totals = confirm.content.decode()
    assert "€100.00" in totals, "the total of the five withdrawals"
    assert http.post(reverse("payouts:batch_create"), {"execution_date": today, "confirmed": "1"}).status_code == 302
    batch = WithdrawalBatch.objects.get()
    xml = http.get(reverse("payouts:batch_sepa", args=[batch.pk]))
    csv = http.get(reverse("payouts:batch_csv", args=[batch.pk]))
    assert xml.status_code == 200 and xml["Content-Type"] == "application/xml"
    validate_sepa_xml(xml.content)
    assert csv.content.decode().count("\n") == 6
    # Four eyes: who created the batch cannot confirm the bank paid it; a second person from finance can.
    assert http.post(reverse("payouts:batch_settle", args=[batch.pk])).status_code == 302
    assert set(Withdrawal.objects.values_list("status", flat=True)) == {"exported"}
    assert client_for(second_staff).post(reverse("payouts:batch_settle", args=[batch.pk])).status_code == 302
    assert set(Withdrawal.objects.values_list("status", flat=True)) == {"settled"}


def test_creating_a_batch_with_nothing_requested_is_refused(client_for, staff):
    response = client_for(staff).post(
        reverse("payouts:batch_create"), {"execution_date": timezone.localdate().isoformat()}
    )

    assert response.status_code == 400
    assert "There are no requested withdrawals to pay." in response.content.decode()


def test_failed_withdrawal_returns_the_money(client_for, staff):
    make_withdrawals(1)
    withdrawal = Withdrawal.objects.get()
    withdrawal_batch_create(actor=staff)

    response = client_for(staff).post(
        reverse("payouts:withdrawal_fail", args=[withdrawal.pk]), {"reason": "Closed account"}
    )

    assert response.status_code == 302
    withdrawal.refresh_from_db()
    assert (withdrawal.status, withdrawal.failure_reason) == ("failed", "Closed account")
    assert ledger.freelancer_balances(withdrawal.user_id)["available"] == 5_000


def test_books_csv_per_account_and_per_purpose(client_for, staff, earning_freelancer):
    http = client_for(staff)

    per_account = http.get(reverse("payouts:books_csv")).content.decode()
    per_purpose = http.get(reverse("payouts:books_csv") + "?by=purpose").content.decode()

    assert per_account.splitlines()[0] == "account,purpose,owner_type,owner_id,name,currency,in,out,balance"
    assert "fee_income,EUR,1,20.00,0.00,20.00" in per_purpose


def test_open_books_are_for_members_only(client_for, earning_freelancer):
    member = MemberFactory()
    ledger.expense_record(
        amount_cents=500, currency="EUR", category="hosting", provider="bank_transfer", memo="", actor=None, key="e1"
    )

    allowed = client_for(member.user).get(reverse("payouts:open_books"))
    forbidden = client_for(earning_freelancer).get(reverse("payouts:open_books"))
    odd_year = client_for(member.user).get(reverse("payouts:open_books") + "?year=abc")

    assert allowed.status_code == 200
    body = allowed.content.decode()
    assert "Where each fee euro goes" in body
    assert 'value="25"' in body  # €5 of €20 fees went to costs
    assert f'href="{reverse("payout_cycles:my_cycles")}"' in body
    assert forbidden.status_code == 403
    assert odd_year.status_code == 200


def test_dashboard_shows_the_freelancer_balance_panel(client_for, earning_freelancer):
    response = client_for(earning_freelancer).get(reverse("dashboard"))

    assert "Your earnings" in response.content.decode()
    assert "€180.00" in response.content.decode()


def test_pages_render_in_dutch(client_for, earning_freelancer):
    http = client_for(earning_freelancer)
    http.cookies["django_language"] = "nl"

    response = http.get(reverse("payouts:earnings"), HTTP_ACCEPT_LANGUAGE="nl")

    assert "Je inkomsten" in response.content.decode()


def test_older_payments_in_suspense_are_a_page_away_and_each_pager_keeps_the_others_place(client_for, staff):
    """Finance used to see the newest 50 of each list and nothing older."""
    for i in range(55):
        bank_payment_record(
            reference=f"?{i}", amount_cents=100 + i, currency="EUR", received_on=timezone.localdate(), actor=None
        )
    http = client_for(staff)
    url = reverse("payouts:finance_payments")
    first = http.get(url).content.decode()
    assert 'href="?suspense=2" rel="next"' in first and 'href="?recent=2" rel="next"' in first
    second = http.get(url, {"suspense": 2, "recent": 1}).content.decode()
    assert "Page 2 of 2" in second
    assert 'href="?recent=1&amp;suspense=1" rel="prev"' in second, "back to page one, keeping the other list's page"
    amounts = [f"€{(100 + i) / 100:.2f}" for i in range(55)]
    older = [amount for amount in amounts if amount in second.split('id="open-heading"')[0]]
    assert len(older) == 5

"""The money API: allowed, forbidden, bad input in the one error format, fixed query counts."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from payouts.models import BankPayment, Withdrawal
from payouts.payments import bank_payment_record
from payouts.payments.withdrawals import payout_account_set
from tests.factories import MemberFactory, UserFactory
from tests.payouts.ledger_helpers import fund_and_release

pytestmark = pytest.mark.django_db

IBAN = "NL91ABNA0417164300"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def earner(freelancer, client_user):
    fund_and_release(milestone_id=1, freelancer=freelancer, client=client_user, amount_cents=20_000, fee="10")
    return freelancer


def test_balance_and_postings_for_the_signed_in_user(earner):
    balance = api(earner).get(reverse("api-money-balance"))
    postings = api(earner).get(reverse("api-money-postings"))

    assert balance.json() == {
        "currency": "EUR",
        "available_cents": 18_000,
        "in_escrow_cents": 0,
        "pending_withdrawal_cents": 0,
        "paid_out_cents": 0,
    }
    assert postings.json()["results"][0]["event"] == "escrow_release"


def test_money_endpoints_need_a_login():
    response = APIClient().get(reverse("api-money-balance"))

    assert response.status_code in (401, 403)
    assert set(response.json()) == {"code", "message", "detail"}


def test_withdrawal_request_and_its_errors(earner):
    client = api(earner)
    no_account = client.post(reverse("api-money-withdrawal-request"), {"amount_cents": 5_000}, format="json")
    bad_iban = client.post(
        reverse("api-money-payout-account-set"), {"iban": "NL00X", "holder_name": "A"}, format="json"
    )
    client.post(reverse("api-money-payout-account-set"), {"iban": IBAN, "holder_name": "Ada"}, format="json")
    too_much = client.post(reverse("api-money-withdrawal-request"), {"amount_cents": 18_001}, format="json")
    not_a_number = client.post(reverse("api-money-withdrawal-request"), {"amount_cents": "lots"}, format="json")
    made = client.post(reverse("api-money-withdrawal-request"), {"amount_cents": 5_000}, format="json")

    assert no_account.status_code == 409 and no_account.json()["code"] == "no_payout_account"
    assert (
        bad_iban.json()["message"]
        == "This is not a valid IBAN. Check the country code, the check digits and the length."
    )
    assert too_much.json() == {
        "code": "insufficient_funds",
        "message": "You can withdraw at most €180.00.",
        "detail": {"available_cents": 18_000},
    }
    assert not_a_number.status_code == 400 and "amount_cents" in not_a_number.json()["detail"]
    assert made.status_code == 201 and made.json()["amount_cents"] == 5_000
    assert client.get(reverse("api-money-withdrawals")).json()["count"] == 1


def test_amounts_are_integer_cents_in_the_coops_currency_only(earner):
    payout_account_set(user=earner, iban=IBAN, holder_name="Ada", actor=earner)
    client = api(earner)
    major_units = client.post(reverse("api-money-withdrawal-request"), {"amount": "50.00"}, format="json")
    fraction = client.post(reverse("api-money-withdrawal-request"), {"amount_cents": "50.5"}, format="json")
    huge = client.post(reverse("api-money-withdrawal-request"), {"amount_cents": 10**30}, format="json")
    dollars = client.post(
        reverse("api-money-withdrawal-request"), {"amount_cents": 5_000, "currency": "USD"}, format="json"
    )
    euros = client.post(
        reverse("api-money-withdrawal-request"), {"amount_cents": 5_000, "currency": "eur"}, format="json"
    )

    assert major_units.status_code == 400 and major_units.json()["detail"] == {
        "amount_cents": ["This field is required."]
    }
    assert fraction.status_code == 400 and fraction.json()["detail"] == {
        "amount_cents": ["A valid integer is required."]
    }
    assert huge.json()["detail"] == {"amount_cents": ["Enter an amount in cents from 1 to 99999999."]}
    assert dollars.status_code == 400 and dollars.json()["detail"] == {"currency": ["Amounts are taken in EUR only."]}
    assert euros.status_code == 201 and euros.json()["currency"] == "EUR"
    assert Withdrawal.objects.count() == 1


def test_withdrawal_list_query_count_does_not_grow(earner, django_assert_num_queries):
    payout_account_set(user=earner, iban=IBAN, holder_name="Ada", actor=earner)
    client = api(earner)
    client.post(reverse("api-money-withdrawal-request"), {"amount_cents": 1_000}, format="json")
    with django_assert_num_queries(2):
        client.get(reverse("api-money-withdrawals"))
    for _ in range(4):
        client.post(reverse("api-money-withdrawal-request"), {"amount_cents": 1_000}, format="json")
    with django_assert_num_queries(2):
        client.get(reverse("api-money-withdrawals"))
    assert Withdrawal.objects.count() == 5


def test_finance_endpoints_are_staff_only(freelancer, staff):
    for name in [
        "api-finance-bank-payments",
        "api-finance-withdrawals",
        "api-finance-batches",
        "api-finance-trial-balance",
    ]:
        assert api(staff).get(reverse(name)).status_code == 200
        forbidden = api(freelancer).get(reverse(name))
        assert forbidden.status_code == 403 and forbidden.json()["code"] == "permission_denied"


def test_finance_records_a_payment_and_resolves_suspense(staff):
    client = api(staff)
    recorded = client.post(
        reverse("api-finance-bank-payment-record"),
        {"reference": "?", "amount_cents": 1_200, "received_on": timezone.localdate().isoformat()},
        format="json",
    )
    payment_id = recorded.json()["id"]
    refunded = client.post(reverse("api-finance-suspense-refund", args=[payment_id]))
    again = client.post(reverse("api-finance-suspense-refund", args=[payment_id]))
    bad = client.post(
        reverse("api-finance-bank-payment-record"),
        {"reference": "?", "amount_cents": -100, "received_on": "x"},
        format="json",
    )

    assert recorded.status_code == 201 and recorded.json()["status"] == "in_suspense"
    assert refunded.json()["status"] == "resolved"
    assert again.status_code == 409 and again.json()["message"] == "This payment has nothing left in suspense."
    assert bad.status_code == 400 and {"amount_cents", "received_on"} <= set(bad.json()["detail"])


def test_bank_payment_list_query_count_is_fixed(staff, django_assert_num_queries):
    bank_payment_record(reference="?", amount_cents=100, currency="EUR", received_on=timezone.localdate(), actor=None)
    client = api(staff)
    # The first request reads the caller's roles (finance is held through its group), kept on the user.
    client.get(reverse("api-finance-bank-payments"))
    with django_assert_num_queries(2):
        client.get(reverse("api-finance-bank-payments"))
    for i in range(5):
        bank_payment_record(
            reference=f"?{i}", amount_cents=100, currency="EUR", received_on=timezone.localdate(), actor=None
        )
    with django_assert_num_queries(2):
        client.get(reverse("api-finance-bank-payments"))
    assert BankPayment.objects.count() == 6


def test_batch_create_settle_and_fail_through_the_api(earner, staff, second_staff):
    payout_account_set(user=earner, iban=IBAN, holder_name="Ada", actor=earner)
    api(earner).post(reverse("api-money-withdrawal-request"), {"amount_cents": 2_000}, format="json")
    api(earner).post(reverse("api-money-withdrawal-request"), {"amount_cents": 3_000}, format="json")
    client = api(staff)
    batch = client.post(reverse("api-finance-batch-create"), {}, format="json").json()
    first, second = Withdrawal.objects.order_by("pk")

    failed = client.post(reverse("api-finance-withdrawal-fail", args=[first.pk]), {"reason": "Rejected"}, format="json")
    refused = client.post(reverse("api-finance-batch-settle", args=[batch["id"]]))
    settled = api(second_staff).post(reverse("api-finance-batch-settle", args=[batch["id"]]))
    empty = client.post(reverse("api-finance-batch-create"), {}, format="json")

    assert failed.json()["status"] == "failed", failed.json()
    assert refused.status_code == 403 and refused.json()["code"] == "batch_same_person"
    assert settled.json()["status"] == "settled"
    assert empty.status_code == 409 and empty.json()["message"] == "There are no requested withdrawals to pay."
    second.refresh_from_db()
    assert second.status == "settled"
    assert api(earner).get(reverse("api-money-balance")).json()["paid_out_cents"] == 3_000


def test_open_books_for_members_and_not_for_others(freelancer):
    member = MemberFactory()

    allowed = api(member.user).get(reverse("api-money-open-books"), {"year": 2026})
    forbidden = api(freelancer).get(reverse("api-money-open-books"))
    bad = api(member.user).get(reverse("api-money-open-books"), {"year": "1800"})

    assert allowed.status_code == 200 and allowed.json()["year"] == 2026
    assert forbidden.status_code == 403
    assert bad.status_code == 400


def test_payment_request_is_visible_to_its_payer_only(client_user, paid_calls):
    from payouts.payments import payment_request_create

    request = payment_request_create(
        payer=client_user, amount_cents=500, currency="EUR", purpose="test_purpose", purpose_ref="1", actor=None
    )
    url = reverse("api-money-payment-request", args=[request.reference])

    mine = api(client_user).get(url)
    theirs = api(UserFactory()).get(url)

    assert mine.json()["instructions"]["iban"] == "NL91 ABNA 0417 1643 00"
    assert theirs.status_code == 403


def test_every_money_endpoint_is_in_the_openapi_schema(staff):
    schema = api(staff).get(reverse("api-schema"), {"format": "json"}).content.decode()

    for path in [
        "/api/money/balance/",
        "/api/money/withdrawals/request/",
        "/api/money/finance/bank-payments/record/",
        "/api/money/finance/batches/{id}/settle/",
        "/api/money/open-books/",
    ]:
        assert path in schema


def test_the_schema_describes_amounts_as_integer_cents_with_a_currency(staff):
    schema = api(staff).get(reverse("api-schema"), {"format": "json"}).json()
    components = schema["components"]["schemas"]
    request = components["WithdrawalRequestInputRequest"]["properties"]
    balance = components["BalanceOutput"]["properties"]

    assert "fields named `<name>_cents`" in schema["info"]["description"]
    assert request["amount_cents"]["type"] == "integer" and "amount" not in request
    assert (request["amount_cents"]["minimum"], request["amount_cents"]["maximum"]) == (1, 99_999_999)
    assert request["amount_cents"]["description"].startswith("Integer minor units (cents)")
    assert request["currency"]["description"].startswith("ISO 4217 code")
    assert set(balance) == {
        "currency",
        "available_cents",
        "in_escrow_cents",
        "pending_withdrawal_cents",
        "paid_out_cents",
    }

"""Yearly statements add up to the ledger; DAC7 details gate the first payout; the DAC7 report is valid,
leaves out sellers below the de-minimis and is what a seller's page shows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any
from unittest import mock
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError, Conflict
from marketplace.models import BusinessDetails, Dac7Details, Dac7Report, Dac7ReportLine
from marketplace.selectors.tax import QuarterFigures, yearly_statement
from marketplace.services.dac7 import dac7_details_set, dac7_report_run, is_below_de_minimis
from marketplace.tax import dpi
from marketplace.tax.documents import statement_csv, statement_pdf
from marketplace.tax.errors import TaxErrorCode
from payouts import ledger
from payouts.models import Posting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1
ZONE = ZoneInfo(settings.TIME_ZONE)
NS = {"dpi": dpi.NS}


@contextmanager
def on(day: dt.date, hour: int = 12) -> Iterator[None]:
    """Post ledger events as if it were noon (by default) of `day` in the site's time zone."""
    with mock.patch("django.utils.timezone.now", return_value=dt.datetime.combine(day, dt.time(hour), tzinfo=ZONE)):
        yield


class Books:
    """Ledger events for one freelancer and one client, each milestone with its own contract id."""

    def __init__(self, freelancer: Any, client: Any) -> None:
        self.freelancer, self.client, self.next_id = freelancer, client, 800_000

    def release(self, day: dt.date, cents: int, *, hour: int = 12) -> int:
        self.next_id += 1
        milestone = self.next_id
        with on(day, hour):
            common = {"contract_id": milestone, "milestone_id": milestone, "currency": "EUR", "actor": None}
            ledger.escrow_fund(
                freelancer_id=self.freelancer.pk,
                client_id=self.client.pk,
                amount_cents=cents,
                provider="bank_transfer",
                **common,
            )
            ledger.escrow_release(
                freelancer_id=self.freelancer.pk, amount_cents=cents, fee_percent=Decimal("10"), **common
            )
        return milestone

    def settle(self, day: dt.date, release_cents: int, refund_cents: int) -> None:
        self.next_id += 1
        milestone = self.next_id
        with on(day):
            common = {"contract_id": milestone, "milestone_id": milestone, "currency": "EUR", "actor": None}
            ledger.escrow_fund(
                freelancer_id=self.freelancer.pk,
                client_id=self.client.pk,
                amount_cents=release_cents + refund_cents,
                provider="bank_transfer",
                **common,
            )
            ledger.dispute_settle(
                freelancer_id=self.freelancer.pk,
                client_id=self.client.pk,
                release_cents=release_cents,
                refund_cents=refund_cents,
                fee_percent=Decimal("10"),
                provider="bank_transfer",
                **common,
            )

    def reverse(self, day: dt.date, milestone: int) -> None:
        with on(day):
            ledger.release_reverse(milestone_id=milestone, actor=None, provider="bank_transfer")

    def withdraw(self, day: dt.date, cents: int, *, fail: bool = False) -> None:
        from payouts.models import Withdrawal

        self.next_id += 1
        with on(day):
            withdrawal = Withdrawal.objects.create(
                user=self.freelancer, amount_cents=cents, currency="EUR", iban="NL91ABNA0417164300", holder_name="X"
            )
            ledger.withdrawal_request(
                withdrawal_id=withdrawal.pk, user_id=self.freelancer.pk, amount_cents=cents, currency="EUR", actor=None
            )
        with on(day + dt.timedelta(days=1)):
            if fail:
                ledger.withdrawal_fail(withdrawal_id=withdrawal.pk, actor=None)
            else:
                ledger.withdrawal_settle(withdrawal_id=withdrawal.pk, provider="bank_transfer", actor=None)

    def profit_share(self, day: dt.date, cents: int) -> None:
        with on(day):
            ledger.batch_post(
                key=f"test:cycle:{day}:{self.freelancer.pk}",
                kind=ledger.PATRONAGE_CASH_KIND,
                legs=[
                    ledger.Leg(
                        ledger.account_get(purpose=ledger.AccountPurpose.FEE_INCOME, currency="EUR"),
                        ledger.account_get(
                            purpose=ledger.AccountPurpose.PAYABLE,
                            currency="EUR",
                            owner_type="user",
                            owner_id=self.freelancer.pk,
                            user_id=self.freelancer.pk,
                        ),
                        cents,
                    )
                ],
                actor=None,
            )


@pytest.fixture
def seller() -> Any:
    return UserFactory(is_freelancer=True, email="seller@example.org", display_name="Sam Seller")


@pytest.fixture
def books(seller: Any) -> Books:
    return Books(seller, UserFactory(is_client=True))


def _a_year_of_activity(books: Books) -> None:
    """Work before, during and after YEAR: releases in every quarter, a dispute, a reversal, payouts."""
    books.release(dt.date(YEAR - 1, 11, 3), 50_000)
    books.withdraw(dt.date(YEAR - 1, 12, 1), 20_000)
    # The last hour of the year (local time) is in the year; the first of the next is not.
    books.release(dt.date(YEAR, 1, 1), 12_345, hour=0)
    books.release(dt.date(YEAR, 3, 31), 100_000, hour=23)
    taken_back = books.release(dt.date(YEAR, 5, 14), 40_001)
    books.settle(dt.date(YEAR, 6, 2), 30_000, 10_000)
    books.reverse(dt.date(YEAR, 7, 20), taken_back)
    books.withdraw(dt.date(YEAR, 8, 1), 60_000)
    books.withdraw(dt.date(YEAR, 8, 10), 5_000, fail=True)
    books.profit_share(dt.date(YEAR, 9, 30), 1_234)
    books.release(dt.date(YEAR, 10, 9), 7_777)
    books.withdraw(dt.date(YEAR, 12, 31), 30_000)  # asked on the 31st, paid on 1 January: next year
    books.release(dt.date(YEAR + 1, 1, 1), 99_999, hour=0)


def _sum(postings: Any) -> int:
    return int(postings.aggregate(t=Sum("amount_cents"))["t"] or 0)


def test_the_yearly_statement_adds_up_exactly_to_the_freelancers_ledger_postings(books: Books, seller: Any) -> None:
    _a_year_of_activity(books)
    start = dt.datetime(YEAR, 1, 1, tzinfo=ZONE)
    end = dt.datetime(YEAR + 1, 1, 1, tzinfo=ZONE)
    statement = yearly_statement(user_id=seller.pk, year=YEAR)

    # Straight from the postings, without the statement's code.
    year = Posting.objects.filter(created_at__gte=start, created_at__lt=end)
    mine = Q(owner_type="user", owner_id=str(seller.pk))
    payable_in = year.filter(to_account__in=ledger.Account.objects.filter(mine, purpose="payable"))
    net = _sum(payable_in.filter(batch__kind__in=["escrow_release", "dispute_settle"])) - _sum(
        year.filter(
            from_account__in=ledger.Account.objects.filter(mine, purpose="payable"), batch__kind="release_reversal"
        )
    )
    seller_batches = year.filter(Q(from_account__beneficiary=seller) | Q(to_account__beneficiary=seller)).values(
        "batch_id"
    )
    fees = _sum(year.filter(batch__in=seller_batches, to_account__purpose="fee_income")) - _sum(
        year.filter(batch__in=seller_batches, from_account__purpose="fee_income")
    )
    payouts = _sum(year.filter(from_account__in=ledger.Account.objects.filter(mine), batch__kind="withdrawal_settle"))
    held = ledger.Account.objects.filter(mine, purpose__in=["payable", "payout_pending"])

    def held_before(moment: dt.datetime) -> int:
        before = Posting.objects.filter(created_at__lt=moment)
        return _sum(before.filter(to_account__in=held)) - _sum(before.filter(from_account__in=held))

    opening, closing = held_before(start), held_before(end)

    assert statement.net_cents == net
    assert statement.fees_cents == fees
    assert statement.income_cents == net + fees
    assert statement.payouts_cents == payouts
    assert statement.opening_cents == opening
    assert statement.closing_cents == closing
    assert statement.other_cents == 0
    assert (
        statement.opening_cents
        + statement.net_cents
        + statement.profit_share_cents
        + statement.other_cents
        - statement.payouts_cents
        == statement.closing_cents
    )
    # And by hand: 12,345 + 100,000 + 40,001 + 30,000 (the dispute's released part) + 7,777, less
    # the 40,001 taken back (with its fee); fees 10% by largest remainder per release.
    assert statement.income_cents == 150_122
    # (12,345 splits 11,110.5 / 1,234.5: the tie goes to the larger part, so the fee is 1,234.)
    assert statement.fees_cents == 1_234 + 10_000 + 3_000 + 778
    assert statement.payouts_cents == 60_000
    assert statement.profit_share_cents == 1_234
    assert statement.opening_cents == 50_000 - 5_000 - 20_000
    # The reversal lowers the quarter it was posted in.
    assert [q["income"] for q in statement.quarters()] == [112_345, 70_001, -40_001, 7_777]
    assert statement.milestones == 4


def test_the_statement_pdf_and_csv_carry_the_same_totals(books: Books, seller: Any) -> None:
    _a_year_of_activity(books)
    statement = yearly_statement(user_id=seller.pk, year=YEAR)
    rows = list(csv.reader(io.StringIO(statement_csv(statement, titles={}))))
    summary = {row[0]: row[1] for row in rows[1 : rows.index([])]}
    assert summary["Income from your work (what clients paid)"] == "1501.22"
    assert summary["Platform fees"] == "150.12"
    assert summary["Paid out to your bank account"] == "600.00"
    pdf = statement_pdf(statement, name="Sam Seller", titles={}, language="en")
    assert pdf.startswith(b"%PDF")


def test_statement_page_pdf_and_csv_in_english_and_dutch(client: Any, books: Books, seller: Any) -> None:
    _a_year_of_activity(books)
    client.force_login(seller)
    page = client.get(reverse("marketplace:tax-statement", args=[YEAR]))
    assert page.status_code == 200
    assert "€1,501.22" in page.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    dutch = client.get(reverse("marketplace:tax-statement", args=[YEAR]))
    text = dutch.content.decode()
    assert "Jaaroverzicht" in text and "1.501,22" in text
    pdf = client.get(reverse("marketplace:tax-statement-pdf", args=[YEAR]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    csv_response = client.get(reverse("marketplace:tax-statement-csv", args=[YEAR]))
    assert "Platformkosten" in csv_response.content.decode()
    assert client.get(reverse("marketplace:tax-statement", args=[1999])).status_code == 404


def test_the_statement_page_runs_the_same_queries_for_many_payments(client: Any, books: Books, seller: Any) -> None:
    books.release(dt.date(YEAR, 2, 1), 10_000)
    client.force_login(seller)
    url = reverse("marketplace:tax-statement", args=[YEAR])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for day in range(1, 29):
        books.release(dt.date(YEAR, 4, day), 1_000 + day)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def _business(user: Any, **values: Any) -> BusinessDetails:
    data = {
        "kind": "individual",
        "legal_name": "Sam Seller",
        "street": "Damrak 1",
        "postal_code": "1012 LG",
        "city": "Amsterdam",
        "country": "NL",
        "vat_scheme": "kor",
    }
    data.update(values)
    return BusinessDetails.objects.create(user=user, **data)


def _complete(user: Any) -> None:
    _business(user)
    dac7_details_set(
        user=user,
        actor=user,
        first_name="Sam",
        last_name="Seller",
        date_of_birth=dt.date(1985, 5, 6),
        tin="111222333",
        tin_country="NL",
    )


def _payout_account(user: Any) -> None:
    from payouts.payments.withdrawals import payout_account_set

    payout_account_set(user=user, iban="NL91ABNA0417164300", holder_name="Sam Seller", actor=user)


@pytest.fixture
def paid_seller(contract: Any, fund: Any, finance: Any) -> Any:
    """A freelancer paid for a milestone of 40,000 through the marketplace, with a payout account."""
    from marketplace.services.milestones import milestone_approve

    milestone = fund(contract.milestones.get(position=1), contract.client, finance)
    milestone_approve(milestone_id=milestone.pk, actor=contract.client)
    _payout_account(contract.freelancer)
    return contract.freelancer


def test_a_sellers_first_payout_is_refused_until_the_dac7_details_are_complete(paid_seller: Any) -> None:
    from payouts.payments.withdrawals import withdrawal_create

    seller = paid_seller
    with pytest.raises(Conflict) as refused:
        withdrawal_create(user=seller, amount_cents=2_000, actor=seller)
    assert refused.value.code == TaxErrorCode.DAC7_DETAILS_MISSING
    assert refused.value.detail["url"] == reverse("marketplace:tax-details")
    assert "tax identification number" in refused.value.message
    assert not seller.withdrawals.exists()
    _complete(seller)
    assert withdrawal_create(user=seller, amount_cents=2_000, actor=seller).amount_cents == 2_000


def test_someone_never_paid_for_a_milestone_is_paid_out_without_dac7_details() -> None:
    from payouts.payments.withdrawals import withdrawal_create

    member = UserFactory()
    ledger.income_record(
        amount_cents=5_000, currency="EUR", provider="bank_transfer", memo="A grant", actor=None, key="test:grant"
    )
    Books(member, UserFactory()).profit_share(timezone.localdate(), 5_000)
    _payout_account(member)
    assert withdrawal_create(user=member, amount_cents=2_000, actor=member).pk


def test_the_withdrawal_page_says_why_and_links_to_the_tax_details(client: Any, paid_seller: Any) -> None:
    client.force_login(paid_seller)
    response = client.post(reverse("payouts:withdrawal_request"), {"amount": "20"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "EU law (DAC7) asks us for your tax details" in text
    assert f'href="{reverse("marketplace:tax-details")}"' in text


def test_the_api_refuses_with_the_code_and_the_link(client: Any, paid_seller: Any) -> None:
    client.force_login(paid_seller)
    response = client.post("/api/money/withdrawals/request/", {"amount_cents": 2_000}, content_type="application/json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "dac7_details_missing"
    assert body["detail"]["url"] == "/tax/details/"


def test_the_tax_details_form_refuses_a_bad_dutch_tin_and_changes_nothing(client: Any, seller: Any) -> None:
    client.force_login(seller)
    data = {
        "first_name": "Sam",
        "last_name": "Seller",
        "date_of_birth": "1985-05-06",
        "tin": "123456789",
        "tin_country": "NL",
    }
    response = client.post(reverse("marketplace:tax-details"), data)
    assert response.status_code == 400
    assert "This is not a valid Dutch BSN or RSIN" in response.content.decode()
    assert not Dac7Details.objects.exists()
    response = client.post(reverse("marketplace:tax-details"), {**data, "tin": "111 222 333"})
    assert response.status_code == 302
    assert Dac7Details.objects.get(user=seller).tin == "111222333"


def test_a_birth_date_in_the_future_is_refused(seller: Any) -> None:
    with pytest.raises(ApplicationError) as refused:
        dac7_details_set(
            user=seller,
            actor=seller,
            first_name="Sam",
            last_name="Seller",
            date_of_birth=timezone.localdate() + dt.timedelta(days=1),
            tin="111222333",
            tin_country="NL",
        )
    assert refused.value.code == TaxErrorCode.BIRTH_DATE_INVALID


def test_nobody_sets_anothers_tax_details(seller: Any) -> None:
    other = UserFactory()
    with pytest.raises(ApplicationError):
        dac7_details_set(user=seller, actor=other, tin="111222333", tin_country="NL")
    assert not Dac7Details.objects.exists()


@pytest.mark.parametrize(
    ("activities", "consideration", "below"),
    [(29, 199_999, True), (30, 199_999, False), (29, 200_000, False), (1, 0, True)],
)
def test_the_de_minimis_leaves_out_fewer_than_30_sales_and_less_than_2000_euros(
    activities: int, consideration: int, below: bool
) -> None:
    figures = QuarterFigures(consideration_cents=[consideration, 0, 0, 0], activities=[activities, 0, 0, 0])
    assert is_below_de_minimis(figures) is below


def _seller_with_sales(cents: int, times: int = 1, *, entity: bool = False) -> Any:
    user = UserFactory(is_freelancer=True)
    books = Books(user, UserFactory())
    books.next_id = 700_000 + user.pk * 100
    for index in range(times):
        books.release(dt.date(YEAR, 1 + (index % 12), 10), cents)
    if entity:
        _business(user, kind="entity", legal_name="Seller B.V.", kvk_number="69599084")
        dac7_details_set(user=user, actor=user, tin="854000008", tin_country="NL")
    else:
        _complete(user)
    return user


def test_the_report_is_valid_names_reportable_sellers_and_records_what_it_said(tmp_path: Any) -> None:
    finance = UserFactory(is_staff=True, staff_roles=["finance"])
    person = _seller_with_sales(250_000)  # EUR 2,250 after fees: reportable
    business = _seller_with_sales(1_000, times=30, entity=True)  # 30 sales: reportable
    small = _seller_with_sales(100_000)  # EUR 900, one sale: left out
    out = tmp_path / "dac7.xml"
    call_command("dac7_report", str(YEAR), "--out", str(out), "--by", finance.email)

    document = out.read_bytes()
    assert dpi.validate(document) == []
    root = ET.fromstring(document)
    tins = [el.text for el in root.iterfind(".//dpi:ReportableSeller//dpi:TIN", NS)]
    assert tins == ["111222333", "854000008"]
    person_el = root.find(".//dpi:ReportableSeller", NS)
    assert person_el is not None
    assert person_el.find(".//dpi:BirthDate", NS).text == "1985-05-06"  # type: ignore[union-attr]
    assert person_el.find(".//dpi:ConsQ1", NS).text == "2250"  # type: ignore[union-attr]
    assert person_el.find(".//dpi:FeesQ1", NS).text == "250"  # type: ignore[union-attr]
    assert person_el.find(".//dpi:NumbQ1", NS).text == "1"  # type: ignore[union-attr]
    assert root.find(".//dpi:IN[@INType='BRN']", NS).text == "69599084"  # type: ignore[union-attr]

    report = Dac7Report.objects.get()
    assert report.year == YEAR and report.run_by == finance and report.excluded_count == 1
    assert report.xml.encode() == document
    assert sorted(report.lines.values_list("seller_id", flat=True)) == sorted([person.pk, business.pk])
    assert not Dac7ReportLine.objects.filter(seller=small).exists()
    line = report.lines.get(seller=business)
    assert line.activities_total == 30 and line.consideration_total == 27_000
    from membership.models import AccessLogEntry

    assert set(AccessLogEntry.objects.filter(accessor=finance).values_list("subject_id", flat=True)) == {
        person.pk,
        business.pk,
    }


def test_the_report_is_the_oecds_dpi_message_for_dac7() -> None:
    """The report's root and header are the OECD schema's own (DPI_OECD, DAC7), and the schema in
    use is the OECD's: another country's variant of the root (NAV's DPI_HU) is refused."""
    _seller_with_sales(250_000)
    _report, document, _plan = dac7_report_run(year=YEAR, actor=None)
    root = ET.fromstring(document)
    assert root.tag == f"{{{dpi.NS}}}DPI_OECD" and root.get("version") == "1.0"
    spec = root.find("dpi:MessageSpec", NS)
    assert spec is not None
    assert [spec.findtext(f"dpi:{tag}", namespaces=NS) for tag in ("TransmittingCountry", "ReceivingCountry")] == [
        "NL",
        "NL",
    ]
    assert spec.findtext("dpi:MessageType", namespaces=NS) == "DAC7"
    assert dpi.validate(document) == []
    variant = document.replace(b"dpi:DPI_OECD", b"dpi:DPI_HU")
    assert any("DPI_HU" in error for error in dpi.validate(variant))


def _foreign_business(user: Any) -> BusinessDetails:
    return _business(
        user,
        kind="entity",
        legal_name="Holzwerk GmbH",
        street="Torstra\u00dfe 5",
        postal_code="10119",
        city="Berlin",
        country="DE",
        vat_scheme="none",
    )


def test_a_business_outside_the_netherlands_must_give_its_registration_number() -> None:
    from marketplace.services.dac7 import dac7_missing

    user = UserFactory(is_freelancer=True)
    _foreign_business(user)
    with pytest.raises(ApplicationError) as refused:
        dac7_details_set(user=user, actor=user, tin="DE123456789", tin_country="DE")
    assert refused.value.code == TaxErrorCode.REGISTRATION_NUMBER_INVALID
    assert refused.value.message == (
        "Enter your business's registration number, as the business register of its country gives it."
    )
    with pytest.raises(ApplicationError) as refused:
        dac7_details_set(user=user, actor=user, tin="DE123456789", tin_country="DE", registration_number="HRB")
    assert refused.value.message.startswith("A business registration number has digits")
    assert not Dac7Details.objects.exists()
    assert "registration_number" in dac7_missing(user)

    details = dac7_details_set(
        user=user, actor=user, tin="DE123456789", tin_country="DE", registration_number=" hrb  12345 b "
    )
    assert (details.registration_number, details.registration_country) == ("HRB 12345 B", "DE")
    assert dac7_missing(user) == []


def test_a_dutch_business_registration_number_is_a_kvk_number() -> None:
    user = UserFactory(is_freelancer=True)
    _business(user, kind="entity", legal_name="Zonder KVK B.V.")  # its business details have no KVK number
    with pytest.raises(ApplicationError) as refused:
        dac7_details_set(user=user, actor=user, tin="854000008", tin_country="NL")
    assert refused.value.code == TaxErrorCode.REGISTRATION_NUMBER_INVALID
    with pytest.raises(ApplicationError) as refused:
        dac7_details_set(user=user, actor=user, tin="854000008", tin_country="NL", registration_number="1234")
    assert refused.value.message == "A Dutch business registration number is its KVK number: eight digits."
    details = dac7_details_set(
        user=user, actor=user, tin="854000008", tin_country="NL", registration_number="6959 9084"
    )
    assert (details.registration_number, details.registration_country) == ("69599084", "NL")


def test_the_report_names_a_foreign_business_by_its_registration_number_and_register(tmp_path: Any) -> None:
    user = UserFactory(is_freelancer=True)
    books = Books(user, UserFactory())
    books.next_id = 700_000 + user.pk * 100
    books.release(dt.date(YEAR, 3, 3), 300_000)
    _foreign_business(user)
    dac7_details_set(
        user=user,
        actor=user,
        tin="DE123456789",
        tin_country="DE",
        registration_number="HRB 12345 B",
        registration_country="DE",
    )
    report, document, _plan = dac7_report_run(year=YEAR, actor=None)
    assert dpi.validate(document) == []
    number = ET.fromstring(document).find(".//dpi:EntSellerID/dpi:IN", NS)
    assert number is not None
    assert (number.text, number.get("INType"), number.get("issuedBy")) == ("HRB 12345 B", "BRN", "DE")
    line = report.lines.get()
    assert (line.registration_number, line.registration_country) == ("HRB 12345 B", "DE")


def test_the_tax_details_form_asks_a_business_for_its_registration_number(client: Any) -> None:
    user = UserFactory(is_freelancer=True)
    _foreign_business(user)
    client.force_login(user)
    page = client.get(reverse("marketplace:tax-details")).content.decode()
    assert 'name="registration_number"' in page and "Business registration number" in page
    data = {"tin": "DE123456789", "tin_country": "DE", "registration_number": "", "registration_country": "DE"}
    response = client.post(reverse("marketplace:tax-details"), data)
    assert response.status_code == 400
    assert "Enter your business&#x27;s registration number" in response.content.decode()
    response = client.post(reverse("marketplace:tax-details"), {**data, "registration_number": "HRB 12345 B"})
    assert response.status_code == 302
    assert Dac7Details.objects.get(user=user).registration_number == "HRB 12345 B"


def test_a_report_that_would_not_validate_is_not_written(tmp_path: Any, settings: Any) -> None:
    _seller_with_sales(250_000)
    settings.DAC7_OPERATOR_COUNTRY = "ZZ"
    out = tmp_path / "dac7.xml"
    with pytest.raises(CommandError, match="does not match the DPI schema"):
        call_command("dac7_report", str(YEAR), "--out", str(out))
    assert not out.exists()
    assert not Dac7Report.objects.exists()


def test_a_reportable_seller_without_details_stops_the_report(tmp_path: Any) -> None:
    user = UserFactory(is_freelancer=True, email="nodetails@example.org")
    Books(user, UserFactory()).release(dt.date(YEAR, 5, 5), 300_000)
    with pytest.raises(ApplicationError) as refused:
        dac7_report_run(year=YEAR, actor=None)
    assert refused.value.code == TaxErrorCode.SELLERS_INCOMPLETE
    assert "nodetails@example.org" in refused.value.message


def test_only_finance_runs_the_report() -> None:
    with pytest.raises(ApplicationError):
        dac7_report_run(year=YEAR, actor=UserFactory())
    assert not Dac7Report.objects.exists()


def test_a_seller_sees_exactly_what_was_reported_about_them_in_english_and_dutch(client: Any) -> None:
    person = _seller_with_sales(250_000)
    other = _seller_with_sales(300_000)
    dac7_report_run(year=YEAR, actor=None)
    client.force_login(person)
    text = client.get(reverse("marketplace:tax-reported")).content.decode()
    assert f"Report for {YEAR}" in text
    assert "€2,250.00" in text and "€250.00" in text and "111222333" in text
    assert "€2,700.00" not in text  # the other seller's figures
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    dutch = client.get(reverse("marketplace:tax-reported")).content.decode()
    assert f"Melding over {YEAR}" in dutch and "2.250,00" in dutch
    client.force_login(other)
    assert "2.700,00" in client.get(reverse("marketplace:tax-reported")).content.decode()


def test_the_demo_years_report_validates_and_leaves_out_sellers_below_the_de_minimis(tmp_path: Any) -> None:
    """The issue's done-when check: `dac7_report` on the demo data."""
    call_command("seed_demo", stdout=io.StringIO())
    out = tmp_path / "demo.xml"
    call_command("dac7_report", str(timezone.localdate().year), "--out", str(out), stdout=io.StringIO())
    document = out.read_bytes()
    assert dpi.validate(document) == []
    report = Dac7Report.objects.get()
    reported = set(report.lines.values_list("seller__email", flat=True))
    assert "eva@example.org" in reported  # EUR 2,400 for the audit: EUR 2,160 after fees
    assert "farid@example.org" not in reported  # EUR 800 for the widget, one sale
    assert report.excluded_count >= 1
    assert b"Eva" in document and b"Farid" not in document


def test_deleting_the_account_removes_the_tax_details_and_keeps_what_was_reported() -> None:
    from membership.services import account_delete
    from payouts.payments.withdrawals import withdrawal_batch_create, withdrawal_batch_settle, withdrawal_create

    person = _seller_with_sales(250_000)
    _payout_account(person)
    withdrawal = withdrawal_create(user=person, amount_cents=225_000, actor=person)
    exporter, payer = (UserFactory(is_staff=True, staff_roles=["finance"]) for _ in range(2))
    batch = withdrawal_batch_create(actor=exporter, withdrawal_ids=[withdrawal.pk])
    withdrawal_batch_settle(batch_id=batch.pk, actor=payer)
    dac7_report_run(year=YEAR, actor=None)
    account_delete(user=person, actor=person)
    assert not Dac7Details.objects.filter(user_id=person.pk).exists()
    line = Dac7ReportLine.objects.get(seller_id=person.pk)
    assert line.tin == "111222333" and line.consideration_total == 225_000

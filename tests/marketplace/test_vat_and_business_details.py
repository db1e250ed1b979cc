"""VAT rules as data and the business details form's checks (python-stdnum), with their exact messages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from core.exceptions import ApplicationError
from core.money import split_vat_inclusive
from marketplace.exceptions import ErrorCode
from marketplace.models import BusinessDetails, VatRate
from marketplace.services.vat import vat_rate, vat_treatment
from tests.factories import UserFactory
from tests.marketplace.invoice_helpers import (
    BE_CLIENT,
    KOR_FREELANCER,
    NL_CLIENT,
    NL_FREELANCER,
    US_CLIENT,
    give_details,
)

pytestmark = pytest.mark.django_db


def test_a_rate_applies_from_its_start_date_until_the_day_before_its_end() -> None:
    assert vat_rate(country="DE", category="S", on=date(2020, 6, 30)) == Decimal("19.00")
    assert vat_rate(country="DE", category="S", on=date(2020, 7, 1)) == Decimal("16.00")
    assert vat_rate(country="DE", category="S", on=date(2021, 1, 1)) == Decimal("19.00")


def test_a_new_rate_row_changes_invoices_from_its_date() -> None:
    VatRate.objects.filter(country="NL", category="S", valid_until__isnull=True).update(valid_until=date(2030, 1, 1))
    VatRate.objects.create(country="NL", category="S", percent=Decimal("22"), valid_from=date(2030, 1, 1))
    assert vat_rate(country="NL", category="S", on=date(2029, 12, 31)) == Decimal("21.00")
    assert vat_rate(country="NL", category="S", on=date(2030, 1, 1)) == Decimal("22.00")


def test_a_country_without_rates_is_refused_with_a_message() -> None:
    with pytest.raises(ApplicationError) as refused:
        vat_rate(country="FR", category="S", on=date(2026, 1, 1))
    assert refused.value.code == ErrorCode.VAT_RATE_MISSING


@pytest.mark.parametrize(
    ("seller", "buyer", "category"),
    [
        (NL_FREELANCER, NL_CLIENT, "S"),
        (NL_FREELANCER, {**BE_CLIENT, "vat_scheme": "none", "vat_number": ""}, "S"),  # EU consumer: Dutch VAT
        (NL_FREELANCER, BE_CLIENT, "AE"),
        (NL_FREELANCER, US_CLIENT, "O"),
        (KOR_FREELANCER, BE_CLIENT, "E"),
    ],
)
def test_the_category_follows_the_parties_countries_and_status(
    seller: dict[str, str], buyer: dict[str, str], category: str
) -> None:
    assert vat_treatment(seller=seller, buyer=buyer, on=date(2026, 6, 1)).category == category


@pytest.mark.parametrize(
    ("gross", "percent", "net", "vat"),
    [(12_100, "21", 10_000, 2_100), (10_000, "21", 8_264, 1_736), (1, "21", 1, 0), (500, "9", 459, 41), (7, "0", 7, 0)],
)
def test_a_vat_inclusive_amount_splits_into_net_and_vat_that_add_up(
    gross: int, percent: str, net: int, vat: int
) -> None:
    assert split_vat_inclusive(gross, percent) == (net, vat)


def test_every_split_adds_up_and_stays_within_a_cent_of_net_times_rate() -> None:
    for gross in range(1, 5_000):
        net, vat = split_vat_inclusive(gross, "21")
        assert net + vat == gross
        assert abs(vat * 100 - net * 21) <= 100


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        ({"vat_number": "NL123456789B02"}, ErrorCode.VAT_NUMBER_INVALID, "This is not a valid EU VAT number"),
        ({"vat_number": "BE0403170701"}, ErrorCode.VAT_NUMBER_COUNTRY, "The VAT number must be one of the country"),
        ({"vat_number": "", "vat_scheme": "vat"}, ErrorCode.VAT_NUMBER_REQUIRED, "Registered for VAT"),
        ({"kvk_number": "1234567"}, ErrorCode.KVK_NUMBER_INVALID, "A KVK number has eight digits."),
        ({"country": "XX"}, ErrorCode.COUNTRY_INVALID, "Choose a country from the list."),
        ({"legal_name": "  "}, ErrorCode.LEGAL_NAME_BLANK, "Give the legal name"),
        ({"city": ""}, ErrorCode.ADDRESS_INCOMPLETE, "Give the full address"),
    ],
)
def test_bad_business_details_are_refused_with_a_clear_message_and_nothing_saved(
    change: dict[str, str], code: str, message: str
) -> None:
    user = UserFactory()
    with pytest.raises(ApplicationError) as refused:
        give_details(user, {**NL_FREELANCER, **change})
    assert refused.value.code == code
    assert str(refused.value.message).startswith(message)
    assert not BusinessDetails.objects.filter(user=user).exists()


def test_vat_and_kvk_numbers_are_stored_compact_and_consent_is_recorded_once() -> None:
    user = UserFactory()
    first = give_details(user, {**NL_FREELANCER, "vat_number": "nl 8537.46333.B01", "kvk_number": "8765 4321"})
    assert (first.vat_number, first.kvk_number) == ("NL853746333B01", "87654321")
    agreed = first.self_billing_consent_at
    assert agreed is not None
    again = give_details(user, {**NL_FREELANCER, "city": "Utrecht"}, consent=False)
    assert again.self_billing_consent_at == agreed and again.city == "Utrecht"


def test_self_billing_needs_a_vat_number(settings: Any) -> None:
    with pytest.raises(ApplicationError) as refused:
        give_details(UserFactory(), {**NL_CLIENT, "vat_scheme": "none"}, consent=True)
    assert refused.value.code == ErrorCode.VAT_NUMBER_REQUIRED

"""VAT rules as data: which category and rate a line carries, from the parties' countries and status.

The rates are rows (marketplace.VatRate, with validity dates); the choice of category is the table
below, applied in order, for a supply of services between a seller and a buyer:

1. Seller under the Dutch small-business scheme (KOR) or not registered: exempt (E), 0%
   (Wet OB 1968 art. 25; the invoice says no VAT is charged).
2. Buyer outside the EU: outside the scope of EU VAT (O) (place of supply is the buyer's country,
   VAT Directive 2006/112/EC art. 44).
3. Buyer a VAT-registered business in another EU country, both VAT numbers known: reverse charge
   (AE), 0% (art. 44 and 196: the buyer accounts for the VAT).
4. Otherwise: the seller country's standard rate (S) on the date of supply.

Reduced (AA) and zero (Z) rates are in the rate table for supplies that qualify; the coop's
services (freelance work and its fee) are standard-rated, so the rules above never pick them.
Amounts: see core.money.split_vat_inclusive (one rounding rule per line; totals are sums).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from core.money import split_vat_inclusive
from marketplace.exceptions import ErrorCode
from marketplace.models import VatCategory, VatRate

# The member states of the EU, by ISO 3166-1 alpha-2 code (Greece is GR here, EL in VAT numbers).
_EU = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"
EU_COUNTRIES = frozenset(_EU.split(" "))

# The notes EN 16931 asks for (BT-120, the exemption reason) on exempt, reverse-charged and
# out-of-scope lines. They are legal text on the document, in English in the XML; the PDF shows
# them in the reader's language (marketplace.invoicing.pdf).
EXEMPTION_NOTES = {
    VatCategory.EXEMPT: "Exempt from VAT: small-business scheme (KOR, art. 25 Wet OB 1968)",
    "not_registered": "No VAT charged: the seller is not registered for VAT",
    VatCategory.REVERSE_CHARGE: (
        "Reverse charge: VAT to be accounted for by the customer (art. 196 Directive 2006/112/EC)"
    ),
    VatCategory.OUTSIDE_SCOPE: (
        "Not subject to EU VAT: services to a customer outside the EU (art. 44 Directive 2006/112/EC)"
    ),
}


@dataclass(frozen=True, slots=True)
class VatTreatment:
    """A line's VAT category (UNCL 5305 code), rate and the note the document must carry."""

    category: str
    percent: Decimal
    note: str = ""

    def split(self, gross_cents: int) -> tuple[int, int]:
        """Return (net, VAT) of a VAT-inclusive amount under this treatment."""
        return split_vat_inclusive(gross_cents, self.percent)


# The rates migration 0017 seeds, for a database whose table was emptied (a test flush, a fresh
# SQLite file before migrations ran their data step): used only while no row exists for the country.
BUILT_IN_RATES: tuple[tuple[str, str, str, date, date | None], ...] = (
    ("NL", "S", "21.00", date(2012, 10, 1), None),
    ("NL", "AA", "9.00", date(2019, 1, 1), None),
    ("NL", "Z", "0.00", date(2000, 1, 1), None),
    ("BE", "S", "21.00", date(1996, 1, 1), None),
    ("DE", "S", "19.00", date(2007, 1, 1), date(2020, 7, 1)),
    ("DE", "S", "16.00", date(2020, 7, 1), date(2021, 1, 1)),
    ("DE", "S", "19.00", date(2021, 1, 1), None),
)


def _built_in_rate(*, country: str, category: str, on: date) -> Decimal | None:
    for row_country, row_category, percent, start, end in BUILT_IN_RATES:
        if (row_country, row_category) == (country, category) and start <= on and (end is None or on < end):
            return Decimal(percent)
    return None


def vat_rate(*, country: str, category: str, on: date) -> Decimal:
    """Return the rate of a country and category valid on a date; refuse if the coop has none."""
    rate = (
        VatRate.objects.filter(country=country, category=category, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=on))
        .order_by("-valid_from")
        .values_list("percent", flat=True)
        .first()
    )
    if rate is None and not VatRate.objects.filter(country=country).exists():
        rate = _built_in_rate(country=country, category=category, on=on)
    if rate is None:
        raise ApplicationError(
            _("There is no VAT rate for %(country)s on %(date)s; finance must add one.")
            % {"country": country, "date": on.isoformat()},
            code=ErrorCode.VAT_RATE_MISSING,
        )
    return Decimal(rate)


def vat_treatment(*, seller: Mapping[str, Any], buyer: Mapping[str, Any], on: date) -> VatTreatment:
    """Return the VAT treatment of a service from seller to buyer (party snapshots) on a date."""
    if seller.get("vat_scheme") == "kor":
        return VatTreatment(VatCategory.EXEMPT, Decimal("0"), EXEMPTION_NOTES[VatCategory.EXEMPT])
    if seller.get("vat_scheme") != "vat":
        return VatTreatment(VatCategory.EXEMPT, Decimal("0"), EXEMPTION_NOTES["not_registered"])
    if buyer["country"] not in EU_COUNTRIES:
        return VatTreatment(VatCategory.OUTSIDE_SCOPE, Decimal("0"), EXEMPTION_NOTES[VatCategory.OUTSIDE_SCOPE])
    if (
        buyer["country"] != seller["country"]
        and buyer.get("vat_scheme") == "vat"
        and buyer.get("vat_number")
        and seller.get("vat_number")
    ):
        return VatTreatment(VatCategory.REVERSE_CHARGE, Decimal("0"), EXEMPTION_NOTES[VatCategory.REVERSE_CHARGE])
    percent = vat_rate(country=seller["country"], category=VatCategory.STANDARD, on=on)
    return VatTreatment(VatCategory.STANDARD, percent)

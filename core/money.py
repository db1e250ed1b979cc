"""Money as integer minor units plus a currency, and exact splitting.

All rounding and splitting in the project happens here. Amounts are never floats; rates are
Decimal and are applied by `allocate`, so parts always add up to the whole.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache, lru_cache
from typing import TYPE_CHECKING, cast

from babel import Locale
from babel.numbers import format_currency, get_currency_precision, get_currency_symbol
from django.conf import settings
from django.utils import translation
from django.utils.functional import lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

Weight = int | Decimal | Fraction

# The largest amount one price, budget, milestone or payment may carry: 99,999,999 minor units
# (EUR 999,999.99). It is the most Stripe takes in one card charge (eight digits of minor units),
# so anything above could not be paid by card; it sits far below SEPA's 999,999,999.99 per
# transfer and the bigint columns, so a typo or a hostile number is refused with a message
# instead of overflowing.
MAX_AMOUNT_CENTS = 99_999_999


@cache
def babel_locale(language: str) -> Locale:
    """Return babel's Locale for a language code ("nl", "en-gb", "nl_NL"), parsed once per language.

    Handing babel a Locale instead of a code saves it parsing the code on every amount.
    """
    return Locale.parse(language.replace("-", "_"))


@lru_cache(maxsize=8192)
def _formatted(cents: int, currency: str, language: str) -> str:
    """An amount as babel writes it for a language; list pages show the same amounts again and again."""
    return format_currency(
        Decimal(cents).scaleb(-minor_unit_exponent(currency)), currency, locale=babel_locale(language)
    )


def minor_unit_exponent(currency: str) -> int:
    """Return how many decimal places the currency's minor unit has (EUR 2, JPY 0)."""
    return get_currency_precision(currency)


def default_currency() -> str:
    """Return the coop's currency (the COOP_CURRENCY setting): the one source of it in code."""
    currency: str = settings.COOP_CURRENCY
    return currency


def currency_label(text: str | StrPromise, currency: str | None = None) -> StrPromise:
    """Return text with `%(symbol)s` filled by the currency's symbol (the coop's by default), lazily.

    For form labels such as gettext_lazy("Amount (%(symbol)s)"): a label is made once, at import,
    so both the translation and the symbol are looked up each time it is shown, in the reader's
    language ("Amount (€)", "Bedrag (€)"; US dollars read "$" in English and "US$" in Dutch).
    """

    def render() -> str:
        locale = (translation.get_language() or "en").replace("-", "_")
        return str(text) % {"symbol": get_currency_symbol(currency or default_currency(), locale=babel_locale(locale))}

    return cast("StrPromise", lazy(render, str)())


@dataclass(frozen=True, slots=True, order=False)
class Money:
    """An amount in a currency's minor units (cents for EUR)."""

    cents: int
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.cents, bool) or not isinstance(self.cents, int):
            raise TypeError("Money.cents must be an int of minor units, never a float")
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise ValueError(f"Not an ISO 4217 currency code: {self.currency!r}")

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @classmethod
    def from_decimal(cls, amount: Decimal | str, currency: str) -> Money:
        """Return the money for a decimal amount in major units; refuse sub-cent precision."""
        value = Decimal(amount)
        scaled = value.scaleb(minor_unit_exponent(currency))
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{amount} has more decimals than {currency} allows")
        return cls(int(scaled), currency)

    def to_decimal(self) -> Decimal:
        return Decimal(self.cents).scaleb(-minor_unit_exponent(self.currency))

    def _check(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError("Money can only be combined with Money")
        if other.currency != self.currency:
            raise ValueError(f"Cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.cents + other.cents, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.cents - other.cents, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.cents, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._check(other)
        return self.cents < other.cents

    def __le__(self, other: Money) -> bool:
        self._check(other)
        return self.cents <= other.cents

    def __gt__(self, other: Money) -> bool:
        self._check(other)
        return self.cents > other.cents

    def __ge__(self, other: Money) -> bool:
        self._check(other)
        return self.cents >= other.cents

    def format(self, locale: str | None = None) -> str:
        """Return the amount formatted for a locale (the active language by default)."""
        return _formatted(self.cents, self.currency, locale or translation.get_language() or "en")

    def __str__(self) -> str:
        return self.format()

    def allocate(self, weights: Sequence[Weight]) -> list[Money]:
        return [Money(part, self.currency) for part in allocate(self.cents, weights)]


def cents_to_major(cents: int, currency: str | None = None) -> Decimal:
    """Return minor units as an exact Decimal in major units (1250 EUR cents -> Decimal("12.50")).

    For form initial values and plain-text amounts that people edit and send back; amounts shown
    to readers go through Money.format, which follows their language.
    """
    return Money(cents, currency or default_currency()).to_decimal()


def major_to_cents(amount: Decimal | str, currency: str | None = None) -> int:
    """Return a Decimal amount in major units as exact minor units; refuse sub-unit precision."""
    return Money.from_decimal(amount, currency or default_currency()).cents


def scale_weights(weights: Iterable[Weight]) -> tuple[int, list[int]]:
    """Return a common denominator and the weights as whole numbers over it, exactly.

    The ratios, and so every floor, remainder and tie-break order, stay exactly the same, and the
    rest is integer arithmetic: about ten times faster than comparing Fractions, which matters
    for 10,000-member payout cycles. Whole-number weights (cents, days, 1) are taken as they are.
    """
    values = list(weights)
    if all(type(w) is int for w in values):
        return 1, [int(w) for w in values]
    fractions = [Fraction(w) for w in values]
    denominator = math.lcm(*(w.denominator for w in fractions))
    return denominator, [w.numerator * (denominator // w.denominator) for w in fractions]


def allocate(total: int, weights: Sequence[Weight]) -> list[int]:
    """Split `total` minor units in proportion to `weights` by the largest-remainder method.

    Each part first gets floor(total * w / W); the units left over go one each to the parts
    with the largest fractional remainders. Ties go to the larger weight, then to the part
    listed first. The parts always sum to `total` exactly.
    """
    if isinstance(total, bool) or not isinstance(total, int):
        raise TypeError("allocate() needs an int total of minor units")
    if total < 0:
        return [-part for part in allocate(-total, weights)]
    if not weights:
        raise ValueError("allocate() needs at least one weight")
    scaled = scale_weights(weights)[1]
    if min(scaled) < 0:
        raise ValueError("allocate() weights must not be negative")
    whole = sum(scaled)
    if whole == 0:
        raise ValueError("allocate() needs at least one positive weight")
    parts: list[int] = []
    remainders: list[int] = []
    for weight in scaled:
        part, remainder = divmod(total * weight, whole)
        parts.append(part)
        remainders.append(remainder)
    leftover = total - sum(parts)
    # Largest remainder first; ties to the larger weight, then to the first listed. Sorting
    # tuples directly is faster than a key function over 10,000 entries.
    order = sorted(zip((-r for r in remainders), (-w for w in scaled), range(len(parts)), strict=True))
    for _remainder, _weight, i in order[:leftover]:
        parts[i] += 1
    return parts


def percent_of(total: int, percent: Decimal | str, *, round_up: bool = False) -> int:
    """Return percent% of total minor units, rounded down (or up), exactly."""
    return percent_taker(percent, round_up=round_up)(total)


def percent_taker(percent: Decimal | str, *, round_up: bool = False) -> Callable[[int], int]:
    """Return a function taking percent% of a total, as `percent_of` does, for many totals.

    The percent's exact ratio is worked out once: a payout cycle takes the cash part of 10,000
    members' shares, where converting the percent for each one would cost more than the rest.
    """
    numerator, denominator = Decimal(percent).as_integer_ratio()
    whole = denominator * 100
    if round_up:
        return lambda total: -(-total * numerator // whole)
    return lambda total: total * numerator // whole


def percent_share(part_cents: int, whole_cents: int) -> int:
    """Return part as a whole percent of whole, to the nearest (ties to even), exactly; 0 of nothing.

    For showing shares of a total (where each fee euro went); it decides no amount.
    """
    if whole_cents == 0:
        return 0
    return round(Fraction(part_cents * 100, whole_cents))


def prorate(amount_cents: int, numerator: int, denominator: int) -> int:
    """Return amount_cents * numerator / denominator, rounded down to a whole minor unit, exactly.

    For a part of a whole priced by the whole: minutes of an hourly rate (numerator minutes over
    60), days of a month. Rounding down keeps any fraction of a cent with the payer, never the
    payee or the platform. Integers only, so no float or Decimal context can shift the result.
    """
    for value in (amount_cents, numerator, denominator):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("prorate() needs int amounts, numerators and denominators")
    if denominator <= 0:
        raise ValueError("prorate() needs a positive denominator")
    return amount_cents * numerator // denominator


def split_vat_inclusive(gross_cents: int, percent: Decimal | str) -> tuple[int, int]:
    """Return (net, VAT) of a VAT-inclusive amount at `percent`, exactly: net + VAT == gross.

    The rounding rule of every invoice line (issue 15): net = gross x 100 / (100 + rate), rounded
    half up to a whole minor unit; VAT = gross - net. So what the client paid and the ledger moved
    is the line's total to the cent, and the VAT differs from net x rate by less than one cent
    (EN 16931 rule BR-CO-17 allows one). Documents add up lines, never re-round a total.
    """
    if isinstance(gross_cents, bool) or not isinstance(gross_cents, int):
        raise TypeError("split_vat_inclusive() needs an int amount of minor units")
    rate = Fraction(Decimal(percent))
    if rate < 0:
        raise ValueError("A VAT rate is not negative")
    if rate == 0:
        return gross_cents, 0
    exact = Fraction(gross_cents * 100) / (100 + rate)
    net = math.floor(exact + Fraction(1, 2))
    return net, gross_cents - net

"""The surplus policy: what the allocation engine splits, and the checks a policy must pass.

A policy is validated when it is built, so every `SurplusPolicy` that exists can be allocated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from babel.numbers import is_currency
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError

Weight = int | Decimal | Fraction

# Bounds that keep the exact arithmetic cheap: a hostile "1e-999999999" would otherwise turn into a
# Fraction with a billion-digit denominator. The cents bound is PostgreSQL's bigint, where the
# ledger will hold these amounts.
MAX_CENTS = 2**63 - 1
MAX_WEIGHT = 10**18
MAX_WEIGHT_DECIMALS = 18
MAX_PERCENT_DECIMALS = 8
HUNDRED = Decimal(100)


class InvalidPolicy(ApplicationError):
    """A surplus policy that cannot be allocated; `detail["field"]` says where the problem is."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message, code="invalid_surplus_policy", detail={"field": field})
        self.field = field


def _decimal(value: object, label: str, field: str) -> Decimal:
    # Floats are refused rather than converted: 0.1 has no exact binary value, and a share of the
    # surplus must not depend on how a number happened to be typed.
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise InvalidPolicy(
            _("%(label)s must be an integer or a decimal number, got %(value)r.") % {"label": label, "value": value},
            field=field,
        )
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise InvalidPolicy(
            _("%(label)s must be a number, got %(value)r.") % {"label": label, "value": value}, field=field
        ) from None
    if not number.is_finite():
        raise InvalidPolicy(
            _("%(label)s must be a finite number, got %(value)s.") % {"label": label, "value": value}, field=field
        )
    return number


def _decimal_places(number: Decimal) -> int:
    return max(0, -int(number.as_tuple().exponent))


def _percent(value: object, label: str, field: str) -> Decimal:
    number = _decimal(value, label, field)
    if not 0 <= number <= HUNDRED:
        raise InvalidPolicy(
            _("%(label)s must be between 0 and 100, got %(value)s.") % {"label": label, "value": number}, field=field
        )
    if _decimal_places(number) > MAX_PERCENT_DECIMALS:
        raise InvalidPolicy(
            _("%(label)s has more than %(places)d decimal places.") % {"label": label, "places": MAX_PERCENT_DECIMALS},
            field=field,
        )
    return number


def _weight(value: object, label: str, field: str) -> Weight:
    number: Weight
    if isinstance(value, Fraction):
        number, too_fine = value, value.denominator > MAX_WEIGHT
    elif isinstance(value, int) and not isinstance(value, bool):
        number, too_fine = value, False
    else:
        number = _decimal(value, label, field)
        too_fine = _decimal_places(number) > MAX_WEIGHT_DECIMALS
    if number <= 0:
        raise InvalidPolicy(
            _("%(label)s must be positive, got %(value)s; leave out members with no basis in this class.")
            % {"label": label, "value": number},
            field=field,
        )
    if number >= MAX_WEIGHT or too_fine:
        raise InvalidPolicy(
            _("%(label)s is out of range: weights must be below 10^18, with at most 18 decimal places.")
            % {"label": label},
            field=field,
        )
    return number


def _name(value: object, label: str, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidPolicy(
            _("%(label)s must be a non-empty string, got %(value)r.") % {"label": label, "value": value}, field=field
        )
    return value


def _check_unique(names: list[str], label: str, field: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InvalidPolicy(
                _('%(label)s "%(name)s" is listed twice.') % {"label": label, "name": name}, field=field
            )
        seen.add(name)


@dataclass(frozen=True, slots=True)
class Fund:
    """A named fund (reserve, education, solidarity) that takes `percent` of the distributable amount."""

    name: str
    percent: Decimal

    def __post_init__(self) -> None:
        name = _name(self.name, "The name of a fund", "funds")
        object.__setattr__(self, "percent", _percent(self.percent, f'The percent of fund "{name}"', f"funds.{name}"))


@dataclass(frozen=True, slots=True)
class PatronageClass:
    """A patronage class: `percent` of the pool, shared among members in proportion to `weights`.

    `weights` maps member ids to their basis (fees generated, hours, years, 1 for equal shares). Its
    order matters only for the tie-break: of two members with the same weight, the one listed first
    gets the leftover cent.
    """

    name: str
    percent: Decimal
    weights: Mapping[str, Weight]

    def __post_init__(self) -> None:
        name = _name(self.name, "The name of a class", "classes")
        field = f"classes.{name}"
        object.__setattr__(self, "percent", _percent(self.percent, f'The percent of class "{name}"', field))
        if not isinstance(self.weights, Mapping):
            raise InvalidPolicy(
                _('The weights of class "%(name)s" must map member ids to numbers.') % {"name": name},
                field=f"{field}.weights",
            )
        if not self.weights:
            raise InvalidPolicy(
                _('Class "%(name)s" has no members: leave the class out or give it members.') % {"name": name},
                field=f"{field}.weights",
            )
        checked: dict[str, Weight] = {}
        for member_id, weight in self.weights.items():
            if not isinstance(member_id, str) or not member_id.strip():
                raise InvalidPolicy(
                    _('Class "%(name)s" has the member id %(id)r; member ids must be non-empty strings.')
                    % {"name": name, "id": member_id},
                    field=f"{field}.weights",
                )
            if type(weight) is int and 0 < weight < MAX_WEIGHT:
                # A whole number in range, as every ledger basis is: nothing to convert, and no
                # error label to build for each of a cycle's 35,000 weights.
                checked[member_id] = weight
                continue
            label = f'The weight of member "{member_id}" in class "{name}"'
            checked[member_id] = _weight(weight, label, f"{field}.weights.{member_id}")
        object.__setattr__(self, "weights", MappingProxyType(checked))


@dataclass(frozen=True, slots=True)
class SurplusPolicy:
    """How a period's distributable surplus is split into funds, patronage classes and members."""

    currency: str
    distributable_cents: int
    funds: tuple[Fund, ...]
    classes: tuple[PatronageClass, ...]
    min_cash_percent: Decimal

    def __post_init__(self) -> None:
        if not isinstance(self.currency, str) or len(self.currency) != 3 or not is_currency(self.currency):
            raise InvalidPolicy(
                _("The currency must be an ISO 4217 code such as EUR, got %(value)r.") % {"value": self.currency},
                field="currency",
            )
        cents = self.distributable_cents
        if isinstance(cents, bool) or not isinstance(cents, int) or not 0 <= cents <= MAX_CENTS:
            raise InvalidPolicy(
                _("distributable_cents must be a whole number of cents from 0 to %(max)d, got %(value)r.")
                % {"max": MAX_CENTS, "value": cents},
                field="distributable_cents",
            )
        label = "min_cash_percent"
        object.__setattr__(self, "min_cash_percent", _percent(self.min_cash_percent, label, label))
        object.__setattr__(self, "funds", tuple(self.funds))
        object.__setattr__(self, "classes", tuple(self.classes))
        if not all(isinstance(fund, Fund) for fund in self.funds):
            raise InvalidPolicy(_("The funds must be Fund entries."), field="funds")
        if not all(isinstance(cls, PatronageClass) for cls in self.classes):
            raise InvalidPolicy(_("The classes must be PatronageClass entries."), field="classes")
        _check_unique([fund.name for fund in self.funds], "Fund", "funds")
        if self.funds_percent > HUNDRED:
            raise InvalidPolicy(
                _("The funds take %(total)s%% together, more than 100%%.") % {"total": self.funds_percent},
                field="funds",
            )
        if not self.classes:
            raise InvalidPolicy(_("A policy needs at least one patronage class."), field="classes")
        _check_unique([cls.name for cls in self.classes], "Class", "classes")
        total = sum((cls.percent for cls in self.classes), Decimal(0))
        if total != HUNDRED:
            raise InvalidPolicy(
                _("The class percentages must add up to 100; they add up to %(total)s.") % {"total": total},
                field="classes",
            )

    @property
    def funds_percent(self) -> Decimal:
        """Return the share of the distributable amount that goes to the funds together."""
        return sum((fund.percent for fund in self.funds), Decimal(0))

    @property
    def pool_percent(self) -> Decimal:
        """Return the share left for the patronage pool once the funds have theirs."""
        return HUNDRED - self.funds_percent


POLICY_KEYS = {"currency", "distributable_cents", "funds", "classes", "min_cash_percent"}
FUND_KEYS = {"name", "percent"}
CLASS_KEYS = {"name", "percent", "weights"}


# Decoded JSON: the values stay Any here because Fund, PatronageClass and SurplusPolicy check each
# one when they are built.
def _object(value: object, keys: set[str], field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidPolicy(_("%(field)s must be a JSON object.") % {"field": field}, field=field)
    missing = sorted(keys - value.keys())
    if missing:
        raise InvalidPolicy(
            _("%(field)s is missing %(keys)s.") % {"field": field, "keys": ", ".join(missing)}, field=field
        )
    unknown = sorted(str(key) for key in value.keys() - keys)
    if unknown:
        raise InvalidPolicy(
            _("%(field)s has unknown keys %(keys)s; the allowed keys are %(allowed)s.")
            % {"field": field, "keys": ", ".join(unknown), "allowed": ", ".join(sorted(keys))},
            field=field,
        )
    return value


def _list(value: object, field: str) -> list[Any]:
    if not isinstance(value, list):
        raise InvalidPolicy(_("%(field)s must be a JSON list.") % {"field": field}, field=field)
    return value


def parse_surplus_policy(data: object) -> SurplusPolicy:
    """Return the policy described by decoded JSON (issue 7's POLICY.json shape), or raise InvalidPolicy.

    Decode with `parse_float=Decimal` so that fractional weights and percents stay exact.
    """
    top = _object(data, POLICY_KEYS, "the policy")
    funds = []
    for index, raw in enumerate(_list(top["funds"], "funds")):
        fund = _object(raw, FUND_KEYS, f"funds[{index}]")
        funds.append(Fund(name=fund["name"], percent=fund["percent"]))
    classes = []
    for index, raw in enumerate(_list(top["classes"], "classes")):
        cls = _object(raw, CLASS_KEYS, f"classes[{index}]")
        classes.append(PatronageClass(name=cls["name"], percent=cls["percent"], weights=cls["weights"]))
    return SurplusPolicy(
        currency=top["currency"],
        distributable_cents=top["distributable_cents"],
        funds=tuple(funds),
        classes=tuple(classes),
        min_cash_percent=top["min_cash_percent"],
    )

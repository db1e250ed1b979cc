"""A member's statement: every input and step that produced their share, to the cent.

Statements point at the inputs and the results of each split; the exact fractions, the floors and
the rounding are derived on demand, so building 10,000 statements costs no extra arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import TypedDict

from core.money import scale_weights
from payouts.allocation.policy import HUNDRED, Weight


def exact_text(value: Fraction | Weight) -> str:
    """Return an exact number as text: "3", "2.5" or "1650/2447", never in exponent notation."""
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


# A class step as JSON-ready data; exact numbers are text. Written as a call: "class" is a keyword.
ClassStepData = TypedDict(
    "ClassStepData",
    {
        "class": str,
        "class_percent": str,
        "class_pot_exact_cents": str,
        "class_pot_cents": int,
        "basis_weight": str,
        "class_weight_total": str,
        "fraction": str,
        "exact_cents": str,
        "floor_cents": int,
        "rounding_cents": int,
        "class_leftover_cents": int,
        "allocated_cents": int,
    },
)


class MemberStatementData(TypedDict):
    """A member's statement as JSON-ready data; exact numbers are text."""

    member: str
    currency: str
    distributable_cents: int
    pool_percent: str
    patronage_pool_exact_cents: str
    patronage_pool_cents: int
    classes: list[ClassStepData]
    allocated_cents: int
    cash_rule: str
    min_cash_percent: str
    cash_exact_cents: str
    cash_cents: int
    retained_cents: int


@dataclass(frozen=True)
class ClassSplit:
    """A class's pot and how it was split among the class's members by weight."""

    name: str
    percent: Decimal
    patronage_pool_cents: int
    pot_cents: int
    weights: Mapping[str, Weight]
    parts: Mapping[str, int]

    @cached_property
    def pot_exact_cents(self) -> Fraction:
        """Return the class's part of the pool before the largest-remainder rounding."""
        return self.patronage_pool_cents * Fraction(self.percent) / Fraction(HUNDRED)

    @cached_property
    def _scaled_weights(self) -> tuple[int, list[int]]:
        """Return a common denominator and the weights as whole numbers over it (core.money)."""
        return scale_weights(self.weights.values())

    @cached_property
    def weight_total(self) -> Fraction:
        """Return the sum of the class's weights, exactly."""
        denominator, scaled = self._scaled_weights
        return Fraction(sum(scaled), denominator)

    @cached_property
    def leftover_cents(self) -> int:
        """Return how many cents went out one each by largest remainder after every floor."""
        _denominator, scaled = self._scaled_weights
        whole = sum(scaled)
        return self.pot_cents - sum(self.pot_cents * weight // whole for weight in scaled)


@dataclass(frozen=True, slots=True)
class ClassStep:
    """One patronage class's part of a member's share: the class pot split by weight."""

    split: ClassSplit
    member_id: str

    @property
    def basis_weight(self) -> Weight:
        """Return the member's weight in the class (their basis: fees, hours, years, 1)."""
        return self.split.weights[self.member_id]

    @property
    def allocated_cents(self) -> int:
        """Return what the member got from this class."""
        return self.split.parts[self.member_id]

    @property
    def fraction(self) -> Fraction:
        """Return the member's exact share of the class pot: their weight over the class's total."""
        return Fraction(self.basis_weight) / self.split.weight_total

    @property
    def exact_cents(self) -> Fraction:
        """Return the member's part before rounding: pot x fraction, exactly."""
        return self.split.pot_cents * self.fraction

    @property
    def floor_cents(self) -> int:
        """Return the exact part rounded down, what every member gets before the leftover cents."""
        return math.floor(self.exact_cents)

    @property
    def rounding_cents(self) -> int:
        """Return the leftover cent the member got by largest remainder (0 or 1)."""
        return self.allocated_cents - self.floor_cents

    def as_dict(self) -> ClassStepData:
        """Return the step as JSON-ready data; exact numbers are strings so nothing is rounded."""
        split = self.split
        return {
            "class": split.name,
            "class_percent": exact_text(split.percent),
            "class_pot_exact_cents": exact_text(split.pot_exact_cents),
            "class_pot_cents": split.pot_cents,
            "basis_weight": exact_text(self.basis_weight),
            "class_weight_total": exact_text(split.weight_total),
            "fraction": exact_text(self.fraction),
            "exact_cents": exact_text(self.exact_cents),
            "floor_cents": self.floor_cents,
            "rounding_cents": self.rounding_cents,
            # The cents the class handed out one each, to the largest remainders (ties: the larger
            # weight, then the member listed first), so a reader can see why theirs was rounded up.
            "class_leftover_cents": split.leftover_cents,
            "allocated_cents": self.allocated_cents,
        }


@dataclass(frozen=True, slots=True)
class MemberStatement:
    """How one member's share was computed: the pool, each class step, the sum and the cash rule."""

    member_id: str
    currency: str
    distributable_cents: int
    pool_percent: Decimal
    patronage_pool_cents: int
    steps: tuple[ClassStep, ...]
    allocated_cents: int
    min_cash_percent: Decimal
    cash_cents: int
    retained_cents: int

    @property
    def patronage_pool_exact_cents(self) -> Fraction:
        """Return the pool's part of the distributable amount before the largest-remainder rounding."""
        return self.distributable_cents * Fraction(self.pool_percent) / Fraction(HUNDRED)

    @property
    def cash_exact_cents(self) -> Fraction:
        """Return the cash floor before rounding up: total x min_cash_percent / 100."""
        return self.allocated_cents * Fraction(self.min_cash_percent) / Fraction(HUNDRED)

    def as_dict(self) -> MemberStatementData:
        """Return the statement as JSON-ready data, in the order a reader follows the computation."""
        return {
            "member": self.member_id,
            "currency": self.currency,
            "distributable_cents": self.distributable_cents,
            "pool_percent": exact_text(self.pool_percent),
            "patronage_pool_exact_cents": exact_text(self.patronage_pool_exact_cents),
            "patronage_pool_cents": self.patronage_pool_cents,
            "classes": [step.as_dict() for step in self.steps],
            "allocated_cents": self.allocated_cents,
            "cash_rule": "ceil(allocated_cents * min_cash_percent / 100)",
            "min_cash_percent": exact_text(self.min_cash_percent),
            "cash_exact_cents": exact_text(self.cash_exact_cents),
            "cash_cents": self.cash_cents,
            "retained_cents": self.retained_cents,
        }

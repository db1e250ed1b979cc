import json
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.money import Money, allocate, percent_of, prorate
from tests.data import PAYOUTS

SHARED = PAYOUTS


def rounding_cases() -> list[dict]:
    path = SHARED / "payout_rounding_library_cases.json"
    if not path.exists():
        pytest.fail(f"the reference cases are missing: {path}")
    return json.loads(path.read_text())["cases"]


@pytest.mark.parametrize("case", rounding_cases(), ids=lambda c: c["id"])
def test_allocate_matches_published_largest_remainder_cases(case: dict) -> None:
    assert allocate(case["total"], case["weights"]) == case["hamilton_expected"]


def test_allocate_gives_tied_remainders_to_larger_weight_then_first_listed() -> None:
    assert allocate(5, [30, 70]) == [1, 4]
    assert allocate(5, [70, 30]) == [4, 1]
    assert allocate(2, [1, 1, 1]) == [1, 1, 0]


def test_allocate_refuses_float_totals_and_empty_or_zero_weights() -> None:
    with pytest.raises(TypeError):
        allocate(10.0, [1, 1])  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        allocate(10, [])
    with pytest.raises(ValueError):
        allocate(10, [0, 0])
    with pytest.raises(ValueError):
        allocate(10, [1, -1])


@given(
    total=st.integers(min_value=-(10**12), max_value=10**12),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30).filter(any),
)
def test_allocate_parts_always_sum_to_the_whole(total: int, weights: list[int]) -> None:
    parts = allocate(total, weights)
    assert sum(parts) == total
    assert len(parts) == len(weights)
    whole = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        # Every part is within one unit of its exact share.
        assert abs(part * whole - total * weight) < whole
        if weight == 0:
            assert part == 0


def test_money_refuses_floats_and_mixed_currencies() -> None:
    with pytest.raises(TypeError):
        Money(10.5, "EUR")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Money(100, "EUR") + Money(100, "USD")
    with pytest.raises(ValueError):
        Money(1, "eur")
    assert Money(150, "EUR") + Money(50, "EUR") == Money(200, "EUR")


def test_money_from_decimal_respects_the_currency_minor_unit() -> None:
    assert Money.from_decimal("12.34", "EUR") == Money(1234, "EUR")
    assert Money.from_decimal("1234", "JPY") == Money(1234, "JPY")
    with pytest.raises(ValueError):
        Money.from_decimal("0.001", "EUR")
    with pytest.raises(ValueError):
        Money.from_decimal("1.5", "JPY")


def test_money_is_formatted_for_the_active_language() -> None:
    amount = Money(123456, "EUR")
    with translation.override("en"):
        assert amount.format() == "€1,234.56"
    with translation.override("nl"):
        assert amount.format() == "€\xa01.234,56"


def test_percent_of_rounds_down_or_up_exactly() -> None:
    assert percent_of(33333, Decimal("20")) == 6666
    assert percent_of(33333, Decimal("20"), round_up=True) == 6667
    assert percent_of(1, "20", round_up=True) == 1


def test_prorate_rounds_down_to_the_cent_exactly() -> None:
    # 7,777 cents an hour for 61 minutes is 7,906.61... cents: the fraction stays with the payer.
    assert prorate(7_777, 61, 60) == 7_906
    assert prorate(6_000, 90, 60) == 9_000
    assert prorate(1, 59, 60) == 0
    # Exact beyond float precision: a float product would lose the last digits here.
    assert prorate(10**18 + 1, 3, 1) == 3 * 10**18 + 3


def test_prorate_refuses_floats_and_a_zero_denominator() -> None:
    with pytest.raises(TypeError):
        prorate(100.0, 1, 2)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        prorate(100, 1, 2.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        prorate(100, 1, 0)


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=10**6), st.integers(1, 10**6))
def test_prorate_is_the_floor_of_the_exact_fraction(amount: int, numerator: int, denominator: int) -> None:
    part = prorate(amount, numerator, denominator)
    assert part <= Fraction(amount * numerator, denominator) < part + 1

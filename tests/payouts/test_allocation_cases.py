"""The reference cases in tests/data/payouts/, reproduced exactly."""

import json
from decimal import Decimal
from typing import Any

import pytest

from core.money import allocate
from payouts.allocation import InvalidPolicy, PatronageClass, SurplusPolicy, allocate_surplus, parse_surplus_policy
from tests.data import PAYOUTS

CASES = PAYOUTS
POLICY_CASES = sorted(path.name.removesuffix(".policy.json") for path in CASES.glob("*.policy.json"))


def load(name: str) -> Any:
    return json.loads((CASES / name).read_text(encoding="utf-8"), parse_float=Decimal)


def rounding_cases() -> list[dict[str, Any]]:
    return load("payout_rounding_library_cases.json")["cases"]


def cash_rule_cases() -> list[dict[str, Any]]:
    return load("payout_irs_20pct_cash_rule.json")["cases"]


def one_class_policy(total: int, weights: list[int], *, min_cash_percent: str = "0") -> SurplusPolicy:
    """Return a policy with no funds and one class, so the class split is the whole allocation."""
    return SurplusPolicy(
        currency="EUR",
        distributable_cents=total,
        funds=(),
        classes=(
            PatronageClass(name="all", percent=Decimal(100), weights={f"m{i}": w for i, w in enumerate(weights)}),
        ),
        min_cash_percent=Decimal(min_cash_percent),
    )


def test_the_shared_cases_are_there() -> None:
    assert POLICY_CASES == ["mondragon_10_20_70", "two_funds_three_classes"]


@pytest.mark.parametrize("name", POLICY_CASES)
def test_each_shared_policy_allocates_exactly_to_its_expected_output(name: str) -> None:
    allocation = allocate_surplus(parse_surplus_policy(load(f"{name}.policy.json")))

    assert allocation.as_dict() == load(f"{name}.expected.json")


@pytest.mark.parametrize("name", POLICY_CASES)
def test_each_shared_policy_lists_members_in_the_order_of_first_appearance(name: str) -> None:
    allocation = allocate_surplus(parse_surplus_policy(load(f"{name}.policy.json")))

    assert list(allocation.as_dict()["members"]) == list(load(f"{name}.expected.json")["members"])


@pytest.mark.parametrize("case", rounding_cases(), ids=lambda case: case["id"])
def test_core_allocate_gives_the_largest_remainder_split_of_each_library_case(case: dict[str, Any]) -> None:
    parts = allocate(case["total"], case["weights"])

    assert parts == case["hamilton_expected"]
    assert sum(parts) == case["total"]


@pytest.mark.parametrize(
    "case", [case for case in rounding_cases() if all(case["weights"])], ids=lambda case: case["id"]
)
def test_the_engine_splits_a_class_like_each_library_case(case: dict[str, Any]) -> None:
    allocation = allocate_surplus(one_class_policy(case["total"], case["weights"]))

    parts = [share.allocated_cents for share in allocation.members.values()]
    assert parts == case["hamilton_expected"]


def test_the_engine_refuses_the_zero_weight_library_case_that_core_allocate_accepts() -> None:
    (case,) = [case for case in rounding_cases() if not all(case["weights"])]

    with pytest.raises(InvalidPolicy, match='weight of member "m1" in class "all" must be positive, got 0'):
        one_class_policy(case["total"], case["weights"])


@pytest.mark.parametrize("case", cash_rule_cases(), ids=lambda case: str(case["patronage_dividend_cents"]))
def test_the_cash_part_follows_the_irs_20_percent_rule_rounded_up(case: dict[str, Any]) -> None:
    allocation = allocate_surplus(one_class_policy(case["patronage_dividend_cents"], [1], min_cash_percent="20"))

    (share,) = allocation.members.values()
    assert share.allocated_cents == case["patronage_dividend_cents"]
    assert share.cash_cents == case["min_cash_cents"]
    assert share.retained_cents == case["max_retained_as_qualified_wna_cents"]

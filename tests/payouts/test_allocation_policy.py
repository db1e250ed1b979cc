"""A surplus policy is checked when it is built, with a clear message for each mistake."""

import copy
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from payouts.allocation import InvalidPolicy, PatronageClass, allocate_surplus, parse_surplus_policy

GOOD: dict[str, Any] = {
    "currency": "EUR",
    "distributable_cents": 10000,
    "funds": [{"name": "reserve", "percent": "20"}, {"name": "solidarity", "percent": "5"}],
    "classes": [
        {"name": "freelancers", "percent": "90", "weights": {"1": 30, "2": Decimal("12.5")}},
        {"name": "community", "percent": "10", "weights": {"2": 1, "3": 1}},
    ],
    "min_cash_percent": "20",
}


def changed(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = copy.deepcopy(GOOD)
    change(data)
    return data


def set_key(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def drop_key(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda data: data.pop(key)


REFUSALS = [
    (set_key(("currency",), "eur"), "The currency must be an ISO 4217 code such as EUR, got 'eur'.", "currency"),
    (set_key(("currency",), "XYZ"), "The currency must be an ISO 4217 code such as EUR, got 'XYZ'.", "currency"),
    (
        set_key(("distributable_cents",), -1),
        f"distributable_cents must be a whole number of cents from 0 to {2**63 - 1}, got -1.",
        "distributable_cents",
    ),
    (
        set_key(("distributable_cents",), Decimal("100.5")),
        f"distributable_cents must be a whole number of cents from 0 to {2**63 - 1}, got Decimal('100.5').",
        "distributable_cents",
    ),
    (
        set_key(("distributable_cents",), True),
        f"distributable_cents must be a whole number of cents from 0 to {2**63 - 1}, got True.",
        "distributable_cents",
    ),
    (
        set_key(("distributable_cents",), 2**63),
        f"distributable_cents must be a whole number of cents from 0 to {2**63 - 1}, got {2**63}.",
        "distributable_cents",
    ),
    (
        set_key(("funds", 0, "percent"), "120"),
        'The percent of fund "reserve" must be between 0 and 100, got 120.',
        "funds.reserve",
    ),
    (
        set_key(("funds", 0, "percent"), "-1"),
        'The percent of fund "reserve" must be between 0 and 100, got -1.',
        "funds.reserve",
    ),
    (
        set_key(("funds", 0, "percent"), 20.0),
        'The percent of fund "reserve" must be an integer or a decimal number, got 20.0.',
        "funds.reserve",
    ),
    (
        set_key(("funds", 0, "percent"), "twenty"),
        "The percent of fund \"reserve\" must be a number, got 'twenty'.",
        "funds.reserve",
    ),
    (
        set_key(("funds", 0, "percent"), "NaN"),
        'The percent of fund "reserve" must be a finite number, got NaN.',
        "funds.reserve",
    ),
    (
        set_key(("funds", 0, "percent"), "1e-9"),
        'The percent of fund "reserve" has more than 8 decimal places.',
        "funds.reserve",
    ),
    (set_key(("funds", 1, "name"), "reserve"), 'Fund "reserve" is listed twice.', "funds"),
    (set_key(("funds", 1, "name"), " "), "The name of a fund must be a non-empty string, got ' '.", "funds"),
    (set_key(("funds", 1, "percent"), "81"), "The funds take 101% together, more than 100%.", "funds"),
    (
        set_key(("classes", 0, "percent"), "89.5"),
        "The class percentages must add up to 100; they add up to 99.5.",
        "classes",
    ),
    (set_key(("classes",), []), "A policy needs at least one patronage class.", "classes"),
    (set_key(("classes", 1, "name"), "freelancers"), 'Class "freelancers" is listed twice.', "classes"),
    (
        set_key(("classes", 1, "weights"), {}),
        'Class "community" has no members: leave the class out or give it members.',
        "classes.community.weights",
    ),
    (
        set_key(("classes", 1, "weights"), [1, 1]),
        'The weights of class "community" must map member ids to numbers.',
        "classes.community.weights",
    ),
    (
        set_key(("classes", 1, "weights", "3"), 0),
        'The weight of member "3" in class "community" must be positive, got 0; '
        "leave out members with no basis in this class.",
        "classes.community.weights.3",
    ),
    (
        set_key(("classes", 1, "weights", "3"), Decimal("-0.5")),
        'The weight of member "3" in class "community" must be positive, got -0.5; '
        "leave out members with no basis in this class.",
        "classes.community.weights.3",
    ),
    (
        set_key(("classes", 1, "weights", "3"), Decimal("1e18")),
        'The weight of member "3" in class "community" is out of range: '
        "weights must be below 10^18, with at most 18 decimal places.",
        "classes.community.weights.3",
    ),
    (
        set_key(("classes", 1, "weights", "3"), Decimal("1e-19")),
        'The weight of member "3" in class "community" is out of range: '
        "weights must be below 10^18, with at most 18 decimal places.",
        "classes.community.weights.3",
    ),
    (
        set_key(("classes", 1, "weights", "3"), 1.5),
        'The weight of member "3" in class "community" must be an integer or a decimal number, got 1.5.',
        "classes.community.weights.3",
    ),
    (
        set_key(("min_cash_percent",), "100.01"),
        "min_cash_percent must be between 0 and 100, got 100.01.",
        "min_cash_percent",
    ),
    (drop_key("min_cash_percent"), "the policy is missing min_cash_percent.", "the policy"),
    (
        set_key(("min_cash",), "20"),
        "the policy has unknown keys min_cash; the allowed keys are "
        "classes, currency, distributable_cents, funds, min_cash_percent.",
        "the policy",
    ),
    (set_key(("funds",), {"name": "reserve"}), "funds must be a JSON list.", "funds"),
    (set_key(("funds", 0), "reserve"), "funds[0] must be a JSON object.", "funds[0]"),
    (
        set_key(("classes", 0, "share"), "90"),
        ("classes[0] has unknown keys share; the allowed keys are name, percent, weights."),
        "classes[0]",
    ),
]


@pytest.mark.parametrize(("change", "message", "field"), REFUSALS)
def test_a_policy_with_a_mistake_is_refused_with_a_message_naming_it(
    change: Callable[[dict[str, Any]], None], message: str, field: str
) -> None:
    with pytest.raises(InvalidPolicy) as refused:
        parse_surplus_policy(changed(change))

    assert refused.value.message == message
    assert refused.value.code == "invalid_surplus_policy"
    assert refused.value.detail == {"field": field}


def test_a_policy_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(InvalidPolicy, match=r"^the policy must be a JSON object\.$"):
        parse_surplus_policy([GOOD])


def test_a_member_id_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(
        InvalidPolicy, match=r"^Class \"staff\" has the member id 7; member ids must be non-empty strings\.$"
    ):
        PatronageClass(name="staff", percent=Decimal(100), weights={7: 1})  # type: ignore[dict-item]


def test_a_good_policy_keeps_exact_decimals_for_percents_and_weights() -> None:
    policy = parse_surplus_policy(GOOD)

    assert policy.funds[0].percent == Decimal(20)
    assert policy.pool_percent == Decimal(75)
    assert policy.classes[0].weights == {"1": 30, "2": Decimal("12.5")}
    assert policy.min_cash_percent == Decimal(20)


def test_a_class_keeps_its_weights_read_only() -> None:
    policy = parse_surplus_policy(GOOD)

    with pytest.raises(TypeError):
        policy.classes[0].weights["9"] = 1  # type: ignore[index]


def test_fractional_weights_are_accepted_exactly() -> None:
    staff = PatronageClass(name="staff", percent=Decimal(100), weights={"a": Fraction(1, 3), "b": Fraction(2, 3)})

    assert staff.weights == {"a": Fraction(1, 3), "b": Fraction(2, 3)}


def test_funds_may_take_everything_and_leave_the_members_zero() -> None:
    policy = parse_surplus_policy(changed(set_key(("funds", 1, "percent"), "80")))

    allocation = allocate_surplus(policy)

    assert allocation.funds == {"reserve": 2000, "solidarity": 8000}
    assert allocation.patronage_pool_cents == 0
    assert {share.allocated_cents for share in allocation.members.values()} == {0}


def test_a_zero_surplus_allocates_zero_to_everyone() -> None:
    allocation = allocate_surplus(parse_surplus_policy(changed(set_key(("distributable_cents",), 0))))

    assert allocation.as_dict() == {
        "funds": {"reserve": 0, "solidarity": 0},
        "patronage_pool": 0,
        "classes": {"freelancers": 0, "community": 0},
        "members": {member: {"allocated": 0, "cash": 0, "retained": 0} for member in ("1", "2", "3")},
    }

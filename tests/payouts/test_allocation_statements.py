"""Each member's statement shows every input and step of their share, and the steps add up."""

import json
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings

from payouts.allocation import Allocation, SurplusPolicy, allocate_surplus, parse_surplus_policy
from tests.data import PAYOUTS
from tests.payouts.test_allocation_properties import policies

CASES = PAYOUTS


def two_funds_three_classes() -> Allocation:
    text = (CASES / "two_funds_three_classes.policy.json").read_text(encoding="utf-8")
    return allocate_surplus(parse_surplus_policy(json.loads(text, parse_float=Decimal)))


def test_a_statement_shows_each_class_step_with_its_exact_fraction_and_rounding() -> None:
    statement = two_funds_three_classes().statements["4"]

    assert statement.as_dict() == {
        "member": "4",
        "currency": "EUR",
        "distributable_cents": 1000003,
        "pool_percent": "70",
        "patronage_pool_exact_cents": "7000021/10",
        "patronage_pool_cents": 700002,
        "classes": [
            {
                "class": "freelancers",
                "class_percent": "80",
                "class_pot_exact_cents": "2800008/5",
                "class_pot_cents": 560002,
                "basis_weight": "9900",
                "class_weight_total": "61175",
                "fraction": "396/2447",
                "exact_cents": "221760792/2447",
                "floor_cents": 90625,
                "rounding_cents": 1,
                "class_leftover_cents": 2,
                "allocated_cents": 90626,
            },
            {
                "class": "staff",
                "class_percent": "15",
                "class_pot_exact_cents": "1050003/10",
                "class_pot_cents": 105000,
                "basis_weight": "160",
                "class_weight_total": "256",
                "fraction": "5/8",
                "exact_cents": "65625",
                "floor_cents": 65625,
                "rounding_cents": 0,
                "class_leftover_cents": 0,
                "allocated_cents": 65625,
            },
        ],
        "allocated_cents": 156251,
        "cash_rule": "ceil(allocated_cents * min_cash_percent / 100)",
        "min_cash_percent": "20",
        "cash_exact_cents": "156251/5",
        "cash_cents": 31251,
        "retained_cents": 125000,
    }


def test_of_two_members_tied_on_weight_the_statement_of_the_one_listed_second_shows_no_rounding() -> None:
    (step,) = two_funds_three_classes().statements["23"].steps

    assert (step.basis_weight, step.floor_cents, step.rounding_cents, step.allocated_cents) == (9900, 90625, 0, 90625)


def test_a_decimal_weight_is_shown_exactly() -> None:
    policy = parse_surplus_policy(
        {
            "currency": "EUR",
            "distributable_cents": 100,
            "funds": [],
            "classes": [{"name": "hours", "percent": "100", "weights": {"a": Decimal("2.5"), "b": Decimal("0.5")}}],
            "min_cash_percent": "33.5",
        }
    )

    statements = allocate_surplus(policy).statements
    statement = statements["a"].as_dict()

    assert statement["classes"][0]["basis_weight"] == "2.5"
    assert statement["classes"][0]["fraction"] == "5/6"
    assert statement["classes"][0]["exact_cents"] == "250/3"
    assert statement["classes"][0]["rounding_cents"] == 0
    assert (statement["allocated_cents"], statement["cash_exact_cents"], statement["cash_cents"]) == (
        83,
        "5561/200",
        28,
    )
    # 50/3 cents has the larger remainder, so b gets the one leftover cent.
    assert statements["b"].as_dict()["classes"][0]["rounding_cents"] == 1


@settings(max_examples=200, deadline=None)
@given(policies())
def test_the_steps_of_every_statement_add_up_to_the_members_share(policy: SurplusPolicy) -> None:
    allocation = allocate_surplus(policy)

    assert allocation.statements.keys() == allocation.members.keys()
    for member_id, statement in allocation.statements.items():
        share = allocation.members[member_id]
        assert sum(step.allocated_cents for step in statement.steps) == share.allocated_cents
        assert (statement.allocated_cents, statement.cash_cents, statement.retained_cents) == (
            share.allocated_cents,
            share.cash_cents,
            share.retained_cents,
        )
        for step in statement.steps:
            assert step.floor_cents + step.rounding_cents == step.allocated_cents
            assert step.rounding_cents in (0, 1)
            assert step.exact_cents == step.split.pot_cents * step.fraction
    for split in allocation.class_splits:
        class_steps = [
            step for member_id in split.parts for step in allocation.statements[member_id].steps if step.split is split
        ]
        assert sum(step.fraction for step in class_steps) == Fraction(1)
        assert sum(step.rounding_cents for step in class_steps) == split.leftover_cents

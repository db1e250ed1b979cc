"""The allocation's SHA-256, which a members' vote approves, is stable and moves with any cent."""

import dataclasses
import hashlib
import json
from decimal import Decimal
from pathlib import Path

from payouts.allocation import Allocation, MemberShare, allocate_surplus, parse_surplus_policy

CASES = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "payouts"


def two_funds_three_classes() -> Allocation:
    text = (CASES / "two_funds_three_classes.policy.json").read_text(encoding="utf-8")
    return allocate_surplus(parse_surplus_policy(json.loads(text, parse_float=Decimal)))


def reversed_dict(mapping: dict) -> dict:
    return dict(reversed(list(mapping.items())))


def test_the_hash_of_a_known_allocation_is_pinned() -> None:
    # Pinned so that a change to the canonical form, which would orphan every past vote, is seen.
    assert two_funds_three_classes().sha256() == "b38e8aa2815088fd018f710c04409bffe1090198a83612c4a3bf9615f8ffa9c0"


def test_the_hash_does_not_depend_on_the_order_of_any_mapping() -> None:
    allocation = two_funds_three_classes()

    reordered = dataclasses.replace(
        allocation,
        funds=reversed_dict(dict(allocation.funds)),
        class_splits=tuple(reversed(allocation.class_splits)),
        members=reversed_dict(dict(allocation.members)),
    )

    assert list(reordered.as_dict()["members"]) != list(allocation.as_dict()["members"])
    assert reordered.sha256() == allocation.sha256()


def test_the_hash_is_of_canonical_json_with_sorted_keys_and_the_currency() -> None:
    allocation = two_funds_three_classes()
    document = {"currency": "EUR", **allocation.as_dict()}
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":")).encode()

    assert allocation.sha256() == hashlib.sha256(canonical).hexdigest()


def test_moving_one_cent_between_cash_and_retained_changes_the_hash() -> None:
    allocation = two_funds_three_classes()
    share = allocation.members["8"]
    members = {
        **allocation.members,
        "8": MemberShare(share.allocated_cents, share.cash_cents + 1, share.retained_cents - 1),
    }

    assert dataclasses.replace(allocation, members=members).sha256() != allocation.sha256()


def test_the_same_amounts_in_another_currency_hash_differently() -> None:
    allocation = two_funds_three_classes()

    assert dataclasses.replace(allocation, currency="USD").sha256() != allocation.sha256()

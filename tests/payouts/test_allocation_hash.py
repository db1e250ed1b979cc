"""The allocation's SHA-256, which a members' vote approves, is stable and moves with any cent."""

import dataclasses
import hashlib
import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from payouts.allocation import (
    Allocation,
    Fund,
    MemberShare,
    PatronageClass,
    SurplusPolicy,
    allocate_surplus,
    parse_surplus_policy,
)
from tests.data import PAYOUTS

CASES = PAYOUTS


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


names = st.text(min_size=1, max_size=12).filter(lambda text: text.strip() == text and text.strip())


@settings(max_examples=200, deadline=None)
@given(
    ids=st.lists(st.one_of(names, st.integers(1, 10**6).map(str)), min_size=1, max_size=12, unique=True),
    class_names=st.lists(names, min_size=1, max_size=3, unique=True),
    currency=st.sampled_from(["EUR", "USD", "JPY"]),
    cents=st.integers(0, 10**12),
)
def test_the_canonical_text_is_exactly_sorted_compact_json(
    ids: list[str], class_names: list[str], currency: str, cents: int
) -> None:
    # Member ids and names with quotes, backslashes, control and non-ASCII characters included.
    classes = tuple(
        PatronageClass(
            name=name,
            percent=Decimal(100) if index == 0 else Decimal(0),
            weights={member_id: position + 1 for position, member_id in enumerate(ids)},
        )
        for index, name in enumerate(class_names)
    )
    allocation = allocate_surplus(
        SurplusPolicy(
            currency=currency,
            distributable_cents=cents,
            funds=(Fund(name="reserve", percent=Decimal(10)),),
            classes=classes,
            min_cash_percent=Decimal(20),
        )
    )
    document = {"currency": currency, **allocation.as_dict()}
    reference = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    assert allocation.canonical_json() == reference
    assert allocation.sha256() == hashlib.sha256(reference.encode("utf-8")).hexdigest()

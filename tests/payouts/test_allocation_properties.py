"""Properties of the allocation engine over many drawn policies: exact sums, no negatives, the cash
floor, and order independence except through the documented tie-break."""

import itertools
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from payouts.allocation import Allocation, Fund, PatronageClass, SurplusPolicy, allocate_surplus

MEMBER_IDS = [str(n) for n in range(1, 16)]

weights = st.one_of(
    st.integers(min_value=1, max_value=10**9),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100000), places=2),
)
# Few distinct values, so that equal weights in a class, and so ties, come up often.
tied_weights = st.integers(min_value=1, max_value=3)


@st.composite
def percents(draw: st.DrawFn, parts: int) -> list[Decimal]:
    """Draw `parts` percentages in hundredths that add up to exactly 100."""
    cuts = sorted(draw(st.lists(st.integers(min_value=0, max_value=10000), min_size=parts - 1, max_size=parts - 1)))
    bounds = [0, *cuts, 10000]
    return [Decimal(high - low) / 100 for low, high in itertools.pairwise(bounds)]


@st.composite
def policies(draw: st.DrawFn, weight: st.SearchStrategy = weights, distinct_weights: bool = False) -> SurplusPolicy:
    """Draw a valid policy in which members may sit in several classes."""
    fund_count = draw(st.integers(min_value=0, max_value=3))
    class_count = draw(st.integers(min_value=1, max_value=4))
    fund_percents = draw(percents(fund_count + 1))[:fund_count]
    classes = []
    for index, percent in enumerate(draw(percents(class_count))):
        ids = draw(st.lists(st.sampled_from(MEMBER_IDS), min_size=1, max_size=8, unique=True))
        values = draw(st.lists(weight, min_size=len(ids), max_size=len(ids), unique=distinct_weights))
        classes.append(
            PatronageClass(name=f"class{index}", percent=percent, weights=dict(zip(ids, values, strict=True)))
        )
    return SurplusPolicy(
        currency=draw(st.sampled_from(["EUR", "USD", "JPY"])),
        distributable_cents=draw(st.integers(min_value=0, max_value=10**13)),
        funds=tuple(Fund(name=f"fund{index}", percent=percent) for index, percent in enumerate(fund_percents)),
        classes=tuple(classes),
        min_cash_percent=draw(st.decimals(min_value=0, max_value=100, places=2)),
    )


@st.composite
def reordered(draw: st.DrawFn, policy: SurplusPolicy) -> SurplusPolicy:
    """Return the policy with the members of every class listed in a drawn order."""
    classes = tuple(
        PatronageClass(
            name=cls.name, percent=cls.percent, weights=dict(draw(st.permutations(list(cls.weights.items()))))
        )
        for cls in policy.classes
    )
    return SurplusPolicy(
        currency=policy.currency,
        distributable_cents=policy.distributable_cents,
        funds=policy.funds,
        classes=classes,
        min_cash_percent=policy.min_cash_percent,
    )


def class_parts(allocation: Allocation) -> dict[str, dict[str, int]]:
    return {split.name: dict(split.parts) for split in allocation.class_splits}


@settings(max_examples=300, deadline=None)
@given(policies())
def test_every_split_adds_up_exactly_to_its_whole(policy: SurplusPolicy) -> None:
    allocation = allocate_surplus(policy)

    assert sum(allocation.funds.values()) + allocation.patronage_pool_cents == policy.distributable_cents
    assert sum(allocation.classes.values()) == allocation.patronage_pool_cents
    for split in allocation.class_splits:
        assert sum(split.parts.values()) == split.pot_cents
    assert sum(share.allocated_cents for share in allocation.members.values()) == allocation.patronage_pool_cents
    for share in allocation.members.values():
        assert share.cash_cents + share.retained_cents == share.allocated_cents


@settings(max_examples=300, deadline=None)
@given(policies())
def test_every_part_is_within_one_cent_below_or_above_its_exact_share(policy: SurplusPolicy) -> None:
    allocation = allocate_surplus(policy)

    whole = Fraction(policy.distributable_cents)
    for fund in policy.funds:
        assert abs(allocation.funds[fund.name] - whole * Fraction(fund.percent) / 100) < 1
    assert abs(allocation.patronage_pool_cents - whole * Fraction(policy.pool_percent) / 100) < 1
    for cls, split in zip(policy.classes, allocation.class_splits, strict=True):
        assert abs(split.pot_cents - allocation.patronage_pool_cents * Fraction(cls.percent) / 100) < 1
        total_weight = sum(Fraction(weight) for weight in cls.weights.values())
        for member_id, weight in cls.weights.items():
            assert abs(split.parts[member_id] - split.pot_cents * Fraction(weight) / total_weight) < 1


@settings(max_examples=300, deadline=None)
@given(policies())
def test_no_member_gets_a_negative_part_and_cash_is_the_minimum_rounded_up(policy: SurplusPolicy) -> None:
    allocation = allocate_surplus(policy)

    for member_id, share in allocation.members.items():
        minimum = Fraction(share.allocated_cents) * Fraction(policy.min_cash_percent) / 100
        assert min(share.allocated_cents, share.cash_cents, share.retained_cents) >= 0, member_id
        assert share.cash_cents >= minimum
        assert share.cash_cents - 1 < minimum
        assert share.allocated_cents == sum(split.parts.get(member_id, 0) for split in allocation.class_splits)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_reordering_members_with_distinct_weights_changes_nothing(data: st.DataObject) -> None:
    policy = data.draw(policies(distinct_weights=True))
    shuffled = data.draw(reordered(policy))

    original, again = allocate_surplus(policy), allocate_surplus(shuffled)

    assert again.as_dict() == original.as_dict()
    assert again.sha256() == original.sha256()


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_reordering_tied_members_moves_a_leftover_cent_only_to_whoever_is_listed_first(data: st.DataObject) -> None:
    policy = data.draw(policies(weight=tied_weights))
    shuffled = data.draw(reordered(policy))

    for allocation, source in ((allocate_surplus(policy), policy), (allocate_surplus(shuffled), shuffled)):
        parts = class_parts(allocation)
        for cls in source.classes:
            by_weight: dict[int, list[int]] = defaultdict(list)
            for member_id, weight in cls.weights.items():
                by_weight[weight].append(parts[cls.name][member_id])
            for listed in by_weight.values():
                # Equal weights have equal exact shares: they differ by at most the one leftover
                # cent, and those listed first get it.
                assert listed == sorted(listed, reverse=True)
                assert listed[0] - listed[-1] <= 1
    # The parts each weight received are the same whichever order the members were listed in.
    first, second = class_parts(allocate_surplus(policy)), class_parts(allocate_surplus(shuffled))
    for cls in policy.classes:
        assert sorted((cls.weights[m], cents) for m, cents in first[cls.name].items()) == sorted(
            (cls.weights[m], cents) for m, cents in second[cls.name].items()
        )


def one_class(weights: dict[str, int], total: int) -> Allocation:
    return allocate_surplus(
        SurplusPolicy(
            currency="EUR",
            distributable_cents=total,
            funds=(),
            classes=(PatronageClass(name="all", percent=Decimal(100), weights=weights),),
            min_cash_percent=Decimal(0),
        )
    )


def allocated(allocation: Allocation) -> dict[str, int]:
    return {member_id: share.allocated_cents for member_id, share in allocation.members.items()}


def test_a_tie_between_equal_weights_goes_to_the_member_listed_first() -> None:
    assert allocated(one_class({"a": 1, "b": 1, "c": 1}, 100)) == {"a": 34, "b": 33, "c": 33}
    assert allocated(one_class({"c": 1, "b": 1, "a": 1}, 100)) == {"c": 34, "b": 33, "a": 33}


def test_a_tie_between_equal_remainders_goes_to_the_larger_weight_whatever_the_order() -> None:
    # 5 cents at 30:70 is 1.5 and 3.5: equal remainders, so the 70 gets the leftover cent.
    assert allocated(one_class({"small": 30, "large": 70}, 5)) == {"small": 1, "large": 4}
    assert allocated(one_class({"large": 70, "small": 30}, 5)) == {"large": 4, "small": 1}


def test_a_fund_tied_with_the_pool_gets_the_leftover_cent_because_the_pool_comes_last() -> None:
    allocation = allocate_surplus(
        SurplusPolicy(
            currency="EUR",
            distributable_cents=1,
            funds=(Fund(name="reserve", percent=Decimal(50)),),
            classes=(PatronageClass(name="all", percent=Decimal(100), weights={"a": 1}),),
            min_cash_percent=Decimal(0),
        )
    )

    assert allocation.funds == {"reserve": 1}
    assert allocation.patronage_pool_cents == 0


def test_a_member_in_several_classes_gets_the_sum_of_their_parts() -> None:
    allocation = allocate_surplus(
        SurplusPolicy(
            currency="EUR",
            distributable_cents=1000,
            funds=(),
            classes=(
                PatronageClass(name="work", percent=Decimal(60), weights={"a": 1, "b": 2}),
                PatronageClass(name="equal", percent=Decimal(40), weights={"a": 1, "c": 1}),
            ),
            min_cash_percent=Decimal(0),
        )
    )

    assert allocated(allocation) == {"a": 200 + 200, "b": 400, "c": 200}

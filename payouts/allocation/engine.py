"""Split a distributable surplus into funds, patronage classes and members (issue 7, point 3).

Every split is `core.money.allocate`: largest remainder in integer cents, a tie to the larger
weight and then to the entry listed first, so each split adds up exactly to its whole.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import NamedTuple, NotRequired, TypedDict

from core.money import allocate, percent_taker
from payouts.allocation.policy import SurplusPolicy
from payouts.allocation.statements import ClassSplit, ClassStep, MemberStatement, MemberStatementData


class MemberShareData(TypedDict):
    """A member's share in the output shape of issue 7."""

    allocated: int
    cash: int
    retained: int


class AllocationData(TypedDict):
    """An allocation in the output shape of issue 7: names and ids as keys, cents as ints."""

    funds: dict[str, int]
    patronage_pool: int
    classes: dict[str, int]
    members: dict[str, MemberShareData]
    # Not part of as_dict(): `manage.py payout_simulate --statements` adds statements_as_dict().
    statements: NotRequired[dict[str, MemberStatementData]]


class MemberShare(NamedTuple):
    """A member's total patronage share and how it is paid: cash now, the rest retained.

    A named tuple rather than a frozen dataclass: a cycle makes one per member, and a frozen
    dataclass sets each field through object.__setattr__, several times slower for 10,000.
    """

    allocated_cents: int
    cash_cents: int
    retained_cents: int

    def as_dict(self) -> MemberShareData:
        """Return the share in the output shape of issue 7."""
        return {"allocated": self.allocated_cents, "cash": self.cash_cents, "retained": self.retained_cents}


@dataclass(frozen=True)
class Allocation:
    """The result of a surplus policy: funds, the pool, classes and members, with statements.

    Mappings keep the policy's order: funds and classes as listed, members in the order they
    first appear in the classes.
    """

    currency: str
    distributable_cents: int
    funds: Mapping[str, int]
    patronage_pool_cents: int
    pool_percent: Decimal
    min_cash_percent: Decimal
    class_splits: tuple[ClassSplit, ...]
    members: Mapping[str, MemberShare]

    @cached_property
    def statements(self) -> dict[str, MemberStatement]:
        """Return every member's statement, in the order of `members`, built on first use.

        A cycle's compute stores the members' parts and derives statements when one is shown
        (payouts.cycles.selectors.statements), so it never builds these 10,000 objects.
        """
        steps: dict[str, list[ClassStep]] = {}
        for split in self.class_splits:
            for member_id in split.parts:
                steps.setdefault(member_id, []).append(ClassStep(split=split, member_id=member_id))
        return {
            member_id: MemberStatement(
                member_id=member_id,
                currency=self.currency,
                distributable_cents=self.distributable_cents,
                pool_percent=self.pool_percent,
                patronage_pool_cents=self.patronage_pool_cents,
                steps=tuple(steps[member_id]),
                allocated_cents=share.allocated_cents,
                min_cash_percent=self.min_cash_percent,
                cash_cents=share.cash_cents,
                retained_cents=share.retained_cents,
            )
            for member_id, share in self.members.items()
        }

    @property
    def classes(self) -> dict[str, int]:
        """Return each class's part of the pool."""
        return {split.name: split.pot_cents for split in self.class_splits}

    def as_dict(self) -> AllocationData:
        """Return the allocation in the output shape of issue 7: names and ids as keys, cents as ints."""
        return {
            "funds": dict(self.funds),
            "patronage_pool": self.patronage_pool_cents,
            "classes": self.classes,
            "members": {member_id: share.as_dict() for member_id, share in self.members.items()},
        }

    def statements_as_dict(self) -> dict[str, MemberStatementData]:
        """Return every member's statement as JSON-ready data, keyed by member id."""
        return {member_id: statement.as_dict() for member_id, statement in self.statements.items()}

    def canonical_json(self) -> str:
        """Return `as_dict()` plus the currency as canonical JSON: keys sorted, no whitespace.

        The same text as `json.dumps(document, sort_keys=True, separators=(",", ":"),
        ensure_ascii=False)`, written out directly for the members: a cycle has 10,000 of them, and
        building a dict for each only to serialise it took most of the hash's time.
        """
        dumps = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
        members = self.members
        entries = []
        for member_id in sorted(members):
            allocated, cash, retained = members[member_id]
            key = f'"{member_id}"' if member_id.isascii() and member_id.isalnum() else dumps(member_id)
            entries.append(f'{key}:{{"allocated":{allocated},"cash":{cash},"retained":{retained}}}')
        # The document's keys in sorted order: classes, currency, funds, members, patronage_pool.
        return (
            f'{{"classes":{dumps(self.classes)},"currency":{dumps(self.currency)},"funds":{dumps(dict(self.funds))},'
            f'"members":{{{",".join(entries)}}},"patronage_pool":{self.patronage_pool_cents}}}'
        )

    def sha256(self) -> str:
        """Return the hex SHA-256 of the allocation's canonical JSON in UTF-8: what a members' vote approves.

        It does not depend on the order of any mapping, and any cent moved anywhere changes it.
        """
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()


def allocate_surplus(policy: SurplusPolicy) -> Allocation:
    """Return the allocation of the policy's distributable amount; statements are built on demand."""
    # The pool is the last entry, so in a tie with a fund of the same percentage the fund, listed
    # before it, gets the leftover cent: the order issue 7 prescribes.
    pool_percent = policy.pool_percent
    fund_parts = allocate(policy.distributable_cents, [fund.percent for fund in policy.funds] + [pool_percent])
    funds = {fund.name: cents for fund, cents in zip(policy.funds, fund_parts[:-1], strict=True)}
    pool = fund_parts[-1]

    class_pots = allocate(pool, [cls.percent for cls in policy.classes])
    splits: list[ClassSplit] = []
    totals: dict[str, int] = {}
    for cls, pot in zip(policy.classes, class_pots, strict=True):
        parts = dict(zip(cls.weights, allocate(pot, list(cls.weights.values())), strict=True))
        splits.append(
            ClassSplit(
                name=cls.name,
                percent=cls.percent,
                patronage_pool_cents=pool,
                pot_cents=pot,
                weights=cls.weights,
                parts=parts,
            )
        )
        for member_id, cents in parts.items():
            totals[member_id] = totals.get(member_id, 0) + cents

    # The cash part is a floor, so it rounds up: rounding down would pay a fraction of a cent
    # less than the minimum (the IRS 20% rule for qualified notices, 26 USC 1388(c)).
    cash_of = percent_taker(policy.min_cash_percent, round_up=True)
    members: dict[str, MemberShare] = {}
    for member_id, total in totals.items():
        cash = cash_of(total)
        members[member_id] = MemberShare(total, cash, total - cash)
    return Allocation(
        currency=policy.currency,
        distributable_cents=policy.distributable_cents,
        funds=funds,
        patronage_pool_cents=pool,
        pool_percent=pool_percent,
        min_cash_percent=policy.min_cash_percent,
        class_splits=tuple(splits),
        members=members,
    )

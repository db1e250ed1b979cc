"""Split a distributable surplus into funds, patronage classes and members (issue 7, point 3).

Every split is `core.money.allocate`: largest remainder in integer cents, a tie to the larger
weight and then to the entry listed first, so each split adds up exactly to its whole.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.money import allocate, percent_of
from payouts.allocation.policy import SurplusPolicy
from payouts.allocation.statements import ClassSplit, ClassStep, MemberStatement


@dataclass(frozen=True, slots=True)
class MemberShare:
    """A member's total patronage share and how it is paid: cash now, the rest retained."""

    allocated_cents: int
    cash_cents: int
    retained_cents: int

    def as_dict(self) -> dict[str, int]:
        """Return the share in the output shape of issue 7."""
        return {"allocated": self.allocated_cents, "cash": self.cash_cents, "retained": self.retained_cents}


@dataclass(frozen=True, slots=True)
class Allocation:
    """The result of a surplus policy: funds, the pool, classes and members, with statements.

    Mappings keep the policy's order: funds and classes as listed, members in the order they
    first appear in the classes.
    """

    currency: str
    distributable_cents: int
    funds: Mapping[str, int]
    patronage_pool_cents: int
    class_splits: tuple[ClassSplit, ...]
    members: Mapping[str, MemberShare]
    statements: Mapping[str, MemberStatement]

    @property
    def classes(self) -> dict[str, int]:
        """Return each class's part of the pool."""
        return {split.name: split.pot_cents for split in self.class_splits}

    def as_dict(self) -> dict[str, Any]:
        """Return the allocation in the output shape of issue 7: names and ids as keys, cents as ints."""
        return {
            "funds": dict(self.funds),
            "patronage_pool": self.patronage_pool_cents,
            "classes": self.classes,
            "members": {member_id: share.as_dict() for member_id, share in self.members.items()},
        }

    def statements_as_dict(self) -> dict[str, dict[str, Any]]:
        """Return every member's statement as JSON-ready data, keyed by member id."""
        return {member_id: statement.as_dict() for member_id, statement in self.statements.items()}

    def sha256(self) -> str:
        """Return the hex SHA-256 of the allocation as canonical JSON: what a members' vote approves.

        The document is `as_dict()` plus the currency, with keys sorted, no whitespace, UTF-8; it
        does not depend on the order of any mapping, and any cent moved anywhere changes it.
        """
        document = {"currency": self.currency, **self.as_dict()}
        canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def allocate_surplus(policy: SurplusPolicy) -> Allocation:
    """Return the allocation of the policy's distributable amount, with a statement per member."""
    # The pool is the last entry, so in a tie with a fund of the same percentage the fund, listed
    # before it, gets the leftover cent: the order issue 7 prescribes.
    pool_percent = policy.pool_percent
    fund_parts = allocate(policy.distributable_cents, [fund.percent for fund in policy.funds] + [pool_percent])
    funds = {fund.name: cents for fund, cents in zip(policy.funds, fund_parts[:-1], strict=True)}
    pool = fund_parts[-1]

    class_pots = allocate(pool, [cls.percent for cls in policy.classes])
    splits: list[ClassSplit] = []
    totals: dict[str, int] = {}
    steps: dict[str, list[ClassStep]] = {}
    for cls, pot in zip(policy.classes, class_pots, strict=True):
        member_ids = list(cls.weights)
        parts = dict(zip(member_ids, allocate(pot, list(cls.weights.values())), strict=True))
        split = ClassSplit(
            name=cls.name,
            percent=cls.percent,
            patronage_pool_cents=pool,
            pot_cents=pot,
            weights=cls.weights,
            parts=parts,
        )
        splits.append(split)
        for member_id, cents in parts.items():
            totals[member_id] = totals.get(member_id, 0) + cents
            steps.setdefault(member_id, []).append(ClassStep(split=split, member_id=member_id))

    members: dict[str, MemberShare] = {}
    statements: dict[str, MemberStatement] = {}
    for member_id, total in totals.items():
        # The cash part is a floor, so it rounds up: rounding down would pay a fraction of a cent
        # less than the minimum (the IRS 20% rule for qualified notices, 26 USC 1388(c)).
        cash = percent_of(total, policy.min_cash_percent, round_up=True)
        members[member_id] = MemberShare(allocated_cents=total, cash_cents=cash, retained_cents=total - cash)
        statements[member_id] = MemberStatement(
            member_id=member_id,
            currency=policy.currency,
            distributable_cents=policy.distributable_cents,
            pool_percent=pool_percent,
            patronage_pool_cents=pool,
            steps=tuple(steps[member_id]),
            allocated_cents=total,
            min_cash_percent=policy.min_cash_percent,
            cash_cents=cash,
            retained_cents=total - cash,
        )
    return Allocation(
        currency=policy.currency,
        distributable_cents=policy.distributable_cents,
        funds=funds,
        patronage_pool_cents=pool,
        class_splits=tuple(splits),
        members=members,
        statements=statements,
    )

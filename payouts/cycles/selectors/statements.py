"""A member's full statement, derived from the stored allocation row and the cycle's class totals.

The row holds the member's weight and cents in each class (two arrays in class order); the cycle
holds each class's basis, pot, exact pot, weight total and leftover cents.

The same numbers and in the same shape as the allocation engine's MemberStatement.as_dict(): the
pool, each class step (fraction, exact part, floor, leftover cent), the sum and the cash rule.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

from payouts.allocation import exact_text
from payouts.cycles.models import CycleAllocation

HUNDRED = Fraction(100)


def statement_full(row: CycleAllocation) -> dict[str, Any]:
    """Return every input and step of the member's part, exactly."""
    cycle = row.cycle
    policy = cycle.policy
    funds_percent = sum((Decimal(f["percent"]) for f in policy.funds), Decimal(0))
    pool_percent = Decimal(100) - funds_percent
    steps = []
    # One step per class the member had a basis in: their weight and part are stored in the class's position.
    for pot, weight, cents in zip(cycle.class_pots, row.weights, row.parts, strict=True):
        if cents is None:
            continue
        fraction = Fraction(weight) / Fraction(pot["weight_total"])
        exact = pot["cents"] * fraction
        floor = math.floor(exact)
        steps.append(
            {
                "class": pot["name"],
                "basis": pot["basis"],
                "class_percent": pot["percent"],
                "class_pot_exact_cents": pot["exact_cents"],
                "class_pot_cents": pot["cents"],
                "basis_weight": weight,
                "class_weight_total": pot["weight_total"],
                "fraction": exact_text(fraction),
                "exact_cents": exact_text(exact),
                "floor_cents": floor,
                "rounding_cents": cents - floor,
                "class_leftover_cents": pot["leftover_cents"],
                "allocated_cents": cents,
            }
        )
    min_cash = policy.min_cash_percent
    return {
        "member": str(row.member_id),
        "currency": cycle.currency,
        "distributable_cents": cycle.distributable_cents,
        "pool_percent": exact_text(pool_percent),
        "patronage_pool_exact_cents": exact_text(cycle.distributable_cents * Fraction(pool_percent) / HUNDRED),
        "patronage_pool_cents": cycle.patronage_pool_cents,
        "classes": steps,
        "allocated_cents": row.allocated_cents,
        "cash_rule": "ceil(allocated_cents * min_cash_percent / 100)",
        "min_cash_percent": exact_text(min_cash),
        "cash_exact_cents": exact_text(row.allocated_cents * Fraction(min_cash) / HUNDRED),
        "cash_cents": row.cash_cents,
        "retained_cents": row.retained_cents,
    }

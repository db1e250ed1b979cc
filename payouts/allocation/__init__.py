"""The surplus allocation engine: a pure function from a policy to funds, classes and members.

Used by real payout cycles and by `manage.py payout_simulate`, so a board can try a policy first.
"""

from payouts.allocation.engine import Allocation, MemberShare, allocate_surplus
from payouts.allocation.policy import (
    Fund,
    InvalidPolicy,
    PatronageClass,
    SurplusPolicy,
    Weight,
    parse_surplus_policy,
)
from payouts.allocation.statements import ClassSplit, ClassStep, MemberStatement, exact_text

__all__ = [
    "Allocation",
    "ClassSplit",
    "ClassStep",
    "Fund",
    "InvalidPolicy",
    "MemberShare",
    "MemberStatement",
    "PatronageClass",
    "SurplusPolicy",
    "Weight",
    "allocate_surplus",
    "exact_text",
    "parse_surplus_policy",
]

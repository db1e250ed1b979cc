"""Reads for payout cycles."""

from payouts.cycles.selectors.cycles import (
    VISIBLE_TO_MEMBERS,
    Bar,
    allocation_totals,
    cycle_allocations,
    cycle_detail,
    cycle_list,
    distribution,
    earnings_payouts,
    member_statement,
    my_allocations,
    past_cycles,
    statement_context,
)

__all__ = [
    "VISIBLE_TO_MEMBERS",
    "Bar",
    "allocation_totals",
    "cycle_allocations",
    "cycle_detail",
    "cycle_list",
    "distribution",
    "earnings_payouts",
    "member_statement",
    "my_allocations",
    "past_cycles",
    "statement_context",
]

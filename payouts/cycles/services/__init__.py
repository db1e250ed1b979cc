"""Writes for payout cycles, surplus policies and earnings payouts."""

from payouts.cycles.services.compute import cycle_compute
from payouts.cycles.services.cycles import (
    computed_by,
    cycle_approve,
    cycle_approve_by_vote,
    cycle_compute_start,
    cycle_execute_start,
    cycle_open,
    cycle_vote_request,
)
from payouts.cycles.services.earnings import earnings_payout_run
from payouts.cycles.services.execute import cycle_execute
from payouts.cycles.services.policies import (
    policy_clean,
    surplus_policy_adopt,
    surplus_policy_bootstrap,
    surplus_policy_current,
)

__all__ = [
    "computed_by",
    "cycle_approve",
    "cycle_approve_by_vote",
    "cycle_compute",
    "cycle_compute_start",
    "cycle_execute",
    "cycle_execute_start",
    "cycle_open",
    "cycle_vote_request",
    "earnings_payout_run",
    "policy_clean",
    "surplus_policy_adopt",
    "surplus_policy_bootstrap",
    "surplus_policy_current",
]

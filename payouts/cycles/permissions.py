"""Payout cycles' rows of the permission table (core.permissions), registered from PayoutCyclesConfig.ready().

Finance opens a cycle, has it computed and pays it out; the board approves the allocation it reviewed,
or puts it to the members' vote. Both see the cycles. Earnings payouts are finance's; the first
surplus policy is the board's, every later one a members' decision.
"""

from django.utils.translation import gettext_lazy

from core.permissions import register_kind, register_rule
from payouts.cycles.exceptions import ErrorCode

FINANCE = gettext_lazy("Only finance runs payout cycles.")
BOARD = gettext_lazy("Only the board approves a payout cycle.")


def register() -> None:
    register_kind("payout_cycle", "payout cycle")
    register_rule(
        "payout_cycle",
        "view",
        "see cycles and statements",
        roles={"finance", "board"},
        code=ErrorCode.STAFF_ONLY,
        message=gettext_lazy("Only finance and the board see payout cycles."),
    )
    for action, label in (("open", "open"), ("compute", "compute"), ("execute", "pay out")):
        register_rule("payout_cycle", action, label, roles={"finance"}, code=ErrorCode.STAFF_ONLY, message=FINANCE)
    for action, label in (("approve", "approve"), ("put_to_vote", "put to the members' vote")):
        register_rule("payout_cycle", action, label, roles={"board"}, code=ErrorCode.STAFF_ONLY, message=BOARD)

    register_kind("earnings_payout", "earnings payout run")
    register_rule(
        "earnings_payout",
        "run",
        "pay out every balance",
        roles={"finance"},
        system=True,
        code=ErrorCode.STAFF_ONLY,
        message=gettext_lazy("Only finance can pay out earnings."),
    )

    register_kind("surplus_policy", "surplus policy")
    register_rule(
        "surplus_policy",
        "bootstrap",
        "set the first one",
        roles={"board"},
        code=ErrorCode.STAFF_ONLY,
        message=gettext_lazy("Only the board can set the first surplus policy."),
    )

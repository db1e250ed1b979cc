"""Payout cycles' rows of the permission table (core.permissions), registered from PayoutCyclesConfig.ready().

Finance opens a cycle, has it computed and pays it out; the board approves the allocation it reviewed,
or puts it to the members' vote. Both see the cycles. Earnings payouts are finance's; the first
surplus policy is the board's, every later one a members' decision.
"""

from typing import Any

from django.utils.translation import gettext_lazy

from core.permissions import Relation, register_kind, register_rule
from payouts.cycles.exceptions import ErrorCode

FINANCE = gettext_lazy("Only finance runs payout cycles.")
BOARD = gettext_lazy("Only the board approves a payout cycle.")


def _holds_statements(user: Any, obj: Any) -> bool:
    """Whether `obj` is the person themselves and they have a statement members may see (a former member's)."""
    from payouts.cycles.models import CycleAllocation
    from payouts.cycles.selectors.cycles import VISIBLE_TO_MEMBERS

    return (
        getattr(obj, "pk", None) == user.pk
        and CycleAllocation.objects.filter(member__user_id=user.pk, cycle__status__in=VISIBLE_TO_MEMBERS).exists()
    )


def register() -> None:
    # A person's own profit shares are for members; someone who has left keeps reading the statements
    # of the cycles they were allocated in (their retained amounts are still theirs, and the notice is
    # the record of them), but not the coop's figures, which are for members like the open books.
    register_kind(
        "profit_shares",
        "a person's own profit shares",
        relations={"holder": Relation("has statements, as a former member may", _holds_statements)},
    )
    register_rule(
        "profit_shares",
        "view",
        "see their own statements",
        roles={"member", "finance", "board"},
        relations={"holder"},
        code=ErrorCode.MEMBERS_ONLY,
        message=gettext_lazy("Profit shares are for members of the cooperative."),
    )
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
        "view",
        "read the policy in force and past cycles",
        roles={"member", "finance", "board"},
        code=ErrorCode.MEMBERS_ONLY,
        message=gettext_lazy("The surplus policy and the coop's payout cycles are for members of the cooperative."),
    )
    register_rule(
        "surplus_policy",
        "bootstrap",
        "set the first one",
        roles={"board"},
        code=ErrorCode.STAFF_ONLY,
        message=gettext_lazy("Only the board can set the first surplus policy."),
    )

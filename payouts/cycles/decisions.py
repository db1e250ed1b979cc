"""The decisions members take about payouts: a new surplus policy, and approving a cycle by vote.

Registered with core.decisions from PayoutCyclesConfig.ready(); governance runs the vote and calls
`execute` when it passes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.decisions import DecisionType, register_decision_type
from core.exceptions import ApplicationError
from payouts.cycles.exceptions import ErrorCode

if TYPE_CHECKING:
    from membership.models import User

POLICY_DECISION = "payouts.surplus_policy"
APPROVE_DECISION = "payouts.approve_cycle"


def validate_policy(payload: dict[str, Any]) -> dict[str, Any]:
    from payouts.cycles.services.policies import policy_clean

    return policy_clean(payload)


def execute_policy(*, payload: dict[str, Any], proposal_id: int, actor: User | None) -> None:
    from payouts.cycles.services.policies import surplus_policy_adopt

    surplus_policy_adopt(data=payload, actor=actor, proposal_id=proposal_id)


def describe_policy(payload: dict[str, Any]) -> str:
    funds = ", ".join(f"{f['name']} {f['percent']}%" for f in payload.get("funds", []))
    classes = ", ".join(f"{c['name']} {c['percent']}% ({c['basis']})" for c in payload.get("classes", []))
    return _("Funds: %(funds)s. Patronage classes: %(classes)s. Minimum cash part: %(cash)s%%.") % {
        "funds": funds or "-",
        "classes": classes,
        "cash": payload.get("min_cash_percent", ""),
    }


def validate_approve(payload: dict[str, Any]) -> dict[str, Any]:
    from payouts.cycles.models import PayoutCycle

    cycle_id = payload.get("cycle_id") if isinstance(payload, dict) else None
    digest = payload.get("allocation_hash") if isinstance(payload, dict) else None
    if isinstance(cycle_id, bool) or not isinstance(cycle_id, int) or cycle_id <= 0:
        raise ApplicationError(_("Name the payout cycle by its id."), code=ErrorCode.CYCLE_ID_INVALID)
    if not isinstance(digest, str) or len(digest) != 64:
        raise ApplicationError(_("Give the allocation's SHA-256 hash."), code=ErrorCode.ALLOCATION_HASH_INVALID)
    if not PayoutCycle.objects.filter(pk=cycle_id, allocation_hash=digest).exists():
        raise ApplicationError(_("No payout cycle has this allocation."), code=ErrorCode.ALLOCATION_UNKNOWN)
    return {"cycle_id": cycle_id, "allocation_hash": digest}


def execute_approve(*, payload: dict[str, Any], proposal_id: int, actor: User | None) -> None:
    from payouts.cycles.services.cycles import cycle_approve_by_vote

    cycle_approve_by_vote(
        cycle_id=payload["cycle_id"], allocation_hash=payload["allocation_hash"], proposal_id=proposal_id, actor=actor
    )


def describe_approve(payload: dict[str, Any]) -> str:
    return _("Approve payout cycle %(id)s with the allocation whose SHA-256 hash is %(hash)s.") % {
        "id": payload.get("cycle_id", ""),
        "hash": payload.get("allocation_hash", ""),
    }


def register_decision_types() -> None:
    register_decision_type(
        DecisionType(
            key=POLICY_DECISION,
            label=gettext_lazy("Change the surplus policy"),
            rules_key="payout",
            validate_payload=validate_policy,
            execute=execute_policy,
            describe=describe_policy,
        )
    )
    register_decision_type(
        DecisionType(
            key=APPROVE_DECISION,
            label=gettext_lazy("Approve a payout cycle"),
            rules_key="payout",
            validate_payload=validate_approve,
            execute=execute_approve,
            describe=describe_approve,
        )
    )

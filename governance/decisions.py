"""Decision types (registered in core.decisions) and how governance opens a proposal for one.

Each app that owns an effect registers its decision types here from its AppConfig.ready(); governance
knows nothing about fees, members or payouts and only calls the registered handlers when a vote passes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.decisions import (
    RULES_KEYS,
    DecisionType,
    UnknownDecisionType,
    decision_type,
    decision_types,
    register_decision_type,
)

if TYPE_CHECKING:
    from governance.models import Proposal

__all__ = [
    "RULES_KEYS",
    "DecisionType",
    "UnknownDecisionType",
    "decision_type",
    "decision_types",
    "proposal_create_for_decision",
    "register_decision_type",
]


def proposal_create_for_decision(
    *,
    key: str,
    payload: dict,
    title: str,
    author: Any,
    body: str = "",
    actor: Any | None = None,
) -> Proposal:
    """Create a draft proposal for a decision of the given type, with its payload validated."""
    from governance.services.proposals import proposal_create

    return proposal_create(
        decision_key=key,
        payload=payload,
        title=title,
        body=body,
        author=author,
        actor=actor if actor is not None else author,
    )

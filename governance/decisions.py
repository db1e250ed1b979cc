"""The registry of decision types.

Each app that owns an effect registers its decision types here from its AppConfig.ready(); governance
knows nothing about fees, members or payouts and only calls the registered handlers when a vote passes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from core.exceptions import ApplicationError

if TYPE_CHECKING:
    from governance.models import Proposal

RULES_KEYS = ("general", "bylaw", "admission", "expulsion", "payout", "project", "election")


def _describe_default(payload: dict) -> str:
    return ", ".join(f"{key}: {value}" for key, value in sorted(payload.items()))


@dataclass(frozen=True)
class DecisionType:
    key: str
    label: Any
    rules_key: str
    validate_payload: Callable[[dict], dict]
    execute: Callable[..., None] | None
    describe: Callable[[dict], str] = field(default=_describe_default)

    @property
    def has_effect(self) -> bool:
        return self.execute is not None


_TYPES: dict[str, DecisionType] = {}


class UnknownDecisionType(ApplicationError):
    def __init__(self, key: str) -> None:
        super().__init__(
            _("Unknown decision type: %(key)s.") % {"key": key},
            code="unknown_decision_type",
            detail={"key": key},
        )


def register_decision_type(decision_type: DecisionType) -> None:
    """Register a decision type; registering the same key again replaces it (apps reload in tests)."""
    if decision_type.rules_key not in RULES_KEYS:
        raise ValueError(f"Unknown rules key {decision_type.rules_key!r} for {decision_type.key!r}")
    _TYPES[decision_type.key] = decision_type


def decision_type(key: str) -> DecisionType:
    """Return the registered decision type, or raise UnknownDecisionType."""
    try:
        return _TYPES[key]
    except KeyError:
        raise UnknownDecisionType(key) from None


def decision_types() -> list[DecisionType]:
    """Return every registered decision type, ordered by key."""
    return [_TYPES[key] for key in sorted(_TYPES)]


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

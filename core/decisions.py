"""Decision types: what members can decide by vote, registered by the app that carries each one out.

Governance runs proposals and ballots and knows nothing about fees, members or payouts; the app
that owns an effect registers a `DecisionType` from its `AppConfig.ready()`, and governance calls
its `execute` when a vote passes. An app that needs a vote (membership's admission, payouts'
cycle approval) opens one through `decision_open`, which governance provides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from core.registry import NotRegistered, Port, Registry

# The families of voting rules in the bylaws; each decision type is decided under one of them.
RULES_KEYS = ("general", "bylaw", "admission", "expulsion", "payout", "project", "election")

Payload = dict[str, Any]


def _describe_default(payload: Payload) -> str:
    return ", ".join(f"{key}: {value}" for key, value in sorted(payload.items()))


@dataclass(frozen=True)
class DecisionType:
    """One kind of decision: how its details are checked, carried out and put in words."""

    key: str
    label: Any
    rules_key: str
    validate_payload: Callable[[Payload], Payload]
    # execute(payload=..., proposal_id=..., actor=...) carries the decision out, idempotently;
    # None for decisions that only record the members' will.
    execute: Callable[..., None] | None
    describe: Callable[[Payload], str] = field(default=_describe_default)

    def __post_init__(self) -> None:
        if self.rules_key not in RULES_KEYS:
            raise ValueError(f"Unknown rules key {self.rules_key!r} for {self.key!r}")

    @property
    def has_effect(self) -> bool:
        return self.execute is not None


class UnknownDecisionType(ApplicationError):
    def __init__(self, key: str) -> None:
        super().__init__(
            _("Unknown decision type: %(key)s.") % {"key": key},
            code="unknown_decision_type",
            detail={"key": key},
        )


DECISION_TYPES: Registry[DecisionType] = Registry("decision types")


def register_decision_type(decision_type: DecisionType) -> None:
    """Register a decision type; registering the same key again replaces it (apps reload in tests)."""
    DECISION_TYPES.register(decision_type.key, decision_type)


def decision_type(key: str) -> DecisionType:
    """Return the registered decision type, or raise UnknownDecisionType (a user-facing 400)."""
    try:
        return DECISION_TYPES.get(key)
    except NotRegistered:
        raise UnknownDecisionType(key) from None


def decision_types() -> list[DecisionType]:
    """Return every registered decision type, ordered by key."""
    return [DECISION_TYPES.get(key) for key in sorted(DECISION_TYPES)]


class DecisionOpener(Protocol):
    def __call__(
        self, *, key: str, payload: Payload, title: str, author: Any, body: str = "", actor: Any | None = None
    ) -> Any: ...


# Provided by governance: creates a draft proposal for a registered decision type and returns it.
decision_opener: Port[DecisionOpener] = Port("decision opener")


def decision_open(
    *, key: str, payload: Payload, title: str, author: Any, body: str = "", actor: Any | None = None
) -> Any:
    """Create a draft proposal for a decision of type `key`, through governance; return the proposal."""
    return decision_opener.get()(key=key, payload=payload, title=title, author=author, body=body, actor=actor)

"""Services a lower app calls and a higher app provides, and the payment purposes apps register.

membership sits below payouts in the dependency order (DESIGN.md §3), yet a member's share is paid
through payouts' payment requests and recorded in its ledger. membership calls these ports;
payouts provides them from its `AppConfig.ready()`. A port that nobody provided fails
`manage.py check` and raises `NotRegistered` when called: never a silent no-op.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from core.registry import Port, Registry


@dataclass(frozen=True)
class PaymentRequestInfo:
    """What a payer needs to pay a request: the request's state and the provider's instructions."""

    reference: str
    amount_cents: int
    # What is still to pay: less than amount_cents once part of it arrived.
    outstanding_cents: int
    currency: str
    status: str
    status_label: str
    provider: str
    instructions: dict[str, Any]


class PaymentRequests(Protocol):
    """Ask someone for money for a registered purpose, and tell them how to pay."""

    def create(
        self,
        *,
        payer: Any,
        amount_cents: int,
        currency: str,
        purpose: str,
        purpose_ref: str,
        actor: Any | None,
    ) -> str:
        """Open a payment request; return its payment reference."""
        ...

    def info(self, reference: str) -> PaymentRequestInfo | None:
        """Return the request with this reference and how to pay it, or None."""
        ...


@dataclass(frozen=True)
class CapitalMovement:
    at: datetime
    kind: str
    memo: str
    account: str
    amount_cents: int
    currency: str
    balance_cents: int


@dataclass(frozen=True)
class MemberCapital:
    shares_cents: int
    retained_cents: int
    movements: list[CapitalMovement]


class ShareLedger(Protocol):
    """A member's share capital and internal capital account, in the ledger."""

    def share_purchase(
        self,
        *,
        member_id: int,
        user_id: int,
        amount_cents: int,
        currency: str,
        provider: str,
        payment_ref: str,
        actor: Any | None,
    ) -> None: ...

    def share_redeem(
        self,
        *,
        member_id: int,
        user_id: int,
        amount_cents: int,
        currency: str,
        provider: str,
        actor: Any | None,
        key: str,
    ) -> None: ...

    def member_capital(self, *, member_id: int, user_id: int, currency: str) -> MemberCapital:
        """Return the member's paid-in shares, retained surplus and every movement, oldest first."""
        ...


payment_requests: Port[PaymentRequests] = Port("payment requests")
share_ledger: Port[ShareLedger] = Port("share ledger")

# What to do when a payment request of a purpose is paid: handler(payment_request), called inside
# the transaction that confirms the payment, exactly once per request. Registered by the app that
# owns the purpose (membership: shares; marketplace: milestone funding).
PaymentHandler = Callable[[Any], None]
PAYMENT_PURPOSES: Registry[PaymentHandler] = Registry("payment purposes")


def register_payment_purpose(purpose: str, handler: PaymentHandler) -> None:
    PAYMENT_PURPOSES.register(purpose, handler)

"""The other apps membership works with, looked up lazily so membership starts without them.

payouts (payments and the ledger) and governance (decision types) sit above membership in the
dependency order and may not be installed yet; each getter returns None until they are.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType


def _module(name: str, *required: str) -> ModuleType | None:
    try:
        module = import_module(name)
    except ImportError:
        return None
    return module if all(hasattr(module, attr) for attr in required) else None


def payments() -> ModuleType | None:
    """Return payouts.payments when it is installed."""
    return _module("payouts.payments", "payment_request_create", "register_payment_purpose", "PaymentRequest")


def ledger() -> ModuleType | None:
    """Return payouts.ledger when it is installed."""
    return _module("payouts.ledger", "share_purchase", "share_redeem", "member_capital", "Account", "Posting")


def decisions() -> ModuleType | None:
    """Return governance.decisions when it is installed."""
    return _module("governance.decisions", "DecisionType", "register_decision_type", "proposal_create_for_decision")

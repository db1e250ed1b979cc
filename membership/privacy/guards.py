"""Reasons an account cannot be deleted yet, registered by the apps that know them.

A guard is `guard(user) -> str | None`: a translated message saying what to do first (withdraw
your balance, finish your contracts), or None. payouts and marketplace register theirs in ready().
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

DeletionGuard = Callable[[Any], str | None]

_GUARDS: list[DeletionGuard] = []


def register_deletion_guard(guard: DeletionGuard) -> None:
    """Register a check that can refuse an account deletion with a message."""
    if guard not in _GUARDS:
        _GUARDS.append(guard)


def deletion_guards() -> list[DeletionGuard]:
    return list(_GUARDS)

"""Payout bases: what a patronage class shares its pot by, each with the source of its numbers.

A surplus policy gives each patronage class a basis ("net fees generated", "hours worked"). The
app that owns the data behind a basis registers it here from its `AppConfig.ready()`: payouts the
bases it reads from the ledger and from the member list, marketplace hours worked from its
timesheets. Built-in and added bases are registered the same way. A policy that names a basis
nobody registered is refused when it is adopted, and a cycle computed under one fails with the
basis named: a class is never left empty because its numbers went missing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from core.registry import Registry

# source(start, end, currency) -> {user id: weight} over the period [start, end): the fees a person
# generated, the minutes they worked, 1 each for equal shares. People without weight are left out.
BasisSource = Callable[[datetime, datetime, str], Mapping[int, Decimal | int]]

# derive(figures) -> {user id: weight}: the same numbers as `source`, worked out from the figures a
# payout cycle gathers once for its period (payouts.cycles.selectors.sums.PeriodFigures: the ledger's
# movement per account pair, the members sharing in it). A cycle uses it where a basis has one, so
# it reads the period's ledger once however many bases its classes use.
BasisDerive = Callable[[Any], Mapping[int, Decimal | int]]


@dataclass(frozen=True)
class PayoutBasis:
    """One basis a patronage class can share by: its key in policies, its label, its numbers."""

    key: str
    label: Any
    source: BasisSource
    derive: BasisDerive | None = None


PAYOUT_BASES: Registry[PayoutBasis] = Registry("payout bases")


def register_payout_basis(basis: PayoutBasis) -> None:
    """Register a basis; registering the same key again replaces it (apps reload in tests)."""
    PAYOUT_BASES.register(basis.key, basis)


def payout_basis(key: str) -> PayoutBasis:
    """Return the basis registered as `key`, or raise NotRegistered."""
    return PAYOUT_BASES.get(key)


def payout_bases() -> list[PayoutBasis]:
    """Return every registered basis, in registration order."""
    return PAYOUT_BASES.values()

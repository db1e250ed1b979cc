"""The payout bases payouts registers: two read from the ledger, two from the member list.

Hours worked come from the marketplace's timesheets and are registered by the marketplace.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from core.payout_bases import PayoutBasis, register_payout_basis
from payouts.cycles.selectors.sums import (
    PeriodFigures,
    earnings_by_user,
    earnings_from_pairs,
    net_fees_by_user,
    net_fees_from_pairs,
)

NET_FEES = "net_fees"
EARNINGS = "earnings"
EQUAL = "equal"
YEARS = "years"


def _members_by_end(end: datetime) -> list[tuple[int, datetime]]:
    """Return (user id, joined at) of the active members who joined before the period's end."""
    from membership.selectors import active_members

    return list(active_members().filter(joined_at__lt=end).order_by().values_list("user_id", "joined_at"))


def equal_by_user(start: datetime, end: datetime, currency: str) -> dict[int, int]:
    """Return 1 for every member sharing in the period: equal shares."""
    return {user_id: 1 for user_id, _joined in _members_by_end(end)}


def days_of_membership_by_user(start: datetime, end: datetime, currency: str) -> dict[int, int]:
    """Return each member's whole days of membership at the period's end: proportional to years, and exact."""
    return {user_id: (end - joined).days for user_id, joined in _members_by_end(end)}


def equal_from_figures(figures: PeriodFigures) -> dict[int, int]:
    return {user_id: 1 for user_id, _joined in figures.members}


def days_of_membership_from_figures(figures: PeriodFigures) -> dict[int, int]:
    end = figures.end
    return {user_id: (end - joined).days for user_id, joined in figures.members}


def register_payout_bases() -> None:
    register_payout_basis(
        PayoutBasis(key=NET_FEES, label=_("Net fees generated"), source=net_fees_by_user, derive=net_fees_from_pairs)
    )
    register_payout_basis(
        PayoutBasis(
            key=EARNINGS, label=_("Earnings through the platform"), source=earnings_by_user, derive=earnings_from_pairs
        )
    )
    register_payout_basis(
        PayoutBasis(key=EQUAL, label=_("Equal shares"), source=equal_by_user, derive=equal_from_figures)
    )
    register_payout_basis(
        PayoutBasis(
            key=YEARS,
            label=_("Years of membership"),
            source=days_of_membership_by_user,
            derive=days_of_membership_from_figures,
        )
    )

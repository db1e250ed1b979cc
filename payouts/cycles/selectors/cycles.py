"""Reads of cycles, allocations and earnings payouts, with their relations loaded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from core.payout_bases import PAYOUT_BASES
from payouts.cycles.labels import fund_name, patronage_class_name
from payouts.cycles.models import CycleAllocation, CycleStatus, EarningsPayout, PayoutCycle

# Members see an allocation once it is final or put to their vote.
VISIBLE_TO_MEMBERS = [CycleStatus.COMPUTED, CycleStatus.APPROVED, CycleStatus.EXECUTING, CycleStatus.PAID]


def cycle_list() -> QuerySet[PayoutCycle]:
    return PayoutCycle.objects.select_related("policy", "opened_by").order_by("-period_start", "-id")


def cycle_detail(cycle_id: int) -> PayoutCycle | None:
    return (
        PayoutCycle.objects.select_related("policy", "opened_by", "approved_by")
        .prefetch_related("funds", "history__actor")
        .filter(pk=cycle_id)
        .first()
    )


def cycle_allocations(cycle: PayoutCycle) -> QuerySet[CycleAllocation]:
    return (
        CycleAllocation.objects.filter(cycle=cycle)
        .select_related("member", "member__member_class", "member__user", "cycle", "cycle__policy")
        .order_by("-allocated_cents", "member_id")
    )


def my_allocations(user: Any) -> QuerySet[CycleAllocation]:
    return (
        CycleAllocation.objects.filter(member__user_id=user.pk, cycle__status__in=VISIBLE_TO_MEMBERS)
        .select_related("cycle", "cycle__policy")
        .order_by("-cycle__period_start", "-cycle_id")
    )


def member_statement(*, cycle_id: int, user: Any) -> CycleAllocation | None:
    """Return the user's own allocation in a cycle members may see, with the cycle and its policy."""
    return (
        CycleAllocation.objects.filter(cycle_id=cycle_id, member__user_id=user.pk, cycle__status__in=VISIBLE_TO_MEMBERS)
        .select_related("cycle", "cycle__policy", "member", "member__user")
        .prefetch_related("cycle__funds")
        .first()
    )


def past_cycles() -> QuerySet[PayoutCycle]:
    """Return the cycles members see on the open books: approved or paid, newest first."""
    return (
        PayoutCycle.objects.filter(status__in=[CycleStatus.APPROVED, CycleStatus.EXECUTING, CycleStatus.PAID])
        .select_related("policy")
        .prefetch_related("funds")
        .order_by("-period_start", "-id")
    )


def earnings_payouts() -> QuerySet[EarningsPayout]:
    return EarningsPayout.objects.select_related("created_by").order_by("-created_at", "-id")


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    kind: str
    cents: int
    percent: int


def distribution(cycle: PayoutCycle) -> list[Bar]:
    """Return the distributable amount's parts as bars: each fund, then each patronage class."""
    whole = cycle.distributable_cents

    def percent(cents: int) -> int:
        return (200 * cents + whole) // (2 * whole) if whole else 0

    bars = [Bar(fund_name(f.name), "fund", f.amount_cents, percent(f.amount_cents)) for f in cycle.funds.all()]
    bars += [Bar(patronage_class_name(c["name"]), "class", c["cents"], percent(c["cents"])) for c in cycle.class_pots]
    return bars


def basis_label(key: str) -> str:
    """Return a basis's label; a past cycle's basis that is no longer offered shows its key."""
    return str(PAYOUT_BASES.get(key).label) if key in PAYOUT_BASES else key


def statement_context(row: CycleAllocation) -> dict[str, Any]:
    """Return what a statement page shows: the summary in words, the chart, and every step of the member's part."""
    from payouts.cycles.selectors.next_steps import member_next_step
    from payouts.cycles.selectors.notice import notice

    return {"row": row, "cycle": row.cycle, "notice": notice(row), "next_step": member_next_step(row.cycle)}


def allocation_totals(cycle: PayoutCycle) -> dict[str, int]:
    """What an approval or a payout moves: to the funds, cash paid now, retained, and to how many members."""
    from django.db.models import Count, Sum
    from django.db.models.functions import Coalesce

    sums = cycle.allocations.aggregate(
        cash_cents=Coalesce(Sum("cash_cents"), 0),
        retained_cents=Coalesce(Sum("retained_cents"), 0),
        members=Count("pk"),
    )
    funds = cycle.funds.aggregate(cents=Coalesce(Sum("amount_cents"), 0))
    return {
        "distributable_cents": cycle.distributable_cents,
        "funds_cents": int(funds["cents"]),
        "cash_cents": int(sums["cash_cents"]),
        "retained_cents": int(sums["retained_cents"]),
        "members": int(sums["members"]),
    }

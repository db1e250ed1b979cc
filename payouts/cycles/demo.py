"""Demo data for payout cycles: the first surplus policy and a month of money to share.

core's seed_demo skips apps whose name has a dot, so the lead hooks `seed()` in explicitly. The
ledger dates every event "now"; the demo's events are dated last month, so that an admin can open
a cycle for last month right away.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from unittest import mock

from django.utils import timezone

from core.money import default_currency
from payouts.cycles.labels import DEFAULT_REDEMPTION_TERMS

# No "currency": a policy without one is in the coop's currency (COOP_CURRENCY).
DEFAULT_POLICY: dict[str, Any] = {
    "funds": [
        {"name": "reserve", "percent": "20"},
        {"name": "education", "percent": "5"},
        {"name": "solidarity", "percent": "5"},
    ],
    "classes": [
        {"name": "fees generated", "percent": "60", "basis": "net_fees"},
        {"name": "earnings", "percent": "20", "basis": "earnings"},
        {"name": "equal share", "percent": "15", "basis": "equal"},
        {"name": "loyalty", "percent": "5", "basis": "years"},
    ],
    "min_cash_percent": "20",
    "redemption_terms": DEFAULT_REDEMPTION_TERMS,
    "requires_member_vote": False,
}

# Milestone ids of demo events, far above any the marketplace will reach, so their ledger keys
# ("milestone:<id>:release") never collide with real ones.
DEMO_MILESTONE_BASE = 9_000_000_000


def _moment(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def backdated_activity(
    *, start: date, freelancers: Sequence[Any], clients: Sequence[Any], amounts: Sequence[int], fee: str = "10"
) -> None:
    """Fund and release one milestone per amount during the month from `start`, plus costs, dated then."""
    from payouts import ledger

    currency = default_currency()
    offset = DEMO_MILESTONE_BASE + ledger.Batch.objects.filter(kind="escrow_fund").count() + 1
    for index, amount in enumerate(amounts):
        milestone = offset + index
        freelancer = freelancers[index % len(freelancers)]
        client = clients[index % len(clients)]
        with mock.patch("django.utils.timezone.now", return_value=_moment(start + timedelta(days=2 + index))):
            ledger.escrow_fund(
                contract_id=milestone,
                milestone_id=milestone,
                freelancer_id=freelancer.pk,
                client_id=client.pk,
                amount_cents=amount,
                currency=currency,
                provider="bank_transfer",
                actor=None,
            )
            ledger.escrow_release(
                contract_id=milestone,
                milestone_id=milestone,
                freelancer_id=freelancer.pk,
                amount_cents=amount,
                currency=currency,
                fee_percent=Decimal(fee),
                actor=None,
            )
    with mock.patch("django.utils.timezone.now", return_value=_moment(start + timedelta(days=20))):
        ledger.expense_record(
            amount_cents=sum(amounts) // 100,
            currency=currency,
            category="hosting",
            provider="bank_transfer",
            memo="Hosting",
            actor=None,
            key=f"demo:hosting:{start:%Y-%m}:{offset}",
        )
        ledger.provider_fee_record(
            amount_cents=sum(amounts) // 400,
            currency=currency,
            provider="bank_transfer",
            actor=None,
            key=f"demo:provider-fees:{start:%Y-%m}:{offset}",
        )


def seed() -> None:
    """Adopt the demo surplus policy and give last month some money to share among the demo members."""
    from membership.selectors import active_members
    from payouts.cycles.services import surplus_policy_adopt, surplus_policy_current

    if surplus_policy_current() is None:
        surplus_policy_adopt(data=DEFAULT_POLICY, actor=None)
    members = list(active_members().order_by("pk"))
    freelancers = [m.user for m in members if getattr(m.user, "is_freelancer", False)] or [m.user for m in members[:2]]
    clients = [m.user for m in members if getattr(m.user, "is_client", False)] or [m.user for m in members[-1:]]
    if not freelancers or not clients:
        return
    end = timezone.localdate().replace(day=1)
    start = (end - timedelta(days=1)).replace(day=1)
    before = (start - timedelta(days=1)).replace(day=1)
    from payouts import ledger

    if not ledger.Batch.objects.filter(idempotency_key__startswith=f"demo:hosting:{before:%Y-%m}").exists():
        backdated_activity(start=before, freelancers=freelancers, clients=clients, amounts=[120_000, 80_000, 45_500])
    computed_cycle(start=before, end=start)
    if ledger.Batch.objects.filter(idempotency_key__startswith=f"demo:hosting:{start:%Y-%m}").exists():
        return
    backdated_activity(start=start, freelancers=freelancers, clients=clients, amounts=[150_000, 92_500, 61_000, 38_250])


def computed_cycle(*, start: date, end: date) -> None:
    """Give the demo a cycle members can read: the month before last, computed by finance.

    Every member then has a notice of allocation on "My profit shares", the board has an allocation
    to review and approve (finance computed it, so four eyes are kept), and last month stays open for
    finance to try a cycle of their own. Nothing of it is paid or approved, so it holds no demo account
    back (the open books' 2025 cycle, approved and not yet paid, does: payouts.open_books.demo).
    """
    from membership.models import User
    from payouts.cycles.models import PayoutCycle
    from payouts.cycles.services import cycle_compute, cycle_compute_start, cycle_open

    finance = User.objects.filter(email="finance@example.org").first()
    if finance is None or PayoutCycle.objects.filter(period_start=start).exists():
        return
    cycle = cycle_open(period_start=start, period_end=end, actor=finance)
    cycle_compute_start(cycle_id=cycle.pk, actor=finance)
    cycle_compute(cycle_id=cycle.pk)

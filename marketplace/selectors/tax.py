"""Reads behind a seller's yearly statement and the DAC7 report, both taken from the ledger's postings.

One source for both: the postings of a freelancer's milestone releases, dispute settlements and
release reversals, found through the contract's escrow account (whose beneficiary is the
freelancer). What a statement or a report says is a sum of these rows, so it adds up to the books.
Periods are calendar years and quarters in the site's time zone (settings.TIME_ZONE), as the ledger's
monthly totals are.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from core.money import default_currency
from payouts.ledger import PATRONAGE_CASH_KIND, AccountPurpose, Posting

if TYPE_CHECKING:
    from marketplace.models import Dac7ReportLine

# The ledger's batch kinds that pay a freelancer for work (an activity, in DAC7's words) and the one
# that takes such a payment back.
RELEASE_KINDS = ("escrow_release", "dispute_settle")
REVERSAL_KIND = "release_reversal"
PAYOUT_KIND = "withdrawal_settle"
# What the coop holds for a freelancer: their available balance and their withdrawals under way.
_HELD = (AccountPurpose.PAYABLE, AccountPurpose.PAYOUT_PENDING)


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """Return [1 January, next 1 January) of `year` in the site's time zone."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return dt.datetime(year, 1, 1, tzinfo=zone), dt.datetime(year + 1, 1, 1, tzinfo=zone)


def quarter_of(moment: dt.datetime) -> int:
    """Return the quarter (1-4) of a moment, in the site's time zone."""
    return (moment.astimezone(ZoneInfo(settings.TIME_ZONE)).month - 1) // 3 + 1


@dataclass(frozen=True, slots=True)
class Activity:
    """One paid milestone (or its reversal) as the ledger posted it; reversals carry negative amounts."""

    batch_id: int
    milestone_id: int | None
    seller_id: int
    posted_at: dt.datetime
    net_cents: int
    fee_cents: int
    reversal: bool

    @property
    def gross_cents(self) -> int:
        return self.net_cents + self.fee_cents

    @property
    def quarter(self) -> int:
        return quarter_of(self.posted_at)


def _milestone_of(batch_key: str) -> int | None:
    parts = batch_key.split(":")
    if len(parts) >= 3 and parts[0] == "milestone" and parts[1].isdigit():
        return int(parts[1])
    return None


def seller_activities(
    *, start: dt.datetime, end: dt.datetime, seller_ids: Iterable[int] | None = None, currency: str | None = None
) -> list[Activity]:
    """Return every paid milestone and reversal in [start, end), per seller, oldest first (one query)."""
    currency = currency or default_currency()
    postings = Posting.objects.filter(
        created_at__gte=start,
        created_at__lt=end,
        currency=currency,
        batch__kind__in=(*RELEASE_KINDS, REVERSAL_KIND),
    ).filter(
        Q(from_account__purpose=AccountPurpose.ESCROW, from_account__beneficiary__isnull=False)
        | Q(to_account__purpose=AccountPurpose.ESCROW, to_account__beneficiary__isnull=False)
    )
    if seller_ids is not None:
        ids = list(seller_ids)
        postings = postings.filter(Q(from_account__beneficiary_id__in=ids) | Q(to_account__beneficiary_id__in=ids))
    rows = postings.order_by("created_at", "batch_id", "id").values_list(
        "batch_id",
        "batch__idempotency_key",
        "batch__kind",
        "created_at",
        "amount_cents",
        "from_account__purpose",
        "from_account__beneficiary_id",
        "to_account__purpose",
        "to_account__beneficiary_id",
    )
    by_batch: dict[int, dict[str, object]] = {}
    for batch_id, key, kind, created_at, amount, src, src_for, dst, dst_for in rows:
        reversal = kind == REVERSAL_KIND
        entry = by_batch.setdefault(
            batch_id,
            {
                "key": key,
                "at": created_at,
                "seller": src_for if src == AccountPurpose.ESCROW else dst_for,
                "net": 0,
                "fee": 0,
                "reversal": reversal,
            },
        )
        # A release pays escrow → payable (the seller's part) and escrow → fee income; a dispute
        # settlement may also pay escrow → clearing (the client's refund), which is not the seller's.
        # A reversal posts the same legs the other way.
        other = src if reversal else dst
        sign = -1 if reversal else 1
        if other == AccountPurpose.PAYABLE:
            entry["net"] = int(entry["net"]) + sign * amount  # type: ignore[call-overload]
        elif other == AccountPurpose.FEE_INCOME:
            entry["fee"] = int(entry["fee"]) + sign * amount  # type: ignore[call-overload]
    return [
        Activity(
            batch_id=batch_id,
            milestone_id=_milestone_of(str(entry["key"])),
            seller_id=int(entry["seller"]),  # type: ignore[call-overload]
            posted_at=entry["at"],  # type: ignore[arg-type]
            net_cents=int(entry["net"]),  # type: ignore[call-overload]
            fee_cents=int(entry["fee"]),  # type: ignore[call-overload]
            reversal=bool(entry["reversal"]),
        )
        for batch_id, entry in by_batch.items()
        if entry["net"] or entry["fee"]
    ]


@dataclass
class QuarterFigures:
    """DAC7's per-quarter figures of one seller: consideration (net of fees), fees, activities."""

    consideration_cents: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    fees_cents: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    activities: list[int] = field(default_factory=lambda: [0, 0, 0, 0])

    @property
    def consideration_total(self) -> int:
        return sum(self.consideration_cents)

    @property
    def fees_total(self) -> int:
        return sum(self.fees_cents)

    @property
    def activities_total(self) -> int:
        return sum(self.activities)


def quarter_figures(activities: Iterable[Activity]) -> dict[int, QuarterFigures]:
    """Return each seller's figures per quarter.

    Consideration is what the seller was paid or credited, net of the platform's fee (DAC7, Annex V,
    Section I(C)(6)); a reversal lowers the consideration and fees of the quarter it was posted in
    and takes the activity it reverses out of that quarter's count.
    """
    figures: dict[int, QuarterFigures] = defaultdict(QuarterFigures)
    for activity in activities:
        seller = figures[activity.seller_id]
        q = activity.quarter - 1
        seller.consideration_cents[q] += activity.net_cents
        seller.fees_cents[q] += activity.fee_cents
        seller.activities[q] += -1 if activity.reversal else 1
    return dict(figures)


@dataclass(frozen=True)
class YearlyStatement:
    """What a freelancer earned, paid in fees and was paid out in one year, from the ledger.

    opening + net earnings + profit share + other movements - payouts = closing, where opening and
    closing are what the coop held for them (available plus withdrawals pending) at either end.
    """

    user_id: int
    year: int
    currency: str
    activities: tuple[Activity, ...]
    income_cents: int
    fees_cents: int
    net_cents: int
    vat_cents: int
    profit_share_cents: int
    payouts_cents: int
    other_cents: int
    opening_cents: int
    closing_cents: int

    @property
    def milestones(self) -> int:
        return sum(-1 if a.reversal else 1 for a in self.activities)

    def quarters(self) -> list[dict[str, int]]:
        """Return income, fees and net per quarter (1-4)."""
        rows = [{"quarter": q, "income": 0, "fees": 0, "net": 0} for q in range(1, 5)]
        for activity in self.activities:
            row = rows[activity.quarter - 1]
            row["income"] += activity.gross_cents
            row["fees"] += activity.fee_cents
            row["net"] += activity.net_cents
        return rows


def _mine(user_id: int, currency: str, side: str) -> Q:
    """Match postings to (`side` "to") or from ("from") the user's available and pending accounts."""
    held = {"owner_type": "user", "owner_id": str(user_id), "currency": currency, "purpose__in": _HELD}
    return Q(**{f"{side}_account__{key}": value for key, value in held.items()})


def _holdings(user_id: int, currency: str, *, before: dt.datetime) -> int:
    """Return what the coop held for the user (available plus pending withdrawals) just before `before`."""
    base = Posting.objects.filter(created_at__lt=before, currency=currency)
    total = Coalesce(Sum("amount_cents"), 0)
    inflow = base.filter(_mine(user_id, currency, "to")).aggregate(t=total)["t"]
    outflow = base.filter(_mine(user_id, currency, "from")).aggregate(t=total)["t"]
    return int(inflow) - int(outflow)


def _flows(user_id: int, currency: str, start: dt.datetime, end: dt.datetime) -> tuple[int, int, int]:
    """Return (profit share paid in cash, payouts, every movement in and out of the held accounts)."""
    base = Posting.objects.filter(created_at__gte=start, created_at__lt=end, currency=currency)
    to_mine, from_mine = _mine(user_id, currency, "to"), _mine(user_id, currency, "from")
    total = Coalesce(Sum("amount_cents"), 0)
    profit = base.filter(to_mine, batch__kind=PATRONAGE_CASH_KIND).aggregate(t=total)["t"]
    payouts = base.filter(from_mine, batch__kind=PAYOUT_KIND).aggregate(t=total)["t"]
    # Moves between the two held accounts (a withdrawal asked for, or failed) change nothing held.
    inflow = base.filter(to_mine).exclude(from_mine).aggregate(t=total)["t"]
    outflow = base.filter(from_mine).exclude(to_mine).aggregate(t=total)["t"]
    return int(profit), int(payouts), int(inflow) - int(outflow)


def yearly_statement(*, user_id: int, year: int, currency: str | None = None) -> YearlyStatement:
    """Return the freelancer's statement of `year` from the ledger (and the VAT from their invoices)."""
    from marketplace.tax.vat import vat_charged

    currency = currency or default_currency()
    start, end = year_bounds(year)
    activities = tuple(seller_activities(start=start, end=end, seller_ids=[user_id], currency=currency))
    fees = sum(a.fee_cents for a in activities)
    net = sum(a.net_cents for a in activities)
    profit, payouts, movement = _flows(user_id, currency, start, end)
    opening = _holdings(user_id, currency, before=start)
    closing = _holdings(user_id, currency, before=end)
    return YearlyStatement(
        user_id=user_id,
        year=year,
        currency=currency,
        activities=activities,
        income_cents=net + fees,
        fees_cents=fees,
        net_cents=net,
        vat_cents=vat_charged(user_id=user_id, start=start, end=end, currency=currency),
        profit_share_cents=profit,
        payouts_cents=payouts,
        other_cents=movement - net - profit + payouts,
        opening_cents=opening,
        closing_cents=closing,
    )


def statement_years(*, user_id: int, currency: str | None = None) -> list[int]:
    """Return the years, newest first, in which the freelancer was paid for work or paid out."""
    currency = currency or default_currency()
    dates = Posting.objects.filter(currency=currency).filter(
        Q(batch__kind__in=RELEASE_KINDS, to_account__purpose=AccountPurpose.PAYABLE, to_account__owner_id=str(user_id))
        | Q(batch__kind=PAYOUT_KIND, from_account__owner_type="user", from_account__owner_id=str(user_id))
    )
    first = dates.order_by("created_at").values_list("created_at", flat=True).first()
    if first is None:
        return []
    zone = ZoneInfo(settings.TIME_ZONE)
    last = dates.order_by("-created_at").values_list("created_at", flat=True).first()
    assert last is not None
    return list(range(last.astimezone(zone).year, first.astimezone(zone).year - 1, -1))


def is_seller(*, user_id: int) -> bool:
    """Return whether the person was paid for a milestone through the marketplace (DAC7 calls them a seller).

    Milestones, not ledger postings: every payment for work goes through a milestone, while a
    ledger event posted without one (the payout cycles' backdated demo months, the ledger's own
    tests) sells nothing anyone could have collected details for.
    """
    from marketplace.models import Milestone

    return Milestone.objects.filter(
        contract__freelancer_id=user_id, status__in=[Milestone.Status.RELEASED, Milestone.Status.SETTLED]
    ).exists()


def milestone_titles(milestone_ids: Iterable[int | None]) -> dict[int, str]:
    """Return {milestone id: title} for the given milestones (one query)."""
    from marketplace.models import Milestone

    ids = [pk for pk in milestone_ids if pk is not None]
    return dict(Milestone.objects.filter(pk__in=ids).values_list("pk", "title"))


def reported_lines(*, user_id: int) -> QuerySet[Dac7ReportLine]:
    """Return what every DAC7 report said about the person, newest report first, with its report."""
    from marketplace.models import Dac7ReportLine

    return (
        Dac7ReportLine.objects.filter(seller_id=user_id)
        .select_related("report", "report__run_by")
        .order_by("-report__year", "-report__created_at", "-id")
    )

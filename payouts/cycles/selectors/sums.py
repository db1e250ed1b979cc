"""The ledger sums a cycle starts from, all derived from one read of the period's movement.

A cycle reads the period once, grouped by account pair (payouts.ledger.rollup.pair_totals: the
monthly totals kept at posting time for whole months, the postings for a partial month at either
end), and derives the surplus and every ledger basis from those few thousand rows in Python. The
per-purpose SQL aggregates below (surplus_sums, and the sources of the bases) give the same
numbers straight from the postings; they remain for callers outside a cycle and for the tests that
prove the two agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import BigIntegerField, Case, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from payouts.ledger import PROVIDER_FEES_CATEGORY, AccountPurpose, Posting
from payouts.ledger.rollup import PairTotal, pair_totals

P = AccountPurpose
# Money that arrives in fee income from outside it (a milestone's fee, other income) and goes
# back the same way (a refund after release); moves between the coop's own accounts (funds,
# expenses, capital credits) are spending, not income.
INCOME_SOURCES = [P.ESCROW, P.PROVIDER_CLEARING, P.SUSPENSE]


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Return the period [start, end) as aware datetimes at local midnight."""
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tzinfo=tz), datetime.combine(end, time.min, tzinfo=tz)


@dataclass(frozen=True, slots=True)
class SurplusSums:
    fee_income_cents: int
    expenses_cents: int
    provider_costs_cents: int

    @property
    def surplus_cents(self) -> int:
        return self.fee_income_cents - self.expenses_cents - self.provider_costs_cents


def _sum(condition: Q) -> Coalesce:
    return Coalesce(Sum("amount_cents", filter=condition), Value(0), output_field=BigIntegerField())


def period_postings(start: datetime, end: datetime, currency: str):
    return Posting.objects.filter(currency=currency, created_at__gte=start, created_at__lt=end).order_by()


def surplus_sums(start: datetime, end: datetime, currency: str) -> SurplusSums:
    """Return fee income, expenses and provider costs of [start, end), net of reversals, in one query."""
    to_fees = Q(to_account__purpose=P.FEE_INCOME)
    from_fees = Q(from_account__purpose=P.FEE_INCOME)
    to_expense = Q(to_account__purpose=P.EXPENSE)
    from_expense = Q(from_account__purpose=P.EXPENSE)
    provider_in = Q(to_account__name=PROVIDER_FEES_CATEGORY)
    provider_out = Q(from_account__name=PROVIDER_FEES_CATEGORY)
    row = period_postings(start, end, currency).aggregate(
        fees_in=_sum(to_fees & Q(from_account__purpose__in=INCOME_SOURCES)),
        fees_out=_sum(from_fees & Q(to_account__purpose__in=INCOME_SOURCES)),
        expenses_in=_sum(to_expense & from_fees & ~provider_in),
        expenses_out=_sum(from_expense & to_fees & ~provider_out),
        provider_in=_sum(to_expense & from_fees & provider_in),
        provider_out=_sum(from_expense & to_fees & provider_out),
    )
    return SurplusSums(
        fee_income_cents=row["fees_in"] - row["fees_out"],
        expenses_cents=row["expenses_in"] - row["expenses_out"],
        provider_costs_cents=row["provider_in"] - row["provider_out"],
    )


def _grouped(
    start: datetime,
    end: datetime,
    currency: str,
    *,
    source: str,
    target: str,
    who_forward: str,
    who_backward: str,
) -> dict[int, int]:
    """Return {user id: sum from source to target minus sum back}, grouped in SQL by the user each side names.

    Among postings between the two purposes, one leaving the source account is a forward one, so
    the CASE tests that alone: a million rows, each evaluating one comparison instead of four.
    """
    forward = Q(from_account__purpose=source, to_account__purpose=target)
    backward = Q(from_account__purpose=target, to_account__purpose=source)
    is_forward = Q(from_account__purpose=source)
    rows = (
        period_postings(start, end, currency)
        .filter(forward | backward)
        .annotate(
            who=Case(When(is_forward, then=F(who_forward)), default=F(who_backward)),
            signed=Case(
                When(is_forward, then=F("amount_cents")), default=-F("amount_cents"), output_field=BigIntegerField()
            ),
        )
        .values("who")
        .annotate(total=Sum("signed"))
        .values_list("who", "total")
    )
    return {who: total for who, total in rows if who is not None}


def net_fees_by_user(start: datetime, end: datetime, currency: str) -> dict[int, int]:
    """Return the net fees each user's contracts generated: as freelancer and as client, summed."""
    totals = _grouped(
        start,
        end,
        currency,
        source=P.ESCROW,
        target=P.FEE_INCOME,
        who_forward="from_account__beneficiary_id",
        who_backward="to_account__beneficiary_id",
    )
    clients = _grouped(
        start,
        end,
        currency,
        source=P.ESCROW,
        target=P.FEE_INCOME,
        who_forward="from_account__user_id",
        who_backward="to_account__user_id",
    )
    for user_id, cents in clients.items():
        totals[user_id] = totals.get(user_id, 0) + cents
    return totals


def earnings_by_user(start: datetime, end: datetime, currency: str) -> dict[int, int]:
    """Return what each freelancer earned through contracts: escrow paid to their payable, net of reversals."""
    return _grouped(
        start,
        end,
        currency,
        source=P.ESCROW,
        target=P.PAYABLE,
        who_forward="to_account__user_id",
        who_backward="from_account__user_id",
    )


@dataclass(frozen=True, slots=True)
class PeriodFigures:
    """What a cycle reads once for its period, and every ledger basis is derived from (core.payout_bases)."""

    start: datetime
    end: datetime
    currency: str
    pairs: Sequence[PairTotal]
    # (user id, joined at) of the members sharing in the period.
    members: Sequence[tuple[int, datetime]]


def period_figures(
    start: datetime, end: datetime, currency: str, members: Sequence[tuple[int, datetime]]
) -> PeriodFigures:
    """Read the period's movement per account pair, in one statement."""
    zone = timezone.get_current_timezone()
    pairs = pair_totals(timezone.localtime(start, zone).date(), timezone.localtime(end, zone).date(), currency)
    return PeriodFigures(start=start, end=end, currency=currency, pairs=pairs, members=members)


_INCOME_SOURCES = {str(purpose) for purpose in INCOME_SOURCES}


def surplus_from_pairs(pairs: Sequence[PairTotal]) -> SurplusSums:
    """Return the same sums as surplus_sums, from the period's movement per account pair."""
    fees = expenses = provider = 0
    for _f, source, from_name, _fu, _fb, _t, target, to_name, _tu, _tb, cents in pairs:
        if target == P.FEE_INCOME:
            if source in _INCOME_SOURCES:
                fees += cents
            elif source == P.EXPENSE:
                if from_name == PROVIDER_FEES_CATEGORY:
                    provider -= cents
                else:
                    expenses -= cents
        elif source == P.FEE_INCOME:
            if target in _INCOME_SOURCES:
                fees -= cents
            elif target == P.EXPENSE:
                if to_name == PROVIDER_FEES_CATEGORY:
                    provider += cents
                else:
                    expenses += cents
    return SurplusSums(fee_income_cents=fees, expenses_cents=expenses, provider_costs_cents=provider)


def net_fees_from_pairs(figures: PeriodFigures) -> dict[int, int]:
    """Return net_fees_by_user's numbers from the period's pairs: fees from escrow, net of fees paid back."""
    totals: dict[int, int] = {}
    escrow, fee_income = P.ESCROW.value, P.FEE_INCOME.value
    for _f, source, _n, user, beneficiary, _t, target, _tn, to_user, to_beneficiary, cents in figures.pairs:
        if source == escrow and target == fee_income:
            whom = (beneficiary, user)
        elif source == fee_income and target == escrow:
            whom, cents = (to_beneficiary, to_user), -cents
        else:
            continue
        for who in whom:
            if who is not None:
                totals[who] = totals.get(who, 0) + cents
    return totals


def earnings_from_pairs(figures: PeriodFigures) -> dict[int, int]:
    """Return earnings_by_user's numbers from the period's pairs: escrow paid to payables, net of reversals."""
    totals: dict[int, int] = {}
    escrow, payable = P.ESCROW.value, P.PAYABLE.value
    for _f, source, _n, user, _b, _t, target, _tn, to_user, _tb, cents in figures.pairs:
        if source == escrow and target == payable:
            who = to_user
        elif source == payable and target == escrow:
            who, cents = user, -cents
        else:
            continue
        if who is not None:
            totals[who] = totals.get(who, 0) + cents
    return totals

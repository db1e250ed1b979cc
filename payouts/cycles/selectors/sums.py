"""The ledger sums a cycle starts from, each one SQL aggregate over the period's postings.

Nothing here loops over postings in Python: the surplus is one conditional aggregate, and each
member basis is one query grouped by the user the account belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import BigIntegerField, Case, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from payouts.ledger import PROVIDER_FEES_CATEGORY, AccountPurpose, Posting

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

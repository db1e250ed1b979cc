"""Reads of the ledger. A balance is always a SQL sum: postings to an account minus postings from it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, TypedDict

from django.db import connection
from django.db.models import F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from core.money import default_currency
from payouts.models import Account, AccountPurpose, Batch, Posting

if TYPE_CHECKING:
    # django-stubs-ext is a development requirement: the name is only read by the type checker.
    from django_stubs_ext import WithAnnotations


def _sum_subquery(column: str, *, start: datetime | None = None, end: datetime | None = None) -> Coalesce:
    postings = Posting.objects.filter(**{column: OuterRef("pk")})
    if start is not None:
        postings = postings.filter(created_at__gte=start)
    if end is not None:
        postings = postings.filter(created_at__lt=end)
    total = postings.order_by().values(column).annotate(total=Sum("amount_cents")).values("total")
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


class Balances(TypedDict):
    """What with_balances adds to each account."""

    inflow_cents: int
    outflow_cents: int
    balance_cents: int


def with_balances(
    accounts: QuerySet[Account], *, start: datetime | None = None, end: datetime | None = None
) -> QuerySet[WithAnnotations[Account, Balances]]:
    """Annotate each account with inflow_cents, outflow_cents and balance_cents (in one query).

    With start/end, the sums cover only postings in [start, end): the movement of that period.
    """
    return accounts.annotate(
        inflow_cents=_sum_subquery("to_account", start=start, end=end),
        outflow_cents=_sum_subquery("from_account", start=start, end=end),
    ).annotate(balance_cents=F("inflow_cents") - F("outflow_cents"))


# The balance of an account as one statement: two index-only sums over the covering indexes
# (to_account_id, created_at) INCLUDE (amount_cents) and (from_account_id, created_at) INCLUDE
# (amount_cents) of migration 0002. Written as SQL so that the floor check inside every money
# event costs one round trip and no query compilation.
_BALANCE_SQL = (
    "SELECT a.id, "
    "COALESCE((SELECT SUM(p.amount_cents) FROM payouts_posting p WHERE p.to_account_id = a.id{period}), 0) "
    "- COALESCE((SELECT SUM(p.amount_cents) FROM payouts_posting p WHERE p.from_account_id = a.id{period}), 0) "
    "FROM payouts_account a WHERE a.id IN ({ids})"
)
_PERIOD_SQL = " AND p.created_at >= %s AND p.created_at < %s"


def account_balances(
    account_ids: Iterable[int], *, start: datetime | None = None, end: datetime | None = None
) -> dict[int, int]:
    """Return {account id: balance} for the given accounts in one query (in [start, end) if given)."""
    ids = [int(pk) for pk in account_ids]
    if not ids:
        return {}
    period = start is not None and end is not None
    sql = _BALANCE_SQL.format(period=_PERIOD_SQL if period else "", ids=", ".join(["%s"] * len(ids)))
    params: list[datetime | None] = [start, end, start, end] if period else []
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *ids])
        return {pk: int(balance) for pk, balance in cursor.fetchall()}


def account_balance(account: Account | int, *, start: datetime | None = None, end: datetime | None = None) -> int:
    """Return an account's balance: postings to it minus postings from it (in [start, end) if given)."""
    pk = account.pk if isinstance(account, Account) else int(account)
    return account_balances([pk], start=start, end=end).get(pk, 0)


def _balance_of(purpose: str, currency: str, **filters: str | int) -> int:
    rows = with_balances(Account.objects.filter(purpose=purpose, currency=currency, **filters))
    return sum(balance for balance in rows.values_list("balance_cents", flat=True))


def freelancer_held(user_id: int, currency: str) -> dict[str, int]:
    """Return the freelancer's available and in-escrow cents in one query, from the accounts' running
    balances (kept in the row every money event locks; `ledger_check` proves them equal to the
    postings): its time grows with the freelancer's accounts, not with their postings."""
    accounts = Account.objects.filter(
        Q(purpose=AccountPurpose.PAYABLE, owner_type="user", owner_id=str(user_id))
        | Q(purpose=AccountPurpose.ESCROW, beneficiary_id=user_id),
        currency=currency,
    )
    totals = dict(accounts.order_by().values_list("purpose").annotate(total=Sum("running_balance_cents")))
    return {
        "available": totals.get(AccountPurpose.PAYABLE) or 0,
        "in_escrow": totals.get(AccountPurpose.ESCROW) or 0,
    }


def freelancer_balances(user_id: int, currency: str | None = None) -> dict[str, int]:
    """Return the freelancer's available, in-escrow, pending-withdrawal and paid-out cents."""
    currency = currency or default_currency()
    paid_out = Posting.objects.filter(
        from_account__purpose=AccountPurpose.PAYOUT_PENDING,
        from_account__owner_type="user",
        from_account__owner_id=str(user_id),
        from_account__currency=currency,
        to_account__purpose=AccountPurpose.PROVIDER_CLEARING,
    ).aggregate(total=Coalesce(Sum("amount_cents"), 0))["total"]
    return {
        **freelancer_held(user_id, currency),
        "pending_withdrawal": _balance_of(
            AccountPurpose.PAYOUT_PENDING, currency, owner_type="user", owner_id=str(user_id)
        ),
        "paid_out": paid_out,
    }


def member_capital(member_id: int, currency: str | None = None) -> dict[str, int]:
    """Return the member's paid-in share capital and retained patronage (internal capital account)."""
    currency = currency or default_currency()
    owner = {"owner_type": "member", "owner_id": str(member_id)}
    return {
        "shares_cents": _balance_of(AccountPurpose.SHARE_CAPITAL, currency, **owner),
        "retained_cents": _balance_of(AccountPurpose.MEMBER_CAPITAL, currency, **owner),
    }


def period_flows(purpose: str, start: datetime, end: datetime, currency: str | None = None) -> dict[str, int]:
    """Return the cents that flowed into and out of all accounts of a purpose during [start, end)."""
    currency = currency or default_currency()
    base = Posting.objects.filter(created_at__gte=start, created_at__lt=end, currency=currency)
    inflow = base.filter(to_account__purpose=purpose).aggregate(total=Coalesce(Sum("amount_cents"), 0))["total"]
    outflow = base.filter(from_account__purpose=purpose).aggregate(total=Coalesce(Sum("amount_cents"), 0))["total"]
    return {"in": inflow, "out": outflow}


def period_sum(purpose: str, start: datetime, end: datetime, currency: str | None = None) -> int:
    """Return the net change of all accounts of a purpose during [start, end): in minus out."""
    flows = period_flows(purpose, start, end, currency)
    return flows["in"] - flows["out"]


def account_postings(account: Account) -> QuerySet[Posting]:
    """Return the postings to or from an account, newest first, with their batch and accounts."""
    from django.db.models import Q

    return (
        Posting.objects.filter(Q(to_account=account) | Q(from_account=account))
        .select_related("batch", "from_account", "to_account")
        .order_by("-created_at", "-id")
    )


def user_postings(user_id: int, purposes: Iterable[str], currency: str | None = None) -> QuerySet[Posting]:
    """Return the postings touching the user's own accounts of the given purposes, newest first."""
    from django.db.models import Q

    currency = currency or default_currency()
    purposes = list(purposes)
    mine = Account.objects.filter(owner_type="user", owner_id=str(user_id), purpose__in=purposes, currency=currency)
    escrow = Account.objects.filter(purpose=AccountPurpose.ESCROW, beneficiary_id=user_id, currency=currency)
    ids = list(mine.values_list("pk", flat=True)) + list(escrow.values_list("pk", flat=True))
    return (
        Posting.objects.filter(Q(to_account_id__in=ids) | Q(from_account_id__in=ids))
        .select_related("batch", "from_account", "to_account")
        .order_by("-created_at", "-id")
    )


def batch_for_key(key: str) -> Batch | None:
    return Batch.objects.filter(idempotency_key=key).first()

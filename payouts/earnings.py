"""The freelancer's earnings history in plain words, with a running balance per column.

The ledger moves money between accounts ("Payment provider clearing → Escrow"); a freelancer
thinks in what happened to them: the client paid a milestone into escrow, it was released to
them, the coop took its fee, it was paid to their bank account. Each posting that touches one
of their four columns (in escrow, available, withdrawal pending, paid out) becomes one row that
says so, with the balance of every column after it. The account names stay on finance pages.

Queries stay fixed whatever the history's length: the page of postings, one aggregate of the
changes newer than the page (to start the running balances from today's), and one lookup of
milestone titles through MILESTONE_TITLES (registered by the marketplace, which payouts may not
import).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from core.registry import Registry
from payouts.models import Account, AccountPurpose, Posting
from payouts.selectors import event_label

COLUMNS = ("in_escrow", "available", "pending_withdrawal", "paid_out")

# key "titles": a function from milestone ids to their titles, provided by the marketplace.
MILESTONE_TITLES: Registry[Callable[[Iterable[int]], dict[int, str]]] = Registry("milestone titles")


@dataclass
class EarningsRow:
    posting: Posting
    description: str
    amount_cents: int
    currency: str
    changes: dict[str, int]
    balances: dict[str, int] = field(default_factory=dict)


def _column(account: Account, user_id: int) -> str | None:
    if account.purpose == AccountPurpose.ESCROW and account.beneficiary_id == user_id:
        return "in_escrow"
    if account.owner_type == "user" and account.owner_id == str(user_id):
        if account.purpose == AccountPurpose.PAYABLE:
            return "available"
        if account.purpose == AccountPurpose.PAYOUT_PENDING:
            return "pending_withdrawal"
    return None


def _changes(posting: Posting, user_id: int) -> dict[str, int]:
    changes = dict.fromkeys(COLUMNS, 0)
    source, target = _column(posting.from_account, user_id), _column(posting.to_account, user_id)
    if source:
        changes[source] -= posting.amount_cents
    if target:
        changes[target] += posting.amount_cents
    if source == "pending_withdrawal" and posting.to_account.purpose == AccountPurpose.PROVIDER_CLEARING:
        changes["paid_out"] += posting.amount_cents
    return changes


def _describe(posting: Posting, user_id: int, titles: dict[int, str]) -> str:
    batch = posting.batch
    kind = batch.kind
    milestone_id = (batch.data or {}).get("milestone_id")
    title = titles.get(milestone_id) if milestone_id is not None else None
    named = {"title": title or _("a milestone")}
    target = _column(posting.to_account, user_id)
    if kind == "escrow_fund":
        return (
            _("Client paid milestone “%(title)s” into escrow") % named
            if title
            else _("Client paid a milestone into escrow")
        )
    if kind == "escrow_release":
        if target == "available":
            return _("Milestone “%(title)s” released to you") % named if title else _("Milestone released to you")
        if posting.to_account.purpose == AccountPurpose.FEE_INCOME:
            return _("The coop's fee on milestone “%(title)s”") % named if title else _("The coop's fee on a milestone")
    if kind in ("escrow_refund", "release_reversal"):
        return (
            _("Milestone “%(title)s” refunded to the client") % named
            if title
            else _("Milestone refunded to the client")
        )
    if kind == "dispute_settle":
        if target == "available":
            return _("Dispute on “%(title)s” settled: paid to you") % named
        if posting.to_account.purpose == AccountPurpose.FEE_INCOME:
            return _("The coop's fee on milestone “%(title)s”") % named
        return _("Dispute on “%(title)s” settled: refunded to the client") % named
    if kind == "withdrawal_request":
        return _("You asked to be paid to your bank account")
    if kind == "withdrawal_settle":
        return _("Paid to your bank account")
    if kind == "withdrawal_fail":
        return _("Payment to your bank account failed; the money is available again")
    if kind == "opening_balance":
        return _("Earnings carried over from the coop's earlier bookkeeping")
    if kind == "reversal":
        return _("Corrected by the coop's finance team")
    return str(event_label(kind))


def _newer_changes(postings: QuerySet[Posting], newer_count: int, user_id: int) -> dict[str, int]:
    """Sum each column's changes over the `newer_count` newest postings, in one query."""
    if newer_count <= 0:
        return dict.fromkeys(COLUMNS, 0)
    me = str(user_id)

    def side(prefix: str) -> dict[str, Q]:
        return {
            "in_escrow": Q(**{f"{prefix}__purpose": AccountPurpose.ESCROW, f"{prefix}__beneficiary_id": user_id}),
            "available": Q(
                **{
                    f"{prefix}__purpose": AccountPurpose.PAYABLE,
                    f"{prefix}__owner_type": "user",
                    f"{prefix}__owner_id": me,
                }
            ),
            "pending_withdrawal": Q(
                **{
                    f"{prefix}__purpose": AccountPurpose.PAYOUT_PENDING,
                    f"{prefix}__owner_type": "user",
                    f"{prefix}__owner_id": me,
                }
            ),
        }

    into, out_of = side("to_account"), side("from_account")
    ids = list(postings.values_list("pk", flat=True)[:newer_count])
    newer = Posting.objects.filter(pk__in=ids)
    zero = Value(0, output_field=IntegerField())
    sums: dict[str, Any] = {}
    for column in ("in_escrow", "available", "pending_withdrawal"):
        sums[f"{column}_in"] = Coalesce(Sum(Case(When(into[column], then=F("amount_cents")), default=zero)), zero)
        sums[f"{column}_out"] = Coalesce(Sum(Case(When(out_of[column], then=F("amount_cents")), default=zero)), zero)
    paid = out_of["pending_withdrawal"] & Q(to_account__purpose=AccountPurpose.PROVIDER_CLEARING)
    sums["paid_out_in"] = Coalesce(Sum(Case(When(paid, then=F("amount_cents")), default=zero)), zero)
    totals = newer.aggregate(**sums)
    result = {column: totals[f"{column}_in"] - totals[f"{column}_out"] for column in COLUMNS if column != "paid_out"}
    result["paid_out"] = totals["paid_out_in"]
    return result


def earnings_rows(
    postings: QuerySet[Posting],
    page_postings: Sequence[Posting],
    start_index: int,
    user_id: int,
    current: dict[str, int],
) -> list[EarningsRow]:
    """Return the page's rows, newest first, each with the balances of every column after it.

    `start_index` is how many newer postings precede the page; `current` is today's balances.
    """
    newer = _newer_changes(postings, start_index, user_id)
    balance = {column: current.get(column, 0) - newer[column] for column in COLUMNS}
    milestone_ids: set[int] = {
        int(posting.batch.data["milestone_id"])
        for posting in page_postings
        if isinstance(posting.batch.data, dict) and posting.batch.data.get("milestone_id") is not None
    }
    titles: dict[int, str] = {}
    if milestone_ids and "titles" in MILESTONE_TITLES:
        titles = MILESTONE_TITLES.get("titles")(milestone_ids)
    rows = []
    for posting in page_postings:
        changes = _changes(posting, user_id)
        rows.append(
            EarningsRow(
                posting=posting,
                description=_describe(posting, user_id, titles),
                amount_cents=posting.amount_cents,
                currency=posting.currency,
                changes=changes,
                balances=dict(balance),
            )
        )
        balance = {column: balance[column] - changes[column] for column in COLUMNS}
    return rows

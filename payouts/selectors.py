"""Reads for the payouts pages and API: earnings, finance lists, the books and the open books."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import default_currency, percent_share
from payouts.ledger import PATRONAGE_CASH_KIND, PROVIDER_FEES_CATEGORY
from payouts.ledger.selectors import freelancer_balances, user_postings
from payouts.models import (
    Account,
    AccountPurpose,
    BankPayment,
    PaymentRequest,
    PayoutAccount,
    Posting,
    Withdrawal,
    WithdrawalBatch,
)

EARNING_PURPOSES = (AccountPurpose.PAYABLE, AccountPurpose.PAYOUT_PENDING)

# What each kind of ledger batch means, for people reading their history.
EVENT_LABELS: dict[str, Any] = {
    "escrow_fund": _("Milestone funded into escrow"),
    "escrow_release": _("Milestone released"),
    "escrow_refund": _("Milestone refunded"),
    "release_reversal": _("Release reversed and refunded"),
    "dispute_settle": _("Dispute settled"),
    "share_purchase": _("Shares bought"),
    "share_redeem": _("Shares redeemed"),
    "expense": _("Expense"),
    "provider_fee": _("Payment provider fees"),
    "income": _("Other income"),
    "withdrawal_request": _("Withdrawal requested"),
    "withdrawal_settle": _("Withdrawal paid out"),
    "withdrawal_fail": _("Withdrawal failed, returned"),
    "member_capital_credit": _("Patronage retained in capital account"),
    "fund_allocate": _("Allocated to a fund"),
    "bank_payment_apply": _("Bank payment applied"),
    "bank_payment_suspense": _("Bank payment held in suspense"),
    "bank_payment_refund": _("Bank payment paid back"),
    "opening_balance": _("Opening balance"),
    PATRONAGE_CASH_KIND: _("Patronage paid in cash"),
    "reversal": _("Reversal"),
}

# Expense accounts are named by a free-text category; the ones the coop books show a readable name.
COST_LABELS: dict[str, Any] = {
    "accounting": _("Accounting"),
    "hosting": _("Hosting"),
    PROVIDER_FEES_CATEGORY: _("Payment provider fees"),
}


def event_label(kind: str) -> Any:
    return EVENT_LABELS.get(kind, kind)


def cost_label(category: str) -> Any:
    """Return a cost category as members read it: translated when known, else the key made readable."""
    from payouts.open_books.models import CostCategory

    known = COST_LABELS.get(category)
    if known is None and category in CostCategory.values:
        known = CostCategory(category).label
    return known or category.replace("_", " ").strip().capitalize()


def _is_earning(account: Account, user_id: int) -> bool:
    """Return whether money on this account counts as the user's available earnings."""
    return account.purpose == AccountPurpose.PAYABLE and account.owner_id == str(user_id)


def earnings_history(postings: Any, user_id: int) -> list[dict[str, Any]]:
    """Describe each posting from the freelancer's side: what happened, and + or - on available."""
    rows = []
    for posting in postings:
        into = _is_earning(posting.to_account, user_id)
        out_of = _is_earning(posting.from_account, user_id)
        change = posting.amount_cents if into else -posting.amount_cents if out_of else 0
        rows.append(
            {
                "posting": posting,
                "event": event_label(posting.batch.kind),
                "memo": posting.batch.memo,
                "amount_cents": posting.amount_cents,
                "change_cents": change,
                "to": posting.to_account.get_purpose_display(),
                "from": posting.from_account.get_purpose_display(),
            }
        )
    return rows


def earnings_postings(user_id: int) -> QuerySet[Posting]:
    """Return the postings that touched the user's earnings or escrow held for them."""
    return user_postings(user_id, EARNING_PURPOSES)


def user_withdrawals(user_id: int) -> QuerySet[Withdrawal]:
    return Withdrawal.objects.filter(user_id=user_id).select_related("batch").order_by("-created_at", "-id")


def payout_account_for(user_id: int) -> PayoutAccount | None:
    return PayoutAccount.objects.filter(user_id=user_id).first()


def balance_panel_context(user: Any) -> dict[str, Any]:
    return {"balances": freelancer_balances(user.pk), "currency": default_currency()}


def payment_request_for(reference: str) -> PaymentRequest | None:
    return PaymentRequest.objects.select_related("payer").filter(reference=reference).first()


def bank_payments(*, status: str | None = None) -> QuerySet[BankPayment]:
    payments = BankPayment.objects.select_related("payment_request", "resolved_request", "recorded_by")
    if status:
        payments = payments.filter(status=status)
    return payments.order_by("-received_on", "-id")


def open_payment_requests() -> QuerySet[PaymentRequest]:
    return (
        PaymentRequest.objects.filter(status__in=[PaymentRequest.Status.OPEN, PaymentRequest.Status.PARTIALLY_PAID])
        .select_related("payer")
        .order_by("-created_at", "-id")
    )


def withdrawals(*, status: str | None = None) -> QuerySet[Withdrawal]:
    rows = Withdrawal.objects.select_related("user", "batch")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("created_at", "id")


def withdrawal_batches() -> QuerySet[WithdrawalBatch]:
    return WithdrawalBatch.objects.select_related("created_by").order_by("-created_at", "-id")


@dataclass(frozen=True)
class TrialBalance:
    accounts: list[Account]
    by_purpose: list[dict[str, Any]]
    totals: dict[str, int]


def trial_balance() -> TrialBalance:
    """Return every account with its balance, the totals per purpose and per currency.

    Read from the running balances and the monthly posting totals, never from the postings: its
    time grows with the accounts and the months they were active in, not with the postings.
    """
    from payouts.ledger.rollup import account_flows

    inflow, outflow = account_flows()
    accounts = list(
        Account.objects.select_related("user").order_by("currency", "purpose", "owner_type", "owner_id", "name")
    )
    purposes: dict[tuple[str, str], dict[str, Any]] = {}
    totals: dict[str, int] = defaultdict(int)
    for account in accounts:
        account.inflow_cents = inflow.get(account.pk, 0)  # type: ignore[attr-defined]
        account.outflow_cents = outflow.get(account.pk, 0)  # type: ignore[attr-defined]
        account.balance_cents = account.running_balance_cents  # type: ignore[attr-defined]
        row = purposes.setdefault(
            (account.currency, account.purpose),
            {
                "purpose": account.purpose,
                "label": account.get_purpose_display(),
                "currency": account.currency,
                "accounts": 0,
                "inflow_cents": 0,
                "outflow_cents": 0,
                "balance_cents": 0,
            },
        )
        row["accounts"] += 1
        row["inflow_cents"] += account.inflow_cents  # type: ignore[attr-defined]
        row["outflow_cents"] += account.outflow_cents  # type: ignore[attr-defined]
        row["balance_cents"] += account.running_balance_cents
        totals[account.currency] += account.running_balance_cents
    return TrialBalance(accounts=accounts, by_purpose=list(purposes.values()), totals=dict(totals))


def _sum(rows: QuerySet[Posting]) -> int:
    return rows.aggregate(total=Sum("amount_cents"))["total"] or 0


def year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def open_books(year: int, currency: str | None = None) -> dict[str, Any]:
    """Return the coop's income, costs, funds and capital for a year, and where each fee euro went.

    From the monthly posting totals (a year is twelve whole months) and the running balances: a
    few hundred rows whatever the number of postings.
    """
    from payouts.models import PostingRollup

    currency = currency or default_currency()
    year_totals = PostingRollup.objects.filter(
        currency=currency, month__gte=date(year, 1, 1), month__lt=date(year + 1, 1, 1)
    ).order_by()
    # The fee income account by id, not through a join on its purpose: with the id the planner knows
    # how many monthly rows reach it (one per payer and month) and sums them in a hash, not a sort.
    income_accounts = list(
        Account.objects.filter(purpose=AccountPurpose.FEE_INCOME, currency=currency).values_list("pk", flat=True)
    )
    income_in = dict(
        year_totals.filter(to_account_id__in=income_accounts).values_list("kind").annotate(total=Sum("amount_cents"))
    )
    # Grouped by kind too: fee income reaches a member's payable account only as the cash part of
    # a payout cycle, which is paid back to members just like the part retained in capital.
    spent: dict[str, int] = defaultdict(int)
    paid_in_cash = 0
    by_category: dict[str, int] = defaultdict(int)
    for purpose, name, kind, total in (
        year_totals.filter(from_account_id__in=income_accounts)
        .values_list("to_account__purpose", "to_account__name", "kind")
        .annotate(total=Sum("amount_cents"))
    ):
        spent[purpose] += total
        if purpose == AccountPurpose.PAYABLE and kind == PATRONAGE_CASH_KIND:
            paid_in_cash += total
        if purpose == AccountPurpose.EXPENSE:
            by_category[name] += total
    costs = [
        {"to_account__name": name, "total": total}
        for name, total in sorted(by_category.items(), key=lambda item: (-item[1], item[0]))
    ]
    # Fees clawed back by refunds after release go back to escrow: they were never income.
    clawed_back = spent.pop(AccountPurpose.ESCROW, 0)
    fees = income_in.get("escrow_release", 0) + income_in.get("dispute_settle", 0) - clawed_back
    other_income = income_in.get("income", 0)
    income_total = fees + other_income
    funds = list(
        Account.objects.filter(purpose=AccountPurpose.FUND, currency=currency)
        .order_by("name")
        .values_list("name", "running_balance_cents")
    )
    capital = dict(
        Account.objects.filter(
            Q(purpose=AccountPurpose.SHARE_CAPITAL) | Q(purpose=AccountPurpose.MEMBER_CAPITAL), currency=currency
        )
        .values_list("purpose")
        .annotate(total=Sum("running_balance_cents"))
        .order_by()
    )
    destinations = [
        ("expense", spent.get(AccountPurpose.EXPENSE, 0)),
        ("fund", spent.get(AccountPurpose.FUND, 0)),
        ("member_capital", spent.get(AccountPurpose.MEMBER_CAPITAL, 0) + paid_in_cash),
    ]
    allocated = sum(amount for _key, amount in destinations)
    destinations.append(("unallocated", max(income_total - allocated, 0)))
    base = max(income_total, allocated)
    fee_euro = [
        {"key": key, "amount_cents": amount, "percent": percent_share(amount, base)} for key, amount in destinations
    ]
    return {
        "year": year,
        "currency": currency,
        "fees_cents": fees,
        "other_income_cents": other_income,
        "income_cents": income_total,
        "costs": [
            {
                "category": c["to_account__name"],
                "label": str(cost_label(c["to_account__name"])),
                "amount_cents": c["total"],
            }
            for c in costs
        ],
        "costs_cents": sum(c["total"] for c in costs),
        "funds": [{"name": name, "balance_cents": balance} for name, balance in funds],
        "share_capital_cents": capital.get(AccountPurpose.SHARE_CAPITAL, 0),
        "member_capital_cents": capital.get(AccountPurpose.MEMBER_CAPITAL, 0),
        "fee_euro": fee_euro,
    }

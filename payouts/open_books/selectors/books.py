"""Reads for the open books' pages: every transaction with counterparties as roles, spending against
budget, and the expense lists."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from core.money import default_currency
from payouts.models import AccountPurpose, Batch, Posting, PostingRollup
from payouts.open_books.models import Budget, CostCategory, ExpenseClaim
from payouts.selectors import cost_label, event_label, year_bounds

PAGE_SIZE = 25

# Who is on each side of a posting, as a role: the books never name a freelancer, client or member.
ROLES: dict[str, Any] = {
    AccountPurpose.ESCROW: _("A client's payment held in escrow"),
    AccountPurpose.PAYABLE: _("A freelancer's or member's balance"),
    AccountPurpose.PAYOUT_PENDING: _("A withdrawal on its way"),
    AccountPurpose.FEE_INCOME: _("The coop's income"),
    AccountPurpose.EXPENSE: _("Costs"),
    AccountPurpose.PROVIDER_CLEARING: _("Bank or payment provider"),
    AccountPurpose.SHARE_CAPITAL: _("A member's shares"),
    AccountPurpose.MEMBER_CAPITAL: _("A member's capital account"),
    AccountPurpose.FUND: _("A fund"),
    AccountPurpose.SUSPENSE: _("A payment not yet matched"),
}


def category_label(category: str) -> Any:
    labels = dict(CostCategory.choices)
    return labels.get(category) or cost_label(category)


def role_of(account: Any) -> str:
    """Return an account as a role, with the cost category or fund's name where that says more."""
    role = str(ROLES.get(account.purpose, account.purpose))
    if account.purpose == AccountPurpose.EXPENSE and account.name:
        return f"{role}: {category_label(account.name)}"
    if account.purpose == AccountPurpose.FUND and account.name:
        from payouts.cycles.labels import fund_name

        return f"{role}: {fund_name(account.name)}"
    return role


def transactions_page(*, year: int, before: int | None = None) -> tuple[list[dict[str, Any]], int | None]:
    """Return one page of the year's ledger events, newest first, and the id to continue before.

    Keyset pagination (no count): the same three queries for any page of any year.
    """
    start, end = year_bounds(year)
    batches = Batch.objects.filter(created_at__gte=start, created_at__lt=end)
    if before is not None:
        batches = batches.filter(pk__lt=before)
    page = list(
        batches.order_by("-pk")
        .only("pk", "kind", "created_at")
        .prefetch_related(
            Prefetch(
                "postings",
                queryset=Posting.objects.select_related("from_account", "to_account")
                .only(
                    "batch_id",
                    "amount_cents",
                    "currency",
                    "from_account__purpose",
                    "from_account__name",
                    "to_account__purpose",
                    "to_account__name",
                )
                .order_by("pk"),
            )
        )[: PAGE_SIZE + 1]
    )
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    rows = [
        {
            "id": batch.pk,
            "at": batch.created_at,
            "kind": batch.kind,
            "event": str(event_label(batch.kind)),
            "postings": [
                {
                    "from": role_of(p.from_account),
                    "to": role_of(p.to_account),
                    "amount_cents": p.amount_cents,
                    "currency": p.currency,
                }
                for p in batch.postings.all()
            ],
        }
        for batch in page
    ]
    return rows, (page[-1].pk if more and page else None)


def budget_for(year: int) -> Budget | None:
    """Return the budget in force for `year`: the latest the members adopted."""
    return Budget.objects.filter(year=year).prefetch_related("lines").order_by("-created_at", "-pk").first()


def spending_against_budget(year: int, currency: str | None = None) -> list[dict[str, Any]]:
    """Return per cost category the year's budget, what was spent (from the monthly totals) and the share used."""
    currency = currency or default_currency()
    spent: dict[str, int] = defaultdict(int)
    for name, total in (
        PostingRollup.objects.filter(
            currency=currency,
            month__gte=date(year, 1, 1),
            month__lt=date(year + 1, 1, 1),
            to_account__purpose=AccountPurpose.EXPENSE,
            from_account__purpose=AccountPurpose.FEE_INCOME,
        )
        .values_list("to_account__name")
        .annotate(total=Sum("amount_cents"))
        .order_by()
    ):
        spent[name] += total
    budget = budget_for(year)
    budgeted = {line.category: line.amount_cents for line in budget.lines.all()} if budget else {}
    rows = []
    for category in sorted(set(spent) | set(budgeted), key=lambda c: (-budgeted.get(c, 0), -spent.get(c, 0), c)):
        planned = budgeted.get(category)
        used = spent.get(category, 0)
        rows.append(
            {
                "category": category,
                "label": str(category_label(category)),
                "budget_cents": planned,
                "spent_cents": used,
                "percent": round(used * 100 / planned) if planned else None,
                "over": planned is not None and used > planned,
            }
        )
    return rows


def expenses_for(user: Any, *, everyone: bool, status: str | None = None) -> QuerySet[ExpenseClaim]:
    """Return the expenses a person sees on their list: their own, or every one for finance and the board."""
    rows = ExpenseClaim.objects.select_related("claimant", "approved_by", "withdrawal")
    if not everyone:
        rows = rows.filter(claimant=user)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-pk")


def waiting_count() -> int:
    return ExpenseClaim.objects.filter(status=ExpenseClaim.Status.SUBMITTED).count()


def expense_of(pk: int) -> ExpenseClaim | None:
    return (
        ExpenseClaim.objects.select_related("claimant", "approved_by", "withdrawal", "withdrawal__batch")
        .filter(pk=pk)
        .first()
    )


def years_with_books(this_year: int) -> list[int]:
    """The years a reader can pick: this one and the four before it."""
    return list(range(this_year, this_year - 5, -1))

"""Annual accounts from the ledger: an income statement for a year and a balance sheet at its end.

Read from the monthly posting totals (PostingRollup) and the running balances, never from the
postings: a year is twelve whole months of totals, and a balance at the year's end is the running
balance less what moved after it (the totals of the months since).

The mapping of ledger accounts to lines is fixed (docs/open-books.md says the same in words):

Income statement, for the movements of the year:
  fees            marketplace fees: into fee income from a release or a settled dispute, less the
                  fees taken back into escrow when a released milestone was refunded
  other_income    other income: into fee income from outside (kind "income")
  cost:<category> each cost category: into the expense account of that category
  surplus         income less costs: what a payout cycle can distribute
  Distributed in the year (where the surplus went): into funds and members' capital accounts
  from fee income, and the cash part of profit shares (kind "patronage_cash").

Balance sheet, at the end of the year (balances; every posting keeps assets = liabilities + equity):
  assets       cash          money held at the payment providers (their clearing accounts, negated)
  liabilities  escrow        clients' money held for milestones
               payable       freelancers' and members' balances, withdrawals on their way out
               suspense      bank payments not yet matched
               expense       costs booked but not yet passed on (normally none)
  equity       share_capital members' paid-in shares
               member_capital surplus kept in members' capital accounts
               fund:<name>   each fund (reserve, education...)
               retained      surplus not yet distributed (fee income's balance)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Sum

from core.money import default_currency
from payouts.ledger import PATRONAGE_CASH_KIND
from payouts.models import Account, AccountPurpose, PostingRollup

LIABILITY_LINES = {
    AccountPurpose.ESCROW: "escrow",
    AccountPurpose.PAYABLE: "payable",
    AccountPurpose.PAYOUT_PENDING: "payable",
    AccountPurpose.SUSPENSE: "suspense",
    AccountPurpose.EXPENSE: "expense",
}
EQUITY_LINES = {
    AccountPurpose.SHARE_CAPITAL: "share_capital",
    AccountPurpose.MEMBER_CAPITAL: "member_capital",
    AccountPurpose.FEE_INCOME: "retained",
}


@dataclass
class AnnualAccounts:
    year: int
    currency: str
    fees_cents: int = 0
    other_income_cents: int = 0
    costs: list[dict[str, Any]] = field(default_factory=list)
    to_funds_cents: int = 0
    to_members_cents: int = 0
    cash_cents: int = 0
    liabilities: list[dict[str, Any]] = field(default_factory=list)
    equity: list[dict[str, Any]] = field(default_factory=list)

    @property
    def income_cents(self) -> int:
        return self.fees_cents + self.other_income_cents

    @property
    def costs_cents(self) -> int:
        return sum(line["amount_cents"] for line in self.costs)

    @property
    def surplus_cents(self) -> int:
        return self.income_cents - self.costs_cents

    @property
    def distributed_cents(self) -> int:
        return self.to_funds_cents + self.to_members_cents

    @property
    def liabilities_cents(self) -> int:
        return sum(line["amount_cents"] for line in self.liabilities)

    @property
    def equity_cents(self) -> int:
        return sum(line["amount_cents"] for line in self.equity)

    def as_dict(self) -> dict[str, Any]:
        """Return the accounts as plain numbers by line key (stored when a period closes; the API's shape)."""
        return {
            "year": self.year,
            "currency": self.currency,
            "income_statement": {
                "fees_cents": self.fees_cents,
                "other_income_cents": self.other_income_cents,
                "income_cents": self.income_cents,
                "costs": [{"category": c["category"], "amount_cents": c["amount_cents"]} for c in self.costs],
                "costs_cents": self.costs_cents,
                "surplus_cents": self.surplus_cents,
                "to_funds_cents": self.to_funds_cents,
                "to_members_cents": self.to_members_cents,
            },
            "balance_sheet": {
                "cash_cents": self.cash_cents,
                "liabilities": [{"line": li["line"], "amount_cents": li["amount_cents"]} for li in self.liabilities],
                "equity": [
                    {"line": li["line"], "name": li.get("name", ""), "amount_cents": li["amount_cents"]}
                    for li in self.equity
                ],
                "liabilities_cents": self.liabilities_cents,
                "equity_cents": self.equity_cents,
            },
        }


def _year_rollups(year: int, currency: str) -> Any:
    return PostingRollup.objects.filter(
        currency=currency, month__gte=date(year, 1, 1), month__lt=date(year + 1, 1, 1)
    ).order_by()


def _balances_at(end: date, currency: str) -> dict[tuple[str, str], int]:
    """Return the balance of each (purpose, name) at `end` (the first of a month): running less later moves."""
    balances: dict[tuple[str, str], int] = defaultdict(int)
    for purpose, name, total in (
        Account.objects.filter(currency=currency)
        .values_list("purpose", "name")
        .annotate(total=Sum("running_balance_cents"))
        .order_by()
    ):
        balances[(purpose, name)] += total
    later = PostingRollup.objects.filter(currency=currency, month__gte=end).order_by()
    for purpose, name, total in (
        later.values_list("to_account__purpose", "to_account__name").annotate(total=Sum("amount_cents")).order_by()
    ):
        balances[(purpose, name)] -= total
    for purpose, name, total in (
        later.values_list("from_account__purpose", "from_account__name").annotate(total=Sum("amount_cents")).order_by()
    ):
        balances[(purpose, name)] += total
    return balances


def annual_accounts(year: int, currency: str | None = None) -> AnnualAccounts:
    """Return the income statement of `year` and the balance sheet at its end (see the module's mapping)."""
    currency = currency or default_currency()
    accounts = AnnualAccounts(year=year, currency=currency)
    rows = _year_rollups(year, currency)
    for kind, total in (
        rows.filter(to_account__purpose=AccountPurpose.FEE_INCOME)
        .values_list("kind")
        .annotate(total=Sum("amount_cents"))
    ):
        if kind in ("escrow_release", "dispute_settle"):
            accounts.fees_cents += total
        elif kind == "income":
            accounts.other_income_cents += total
    costs: dict[str, int] = defaultdict(int)
    for to_purpose, to_name, kind, total in (
        rows.filter(from_account__purpose=AccountPurpose.FEE_INCOME)
        .values_list("to_account__purpose", "to_account__name", "kind")
        .annotate(total=Sum("amount_cents"))
    ):
        if to_purpose == AccountPurpose.ESCROW:
            # A fee taken back when a released milestone was refunded: it was never income.
            accounts.fees_cents -= total
        elif to_purpose == AccountPurpose.EXPENSE:
            costs[to_name] += total
        elif to_purpose == AccountPurpose.FUND:
            accounts.to_funds_cents += total
        elif to_purpose == AccountPurpose.MEMBER_CAPITAL or (
            to_purpose == AccountPurpose.PAYABLE and kind == PATRONAGE_CASH_KIND
        ):
            accounts.to_members_cents += total
    accounts.costs = [
        {"category": name, "amount_cents": total}
        for name, total in sorted(costs.items(), key=lambda item: (-item[1], item[0]))
    ]
    balances = _balances_at(date(year + 1, 1, 1), currency)
    liabilities: dict[str, int] = defaultdict(int)
    equity: list[dict[str, Any]] = []
    for (purpose, name), balance in sorted(balances.items()):
        if purpose == AccountPurpose.PROVIDER_CLEARING:
            accounts.cash_cents -= balance
        elif purpose in LIABILITY_LINES:
            liabilities[LIABILITY_LINES[purpose]] += balance
        elif purpose == AccountPurpose.FUND:
            equity.append({"line": "fund", "name": name, "amount_cents": balance})
    accounts.liabilities = [
        {"line": line, "amount_cents": liabilities[line]}
        for line in ("escrow", "payable", "suspense", "expense")
        if liabilities[line] or line != "expense"
    ]
    fixed = dict.fromkeys(("share_capital", "member_capital", "retained"), 0)
    for (purpose, _name), balance in balances.items():
        if purpose in EQUITY_LINES:
            fixed[EQUITY_LINES[purpose]] += balance
    accounts.equity = [
        {"line": "share_capital", "name": "", "amount_cents": fixed["share_capital"]},
        {"line": "member_capital", "name": "", "amount_cents": fixed["member_capital"]},
        *equity,
        {"line": "retained", "name": "", "amount_cents": fixed["retained"]},
    ]
    return accounts

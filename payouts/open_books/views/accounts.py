"""The annual accounts (page with charts, CSV), every transaction, and closing a year.

Signed-out visitors read what the bylaws publish (selectors.publication), at the same addresses.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core.exceptions import ApplicationError
from core.money import Money
from core.open_data import BOOKS_FULL, BOOKS_SUMMARY
from core.pagination import paged_lists
from core.permissions import page_permission
from payouts.open_books.forms import YearForm
from payouts.open_books.models import AccountingPeriod
from payouts.open_books.selectors import books as selectors
from payouts.open_books.selectors.accounts import AnnualAccounts, annual_accounts
from payouts.open_books.selectors.charts import Bar, bar_chart
from payouts.open_books.selectors.publication import books_require
from payouts.open_books.services.periods import period_close
from payouts.views.common import add_error

PERIODS_PER_PAGE = 20

LIABILITY_LABELS = {
    "escrow": gettext_lazy("Clients' money held in escrow"),
    "payable": gettext_lazy("Owed to freelancers and members"),
    "suspense": gettext_lazy("Payments not yet matched"),
    "expense": gettext_lazy("Costs booked, not yet paid"),
}


def _year(value: Any) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 2000 <= year <= this_year:
        raise Http404
    return year


def equity_label(line: dict[str, Any]) -> str:
    from payouts.cycles.labels import fund_name

    labels = {
        "share_capital": _("Members' share capital"),
        "member_capital": _("Members' retained capital"),
        "retained": _("Surplus not yet distributed"),
    }
    if line["line"] == "fund":
        return _("%(name)s fund") % {"name": fund_name(line["name"])}
    return str(labels[line["line"]])


def accounts_context(year: int) -> dict[str, Any]:
    """Return the accounts of `year` in words and charts, with the period's state."""
    accounts = annual_accounts(year)
    period = AccountingPeriod.objects.filter(year=year).first()
    costs = [
        {"label": str(selectors.category_label(c["category"])), "amount_cents": c["amount_cents"]}
        for c in accounts.costs
    ]
    equity = [{"label": equity_label(line), "amount_cents": line["amount_cents"]} for line in accounts.equity]
    liabilities = [
        {"label": str(LIABILITY_LABELS[line["line"]]), "amount_cents": line["amount_cents"]}
        for line in accounts.liabilities
    ]
    return {
        "accounts": accounts,
        "year": year,
        "closed": period is not None and period.status == AccountingPeriod.Status.CLOSED,
        "period": period,
        "costs": costs,
        "equity": equity,
        "liabilities": liabilities,
        "income_chart": _income_chart(accounts, costs),
        "balance_chart": _balance_chart(accounts, liabilities, equity),
        "cycles": _cycles(year),
    }


def _income_chart(accounts: AnnualAccounts, costs: list[dict[str, Any]]) -> Any:
    bars = [
        Bar(_("Marketplace fees"), accounts.fees_cents, "income"),
        Bar(_("Other income"), accounts.other_income_cents, "income"),
        *[Bar(c["label"], c["amount_cents"], "cost") for c in costs],
        Bar(_("Surplus"), accounts.surplus_cents, "surplus"),
    ]
    return bar_chart(
        title=_("Income and costs, %(year)s") % {"year": accounts.year},
        description=_("Bars for the income, each cost category and the surplus; the amounts are written beside them."),
        bars=bars,
        currency=accounts.currency,
    )


def _balance_chart(accounts: AnnualAccounts, liabilities: list[dict[str, Any]], equity: list[dict[str, Any]]) -> Any:
    bars = [
        Bar(_("Money at the bank and providers"), accounts.cash_cents, "asset"),
        *[Bar(line["label"], line["amount_cents"], "liability") for line in liabilities],
        *[Bar(line["label"], line["amount_cents"], "equity") for line in equity],
    ]
    return bar_chart(
        title=_("Balance sheet at the end of %(year)s") % {"year": accounts.year},
        description=_("What the coop holds, what it owes, and what belongs to the coop and its members."),
        bars=bars,
        currency=accounts.currency,
    )


def _cycles(year: int) -> list[Any]:
    """The payout cycles whose period lies in the year: the surplus they distributed."""
    from datetime import date

    from payouts.cycles.models import CycleStatus, PayoutCycle

    return list(
        PayoutCycle.objects.filter(
            period_start__gte=date(year, 1, 1),
            period_end__lte=date(year + 1, 1, 1),
            status__in=(CycleStatus.APPROVED, CycleStatus.EXECUTING, CycleStatus.PAID),
        ).order_by("period_start")
    )


@require_GET
def accounts_page(request: HttpRequest, year: int) -> HttpResponse:
    level = books_require(request.user, BOOKS_SUMMARY)
    year = _year(year)
    context = accounts_context(year)
    this_year = timezone.localdate().year
    context |= {"years": selectors.years_with_books(this_year), "full": level == BOOKS_FULL}
    return render(request, "open_books/accounts.html", context)


@require_GET
def accounts_csv(request: HttpRequest, year: int) -> HttpResponse:
    """Download the year's accounts as CSV: one line per row of the statements, amounts in euros."""
    books_require(request.user, BOOKS_SUMMARY)
    context = accounts_context(_year(year))
    accounts: AnnualAccounts = context["accounts"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="annual-accounts-{accounts.year}.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Statement"), _("Line"), _("Amount (%(currency)s)") % {"currency": accounts.currency}])

    def amount(cents: int) -> str:
        return str(Money(cents, accounts.currency).to_decimal())

    income = _("Income statement")
    for label, cents in [
        (_("Marketplace fees"), accounts.fees_cents),
        (_("Other income"), accounts.other_income_cents),
        (_("Total income"), accounts.income_cents),
        *[(c["label"], -c["amount_cents"]) for c in context["costs"]],
        (_("Total costs"), -accounts.costs_cents),
        (_("Surplus"), accounts.surplus_cents),
        (_("To funds"), accounts.to_funds_cents),
        (_("To members"), accounts.to_members_cents),
    ]:
        writer.writerow([income, label, amount(cents)])
    balance = _("Balance sheet")
    writer.writerow([balance, _("Money at the bank and providers"), amount(accounts.cash_cents)])
    for line in context["liabilities"] + context["equity"]:
        writer.writerow([balance, line["label"], amount(line["amount_cents"])])
    return response


@require_GET
def transactions_page(request: HttpRequest) -> HttpResponse:
    """Every ledger event of a year, newest first, counterparties as roles (the full books)."""
    books_require(request.user, BOOKS_FULL)
    this_year = timezone.localdate().year
    year = _year(request.GET.get("year", this_year))
    before_text = request.GET.get("before", "")
    before = int(before_text) if before_text.isdigit() and len(before_text) < 19 else None
    rows, next_before = selectors.transactions_page(year=year, before=before)
    context = {
        "rows": rows,
        "year": year,
        "years": selectors.years_with_books(this_year),
        "next_before": next_before,
        "first_page": before is None,
    }
    return render(request, "open_books/transactions.html", context)


@page_permission("accounting_period.close")
@require_http_methods(["GET", "POST"])
def periods(request: HttpRequest) -> HttpResponse:
    """Finance closes a financial year that has ended."""
    form = YearForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                period = period_close(year=form.cleaned_data["year"], actor=request.user)  # type: ignore[arg-type]
            except ApplicationError as exc:
                add_error(form, exc)
            else:
                messages.success(request, _("The year %(year)s is closed.") % {"year": period.year})
                return redirect("open_books:periods")
    # One a year: a page at a time, so that the oldest years stay reachable.
    periods = paged_lists(request, PERIODS_PER_PAGE, periods=AccountingPeriod.objects.order_by("-year"))
    context = {"form": form, **periods}
    return render(request, "open_books/periods.html", context, status=status)


@require_GET
def accounts_pdf(request: HttpRequest, year: int) -> HttpResponse:
    """Download the year's accounts as PDF, drawn by the coop's one PDF builder (core.pdf)."""
    from django.conf import settings
    from django.utils.translation import get_language

    from core.pdf import Column, PdfDocument

    books_require(request.user, BOOKS_SUMMARY)
    context = accounts_context(_year(year))
    accounts: AnnualAccounts = context["accounts"]

    def amount(cents: int) -> str:
        return Money(cents, accounts.currency).format()

    title = _("Annual accounts %(year)s") % {"year": accounts.year}
    doc = PdfDocument(
        title=title, footer=settings.COOP_NAME, author=settings.COOP_NAME, language=get_language() or "en"
    )
    doc.heading(title)
    doc.paragraph(
        _("The year is closed: these figures no longer change.")
        if context["closed"]
        else _("Provisional: the year is still open, so these figures change as money moves.")
    )
    columns = [Column(_("Line"), 3), Column(_("Amount"), 1, align="R")]
    doc.subheading(_("Income statement"))
    doc.table(
        columns,
        [
            [_("Marketplace fees"), amount(accounts.fees_cents)],
            [_("Other income"), amount(accounts.other_income_cents)],
            *[[c["label"], amount(-c["amount_cents"])] for c in context["costs"]],
        ],
    )
    doc.totals(
        [
            (_("Total income"), amount(accounts.income_cents)),
            (_("Total costs"), amount(-accounts.costs_cents)),
            (_("Surplus"), amount(accounts.surplus_cents)),
        ]
    )
    doc.key_values(
        [
            (_("Set aside in funds"), amount(accounts.to_funds_cents)),
            (_("Paid back to members as profit shares"), amount(accounts.to_members_cents)),
        ]
    )
    doc.subheading(_("Balance sheet at 31 December %(year)s") % {"year": accounts.year})
    doc.table(
        columns,
        [
            [_("Money at the bank and providers"), amount(accounts.cash_cents)],
            *[[line["label"], amount(line["amount_cents"])] for line in context["liabilities"]],
            *[[line["label"], amount(line["amount_cents"])] for line in context["equity"]],
        ],
    )
    doc.totals(
        [
            (_("What it owes others"), amount(accounts.liabilities_cents)),
            (_("What belongs to the coop and its members"), amount(accounts.equity_cents)),
        ]
    )
    doc.note(_("Freelancers, clients and members are never named: they appear only as totals."))
    response = HttpResponse(doc.output(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="annual-accounts-{accounts.year}.pdf"'
    return response

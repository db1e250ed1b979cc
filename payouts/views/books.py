"""The books for finance (trial balance, CSV) and the open books for members."""

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.money import Money
from core.permissions import can
from payouts import selectors
from payouts.views.common import finance_required


@finance_required
@require_GET
def books(request: HttpRequest) -> HttpResponse:
    return render(request, "payouts/finance/books.html", {"trial": selectors.trial_balance()})


def _amount(cents: int, currency: str) -> str:
    return str(Money(cents, currency).to_decimal())


@finance_required
@require_GET
def books_csv(request: HttpRequest) -> HttpResponse:
    """Download the trial balance per account (default) or per purpose (?by=purpose)."""
    trial = selectors.trial_balance()
    by_purpose = request.GET.get("by") == "purpose"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = "trial-balance-by-purpose" if by_purpose else "trial-balance"
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.csv"'
    writer = csv.writer(response)
    if by_purpose:
        writer.writerow(["purpose", "currency", "accounts", "in", "out", "balance"])
        for row in trial.by_purpose:
            currency = row["currency"]
            writer.writerow(
                [
                    row["purpose"],
                    currency,
                    row["accounts"],
                    _amount(row["inflow_cents"], currency),
                    _amount(row["outflow_cents"], currency),
                    _amount(row["balance_cents"], currency),
                ]
            )
        return response
    writer.writerow(["account", "purpose", "owner_type", "owner_id", "name", "currency", "in", "out", "balance"])
    for account in trial.accounts:
        writer.writerow(
            [
                account.pk,
                account.purpose,
                account.owner_type,
                account.owner_id,
                account.name,
                account.currency,
                _amount(account.inflow_cents, account.currency),
                _amount(account.outflow_cents, account.currency),
                _amount(account.balance_cents, account.currency),
            ]
        )
    return response


@require_GET
def open_books(request: HttpRequest) -> HttpResponse:
    """The coop's books: income, costs against budget, reserves, where each fee euro goes.

    Members always; signed-out visitors when the bylaws publish the summary or the full books.
    """
    from core.open_data import BOOKS_FULL, BOOKS_SUMMARY
    from payouts.open_books.selectors.books import spending_against_budget
    from payouts.open_books.selectors.publication import books_require

    level = books_require(request.user, BOOKS_SUMMARY)
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    year = min(max(year, 2000), this_year)
    context = {
        "books": selectors.open_books(year),
        "years": range(this_year, this_year - 5, -1),
        "budget": spending_against_budget(year),
        "full": level == BOOKS_FULL,
        "member": request.user.is_authenticated and level == BOOKS_FULL and can(request.user, "books.open"),
    }
    return render(request, "payouts/open_books.html", context)

"""The members' decision on a year's budget: an amount per cost category (a form with a row per category).

Registered with core.decisions from OpenBooksConfig.ready(); governance runs the vote and calls
`execute_budget` when it passes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.decisions import DecisionType, FormField, register_decision_type
from core.exceptions import ApplicationError
from core.money import Money, default_currency
from payouts.open_books.exceptions import ErrorCode
from payouts.open_books.models import CostCategory

if TYPE_CHECKING:
    from membership.models import User

BUDGET_DECISION = "open_books.budget"
MAX_LINE_CENTS = 100_000_000_00


def _invalid(message: str) -> ApplicationError:
    return ApplicationError(message, code=ErrorCode.BAD_BUDGET)


def validate_budget(payload: dict[str, Any]) -> dict[str, Any]:
    """Return the budget payload cleaned: a year near now and one amount per known category."""
    if not isinstance(payload, dict):
        raise _invalid(_("A budget names a year and an amount per cost category."))
    year = payload.get("year")
    this_year = timezone.localdate().year
    if isinstance(year, bool) or not isinstance(year, int) or not this_year - 1 <= year <= this_year + 2:
        raise _invalid(_("Choose a year from last year to two years ahead."))
    lines = payload.get("lines")
    if not isinstance(lines, list) or not lines:
        raise _invalid(_("Give at least one cost category with its amount."))
    seen: dict[str, int] = {}
    for line in lines:
        if not isinstance(line, dict):
            raise _invalid(_("Give each line a cost category and an amount."))
        category, cents = line.get("category"), line.get("amount_cents")
        if category not in CostCategory.values:
            raise _invalid(_("Choose one of the cost categories."))
        if category in seen:
            raise _invalid(_("Each cost category may appear once."))
        if isinstance(cents, bool) or not isinstance(cents, int) or not 0 <= cents <= MAX_LINE_CENTS:
            raise _invalid(_("Give each category an amount of zero or more."))
        seen[category] = cents
    return {"year": year, "lines": [{"category": c, "amount_cents": a} for c, a in seen.items()]}


def execute_budget(*, payload: dict[str, Any], proposal_id: int, actor: User | None) -> None:
    from payouts.open_books.services.budgets import budget_adopt

    budget_adopt(payload=payload, proposal_id=proposal_id, actor=actor)


def describe_budget(payload: dict[str, Any]) -> str:
    currency = default_currency()
    lines = payload.get("lines") or []
    labels = dict(CostCategory.choices)
    parts = ", ".join(
        "{} {}".format(
            labels.get(line.get("category"), line.get("category")),
            Money(int(line.get("amount_cents") or 0), currency).format(),
        )
        for line in lines
    )
    total = sum(int(line.get("amount_cents") or 0) for line in lines)
    return _("Budget for %(year)s: %(lines)s; %(total)s in all.") % {
        "year": payload.get("year"),
        "lines": parts,
        "total": Money(total, currency).format(),
    }


def _years() -> list[tuple[int, str]]:
    this_year = timezone.localdate().year
    return [(year, str(year)) for year in range(this_year - 1, this_year + 3)]


def budget_fields() -> list[FormField]:
    return [
        FormField(
            "year",
            "choice",
            gettext_lazy("Year"),
            help_text=gettext_lazy("The financial year the budget is for; it replaces any earlier budget for it."),
            choices=_years,
        ),
        FormField(
            "lines",
            "rows",
            gettext_lazy("Budget per cost category"),
            help_text=gettext_lazy("What the coop may spend in each category; a category left out has no budget."),
            columns=(
                FormField(
                    "category", "choice", gettext_lazy("Cost category"), choices=lambda: list(CostCategory.choices)
                ),
                FormField("amount", "amount", gettext_lazy("Amount")),
            ),
        ),
    ]


def budget_to_payload(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "year": values.get("year"),
        "lines": [{"category": r["category"], "amount_cents": r["amount"]} for r in values.get("lines") or []],
    }


def budget_from_payload(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "year": payload.get("year"),
        "lines": [{"category": r.get("category"), "amount": r.get("amount_cents")} for r in payload.get("lines") or []],
    }


def register() -> None:
    register_decision_type(
        DecisionType(
            key=BUDGET_DECISION,
            label=gettext_lazy("Adopt a budget"),
            rules_key="general",
            validate_payload=validate_budget,
            execute=execute_budget,
            describe=describe_budget,
            form_fields=budget_fields,
            to_payload=budget_to_payload,
            from_payload=budget_from_payload,
        )
    )

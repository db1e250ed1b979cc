"""A budget adopted by the members' decision: written once per decision, safe to run twice."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from core.money import default_currency
from core.services import audit_log
from payouts.open_books.decisions import validate_budget
from payouts.open_books.models import Budget, BudgetLine

if TYPE_CHECKING:
    from membership.models import User


@transaction.atomic
def budget_adopt(*, payload: dict[str, Any], proposal_id: int | None, actor: User | None) -> Budget:
    """Write the budget a decision adopted; the same decision carried out again returns the first one."""
    data = validate_budget(payload)
    if proposal_id is not None:
        existing = Budget.objects.filter(proposal_id=proposal_id).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            budget = Budget.objects.create(year=data["year"], currency=default_currency(), proposal_id=proposal_id)
    except IntegrityError:
        # A concurrent run of the same decision wrote it first (the unique proposal id).
        return Budget.objects.get(proposal_id=proposal_id)
    BudgetLine.objects.bulk_create(
        BudgetLine(budget=budget, category=line["category"], amount_cents=line["amount_cents"])
        for line in data["lines"]
    )
    audit_log(actor=actor, action="budget.adopt", target=budget, data={"year": data["year"], "proposal": proposal_id})
    return budget

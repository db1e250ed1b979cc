"""The members' work rules, for everyone to read: how results are ordered, what needs approval, minimum rates."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from marketplace.selectors.ranking import FACTOR_TEXTS, FACTORS_FOR_JOBS, NEVER_USED
from marketplace.selectors.work_rules import work_rules_in_force
from marketplace.services.work_rules import ranking_weights


@require_GET
def ranking_page(request: HttpRequest) -> HttpResponse:
    """How results are ordered: the factors, the weights in force and who set them, and what is never used."""
    weights, policy = ranking_weights()
    factors = [
        {
            "name": name,
            "label": texts[0],
            "explanation": texts[1],
            "weight": weights.get(name, 0),
            "for_jobs": name in FACTORS_FOR_JOBS,
        }
        for name, texts in FACTOR_TEXTS.items()
    ]
    return render(
        request,
        "marketplace/ranking.html",
        {"factors": factors, "policy": policy, "never_used": NEVER_USED, "total": sum(weights.values())},
    )


@require_GET
def work_rules_page(request: HttpRequest) -> HttpResponse:
    """What the members decided about the work they take on: projects needing approval and minimum rates."""
    return render(request, "marketplace/work_rules.html", work_rules_in_force())

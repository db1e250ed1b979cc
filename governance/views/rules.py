from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.decisions import decision_types
from governance.models import RuleSet
from governance.results import class_name_map


@require_GET
def rules_page(request: HttpRequest) -> HttpResponse:
    """Show every version of every rule family, newest first, and which decisions use which rules."""
    rulesets = list(RuleSet.objects.select_related("adopted_by").order_by("key", "-version"))
    current: dict[str, RuleSet] = {}
    for ruleset in rulesets:
        current.setdefault(ruleset.key, ruleset)
    types = [(t, current.get(t.rules_key)) for t in decision_types()]
    return render(
        request,
        "governance/rules.html",
        {
            "current": list(current.values()),
            "history": rulesets,
            "types": types,
            "class_name_map": class_name_map(),
        },
    )

"""The voting rules' versions for `manage.py rules_show` (core.decisions.RulesReport "rules")."""

from typing import Any

from django.utils.translation import gettext_lazy

from core.decisions import RulesReport, register_rules_report


def _versions() -> list[dict[str, Any]]:
    from governance.models import RuleSet
    from governance.services.rules import RULE_FIELDS

    rows = list(RuleSet.objects.order_by("key", "version"))
    newest = {row.key: row.version for row in rows}
    return [
        {
            "family": row.key,
            "version": row.version,
            "valid_from": row.created_at.isoformat(),
            "in_force": newest[row.key] == row.version,
            "decided_by": row.adopted_by_id,
            "terms": {name: getattr(row, name) for name in RULE_FIELDS},
        }
        for row in rows
    ]


def register() -> None:
    register_rules_report(RulesReport(key="rules", label=gettext_lazy("Voting rules"), versions=_versions))

"""The decision types governance owns: a general resolution and an amendment of the bylaws."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.decisions import RULES_KEYS, DecisionType, register_decision_type
from governance.exceptions import InvalidPayload

GENERAL_RESOLUTION = "governance.general_resolution"
BYLAW_AMENDMENT = "governance.bylaw_amendment"


def _validate_general(payload: dict) -> dict:
    if payload:
        raise InvalidPayload(_("A general resolution carries no details beyond its text."))
    return {}


def _validate_bylaw(payload: dict) -> dict:
    from governance.services.rules import RULE_FIELDS, rules_validate

    article = str(payload.get("article", "")).strip()
    text = str(payload.get("text", "")).strip()
    if not article or not text:
        raise InvalidPayload(_("Name the article and give its new text."), detail={"fields": ["article", "text"]})
    cleaned: dict[str, Any] = {"article": article[:120], "text": text}
    rules = payload.get("rules")
    if rules:
        rules_key = payload.get("rules_key")
        if rules_key not in RULES_KEYS or not isinstance(rules, dict):
            raise InvalidPayload(_("Say which rules change and how."), detail={"field": "rules"})
        unknown = sorted(set(rules) - set(RULE_FIELDS))
        if unknown:
            raise InvalidPayload(_("Unknown rule: %(name)s.") % {"name": unknown[0]}, detail={"field": "rules"})
        rules_validate(dict(rules), key=rules_key)
        cleaned.update(rules_key=rules_key, rules=rules)
    return cleaned


def _execute_bylaw(*, payload: dict, proposal_id: int, actor: Any) -> None:
    """Put the amended bylaws in force, and adopt the new rules version the amendment carries, if any."""
    from governance.models import RuleSet
    from governance.services.rules import ruleset_create_version
    from membership.services import bylaws_amend

    bylaws_amend(article=payload["article"], text=payload["text"], source=f"decision-{proposal_id}", actor=actor)
    if not payload.get("rules") or RuleSet.objects.filter(adopted_by_id=proposal_id).exists():
        return
    ruleset_create_version(
        key=payload["rules_key"],
        changes=payload["rules"],
        note=_("Article %(article)s, as amended by the members.") % {"article": payload["article"]},
        actor=actor,
        adopted_by_id=proposal_id,
    )


def _describe_bylaw(payload: dict) -> str:
    if payload.get("rules"):
        return _("Amends article %(article)s and the %(key)s voting rules.") % {
            "article": payload.get("article", ""),
            "key": payload.get("rules_key", ""),
        }
    return _("Amends article %(article)s.") % {"article": payload.get("article", "")}


def register() -> None:
    register_decision_type(
        DecisionType(
            key=GENERAL_RESOLUTION,
            label=gettext_lazy("General resolution"),
            rules_key="general",
            validate_payload=_validate_general,
            execute=None,
            describe=lambda payload: _("A resolution of the members; it changes nothing in the platform by itself."),
        )
    )
    register_decision_type(
        DecisionType(
            key=BYLAW_AMENDMENT,
            label=gettext_lazy("Bylaw amendment"),
            rules_key="bylaw",
            validate_payload=_validate_bylaw,
            execute=_execute_bylaw,
            describe=_describe_bylaw,
        )
    )

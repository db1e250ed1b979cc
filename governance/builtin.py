"""The decision types governance owns: a general resolution and an amendment of the bylaws."""

import difflib
import re
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.decisions import RULES_KEYS, DecisionType, FormField, register_decision_type
from governance.exceptions import InvalidPayload
from governance.rule_fields import rule_fields, rules_from_form, rules_to_form

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
        from governance.rule_fields import rule_changes_words

        text = _("Amends article %(article)s of the bylaws and the voting rules for %(key)s.") % {
            "article": payload.get("article", ""),
            "key": rules_label(payload.get("rules_key", "")),
        }
        changes = rule_changes_words(str(payload.get("rules_key", "")), dict(payload["rules"]))
        return f"{text} {changes}." if changes else text
    return _("Amends article %(article)s of the bylaws.") % {"article": payload.get("article", "")}


def rules_label(key: str) -> str:
    labels = {
        "general": _("general decisions"),
        "bylaw": _("bylaw amendments"),
        "admission": _("admissions"),
        "expulsion": _("expulsions"),
        "payout": _("payouts"),
        "project": _("projects"),
        "election": _("elections"),
    }
    return labels.get(key, key)


ARTICLE_HEADING = re.compile(r"(?m)^Article\s+([^.\s]+)\.[ \t]*([^\n]*)$")


def bylaws_in_force_text() -> str:
    from membership.models import BylawsVersion

    current = BylawsVersion.objects.filter(effective_on__lte=timezone.localdate()).order_by("-effective_on", "-id")
    version = current.only("text").first()
    return version.text if version else ""


def bylaws_articles() -> list[tuple[str, str, str]]:
    """The articles of the bylaws in force: (number, heading, body)."""
    text = bylaws_in_force_text()
    matches = list(ARTICLE_HEADING.finditer(text))
    articles = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        articles.append((match.group(1), match.group(2).strip(), text[match.end() : end].strip()))
    return articles


def _article_choices() -> list[tuple[str, str]]:
    return [
        (number, _("Article %(number)s. %(heading)s") % {"number": number, "heading": heading})
        for number, heading, _body in bylaws_articles()
    ]


def _bylaw_fields() -> list[FormField]:
    return [
        FormField(
            "article",
            "choice",
            gettext_lazy("Article"),
            help_text=gettext_lazy("The article of the bylaws in force that the amendment replaces."),
            choices=_article_choices,
        ),
        FormField(
            "text",
            "longtext",
            gettext_lazy("New text of the article"),
            help_text=gettext_lazy(
                "The whole article as it would read; its heading stays. Members see the change side by side."
            ),
            max_length=20000,
        ),
        *rule_fields(),
    ]


def _bylaw_to_payload(values: dict[str, Any]) -> dict[str, Any]:
    """The article and its text, and the voting rules the amendment changes (as the API takes them)."""
    payload: dict[str, Any] = {"article": values.get("article") or "", "text": values.get("text") or ""}
    rules_key, rules = rules_from_form(values)
    if rules and not rules_key:
        raise InvalidPayload(
            _("Pick which voting rules the article sets, or leave every rule on “Choose…”."),
            detail={"field": "rules_key"},
        )
    if rules:
        payload.update(rules_key=rules_key, rules=rules)
    return payload


def _bylaw_from_payload(payload: dict[str, Any]) -> dict[str, Any]:
    return {"article": payload.get("article", ""), "text": payload.get("text", ""), **rules_to_form(payload)}


def bylaw_diff(payload: dict) -> list[tuple[str, str, str]]:
    """The article now and as amended, line by line: (kind, old line, new line), kind one of
    "same", "changed", "removed", "added"."""
    old = next((body for number, _h, body in bylaws_articles() if number == str(payload.get("article"))), "")
    old_lines, new_lines = old.splitlines(), str(payload.get("text", "")).strip().splitlines()
    rows: list[tuple[str, str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old_lines, b=new_lines).get_opcodes():
        if tag == "equal":
            rows += [("same", line, line) for line in old_lines[i1:i2]]
            continue
        olds, news = old_lines[i1:i2], new_lines[j1:j2]
        for k in range(max(len(olds), len(news))):
            left = olds[k] if k < len(olds) else ""
            right = news[k] if k < len(news) else ""
            kind = "changed" if left and right else ("removed" if left else "added")
            rows.append((kind, left, right))
    return rows


def register() -> None:
    from governance import rules_report

    rules_report.register()
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
            form_fields=_bylaw_fields,
            to_payload=_bylaw_to_payload,
            from_payload=_bylaw_from_payload,
        )
    )

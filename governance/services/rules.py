"""Versioned rule sets: a change of the rules is always a new version."""

from fractions import Fraction
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.decisions import RULES_KEYS, decision_types
from core.exceptions import ApplicationError
from core.permissions import authorize
from core.services import audit_log
from governance.exceptions import ErrorCode
from governance.models import RuleSet
from membership.models import MemberClass, User

# Fields a new version may change; everything else is bookkeeping.
RULE_FIELDS = (
    "label",
    "voter_class_slugs",
    "quorum_numerator",
    "quorum_denominator",
    "quorum_base",
    "quorum_strict",
    "quorum_min_count",
    "threshold_numerator",
    "threshold_denominator",
    "threshold_base",
    "threshold_strict",
    "double_majority_class_slugs",
    "class_weights",
    "notice_days",
    "voting_days",
    "secret",
    "results_hidden_until_close",
    "participation_visible_from",
    "proxies_allowed",
    "max_proxies",
    "early_close",
    "urgent_decision_keys",
    "urgent_notice_days",
    "urgent_voting_days",
    "urgent_article",
    "books_public",
)


def ruleset_current(*, key: str) -> RuleSet:
    """Return the newest version of the rules for `key`."""
    ruleset = RuleSet.objects.filter(key=key).order_by("-version").first()
    if ruleset is None:
        raise ApplicationError(_("No rules are set for %(key)s decisions.") % {"key": key}, code=ErrorCode.NO_RULES)
    return ruleset


def _invalid(message: str, field: str) -> ApplicationError:
    return ApplicationError(message, code=ErrorCode.INVALID_RULES, detail={"field": field})


def rules_validate(values: dict[str, Any], *, key: str | None = None) -> dict[str, Any]:
    """Check a full set of rule values (of the family `key`, when known); return them cleaned.

    Raise ApplicationError on the first problem.
    """
    unknown = sorted(set(values) - set(RULE_FIELDS))
    if unknown:
        raise _invalid(_("Unknown rule: %(name)s.") % {"name": unknown[0]}, unknown[0])
    known_classes = set(MemberClass.objects.values_list("slug", flat=True))
    for field in ("voter_class_slugs", "double_majority_class_slugs"):
        slugs = values.get(field) or []
        if not isinstance(slugs, list) or any(slug not in known_classes for slug in slugs):
            raise _invalid(_("Name only existing member classes."), field)
    weights = values.get("class_weights") or {}
    if not isinstance(weights, dict):
        raise _invalid(_("Class weights must map a class to its weight and cap."), "class_weights")
    for slug, spec in weights.items():
        if slug not in known_classes or not isinstance(spec, dict) or set(spec) - {"weight", "cap"}:
            raise _invalid(_("Class weights must map a class to its weight and cap."), "class_weights")
        try:
            weight = Fraction(str(spec.get("weight", 1)))
            cap = Fraction(str(spec["cap"])) if "cap" in spec else None
        except (ValueError, ZeroDivisionError):
            raise _invalid(_("A weight or cap is not a number."), "class_weights") from None
        if weight <= 0 or (cap is not None and not 0 < cap < 1):
            raise _invalid(_("A weight must be above zero and a cap between zero and one."), "class_weights")
    quorum_denominator = values.get("quorum_denominator", 1)
    if quorum_denominator < 1 or values.get("quorum_numerator", 0) > quorum_denominator:
        raise _invalid(_("The quorum must be a fraction between 0 and 1."), "quorum_numerator")
    threshold_denominator = values.get("threshold_denominator", 2)
    if not 1 <= values.get("threshold_numerator", 1) <= threshold_denominator:
        raise _invalid(_("The threshold must be a fraction above 0 and at most 1."), "threshold_numerator")
    if values.get("voting_days", 7) < 1:
        raise _invalid(_("Voting must stay open for at least one day."), "voting_days")
    if values.get("proxies_allowed"):
        if values.get("secret"):
            raise _invalid(
                _("Proxies need an open ballot: a member's own vote must be able to replace their proxy's."),
                "proxies_allowed",
            )
        if values.get("max_proxies", 0) < 1:
            raise _invalid(_("Say how many proxies one member may hold (at least one)."), "max_proxies")
    _urgent_validate(values, key=key)
    if values.get("books_public", RuleSet.BooksPublic.NOTHING) not in RuleSet.BooksPublic.values:
        raise _invalid(_("Choose nothing, the summary or the full books."), "books_public")
    return values


def _urgent_validate(values: dict[str, Any], *, key: str | None) -> None:
    """Check the urgent procedure: known decision types of this family, windows shorter than the usual ones."""
    keys = values.get("urgent_decision_keys") or []
    if not isinstance(keys, list) or not all(isinstance(name, str) for name in keys):
        raise _invalid(_("List the decision types by their keys."), "urgent_decision_keys")
    known = {dtype.key: dtype.rules_key for dtype in decision_types()}
    for name in keys:
        if name not in known or (key is not None and known[name] != key):
            raise _invalid(
                _("%(name)s is not a decision type decided under these rules.") % {"name": name},
                "urgent_decision_keys",
            )
    article = values.get("urgent_article", "")
    if not isinstance(article, str) or len(article) > 120:
        raise _invalid(_("Name the article in at most 120 characters."), "urgent_article")
    if values.get("urgent_voting_days", 3) < 1:
        raise _invalid(_("Voting must stay open for at least one day."), "urgent_voting_days")
    if keys and values.get("urgent_notice_days", 1) > values.get("notice_days", 7):
        raise _invalid(_("The urgent procedure cannot give longer notice than the usual one."), "urgent_notice_days")
    if keys and values.get("urgent_voting_days", 3) > values.get("voting_days", 7):
        raise _invalid(_("The urgent procedure cannot vote for longer than the usual one."), "urgent_voting_days")


@transaction.atomic
def ruleset_create_version(
    *, key: str, changes: dict[str, Any], note: str = "", actor: User | None, adopted_by_id: int | None = None
) -> RuleSet:
    """Write the next version of the rules for `key`: the current values with `changes` applied."""
    if adopted_by_id is None:
        authorize(actor, "rules.version")
    if key not in RULES_KEYS:
        raise _invalid(_("Unknown rule family: %(key)s.") % {"key": key}, "key")
    # Versions are numbered per key; the unique constraint turns a concurrent second writer into an error.
    current = RuleSet.objects.filter(key=key).order_by("-version").first()
    base = {field: getattr(current, field) for field in RULE_FIELDS} if current else {}
    values = rules_validate({**base, **changes}, key=key)
    version = (RuleSet.objects.filter(key=key).aggregate(v=Max("version"))["v"] or 0) + 1
    ruleset = RuleSet.objects.create(
        key=key,
        version=version,
        note=note,
        adopted_by_id=adopted_by_id,
        created_by=actor if getattr(actor, "pk", None) else None,
        **values,
    )
    audit_log(actor=actor, action="rules.versioned", target=ruleset, data={"key": key, "version": version, **changes})
    return ruleset

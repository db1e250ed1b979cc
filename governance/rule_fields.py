"""The bylaw amendment's form for the voting rules it changes: every rule the API accepts, as form fields.

A member picks the rule family the amended article sets and changes any of its rules; a rule left on
"Choose…" keeps its value. The changes become the payload's `rules_key` and `rules`, exactly what the
API takes, and are put in words on every page (`rule_changes_words`).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core.decisions import RULES_KEYS, FormField, decision_types
from governance.models import RuleSet
from governance.rules_defaults import rule_set_name

# The fractions bylaws use for quorums and thresholds.
FRACTIONS = ("1/10", "1/5", "1/4", "1/3", "2/5", "1/2", "3/5", "2/3", "3/4", "4/5", "9/10", "1/1")
BOOLEAN_RULES = (
    "quorum_strict",
    "threshold_strict",
    "secret",
    "results_hidden_until_close",
    "proxies_allowed",
    "early_close",
)
NUMBER_RULES = {
    "quorum_min_count": range(1, 201),
    "notice_days": range(0, 61),
    "voting_days": range(1, 61),
    "participation_visible_from": range(0, 51),
    "max_proxies": range(1, 11),
    "urgent_notice_days": range(0, 31),
    "urgent_voting_days": range(1, 31),
}


def _families() -> list[tuple[str, str]]:
    return [(key, rule_set_name(key)) for key in RULES_KEYS]


def _fractions() -> list[tuple[str, str]]:
    return [(value, _("all") if value == "1/1" else value) for value in FRACTIONS]


def _quorums() -> list[tuple[str, str]]:
    return [("0/1", _("no quorum")), *_fractions()]


def _yes_no() -> list[tuple[bool, Any]]:
    # An answer, not a vote: "Yes" alone is the vote for ("Voor") in Dutch.
    return [(True, pgettext("answer", "Yes")), (False, pgettext("answer", "No"))]


def _more_than() -> list[tuple[bool, Any]]:
    return [(True, _("more than the fraction")), (False, _("at least the fraction"))]


def _numbers(name: str) -> Any:
    return lambda: [(n, str(n)) for n in NUMBER_RULES[name]]


def _classes() -> list[tuple[str, str]]:
    from governance.results import class_name_map

    return sorted(class_name_map().items(), key=lambda item: item[1])


def _decision_types() -> list[tuple[str, str]]:
    return [(dtype.key, str(dtype.label)) for dtype in decision_types()]


def rule_fields() -> list[FormField]:
    """The rule inputs of the bylaw amendment's form, after its article and text."""
    keep = gettext_lazy("Leave on “Choose…” to keep the rule as it is.")
    return [
        FormField(
            "rules_key",
            "choice",
            gettext_lazy("Voting rules this article sets"),
            help_text=gettext_lazy(
                "Only if the amendment changes voting rules: pick which, then change any rule below. When it "
                "passes, those rules get a new version; a rule left on “Choose…” stays as it is."
            ),
            required=False,
            choices=_families,
        ),
        FormField("label", "text", gettext_lazy("New name of these rules"), required=False, max_length=120),
        FormField("quorum", "choice", gettext_lazy("Quorum"), help_text=keep, required=False, choices=_quorums),
        FormField(
            "quorum_base",
            "choice",
            gettext_lazy("Quorum counted of"),
            required=False,
            choices=lambda: list(RuleSet.QuorumBase.choices),
        ),
        FormField("quorum_strict", "choice", gettext_lazy("Quorum needs"), required=False, choices=_more_than),
        FormField(
            "quorum_min_count",
            "choice",
            gettext_lazy("Or a quorum of at least this many votes"),
            required=False,
            choices=_numbers("quorum_min_count"),
        ),
        FormField("threshold", "choice", gettext_lazy("Threshold to pass"), required=False, choices=_fractions),
        FormField(
            "threshold_base",
            "choice",
            gettext_lazy("Threshold counted of"),
            required=False,
            choices=lambda: list(RuleSet.ThresholdBase.choices),
        ),
        FormField("threshold_strict", "choice", gettext_lazy("Passing needs"), required=False, choices=_more_than),
        FormField(
            "voter_class_slugs",
            "choices",
            gettext_lazy("Member classes that vote"),
            help_text=gettext_lazy("Tick none to keep who votes as it is."),
            required=False,
            choices=_classes,
        ),
        FormField(
            "double_majority_class_slugs",
            "choices",
            gettext_lazy("Classes that must also agree"),
            help_text=gettext_lazy("The threshold must also be met within each class ticked; none keeps the rule."),
            required=False,
            choices=_classes,
        ),
        FormField(
            "class_weights",
            "rows",
            gettext_lazy("Class weights"),
            help_text=gettext_lazy(
                "How many times a class's votes count, and at most what share of all votes it may have. "
                "Rows here replace the weights in force."
            ),
            required=False,
            columns=(
                FormField("class", "choice", gettext_lazy("Member class"), choices=_classes),
                FormField("weight", "percent", gettext_lazy("Each vote counts"), min_value=Decimal("0.01")),
                FormField(
                    "cap",
                    "percent",
                    gettext_lazy("At most this percent of all votes"),
                    required=False,
                    max_value=Decimal("99.99"),
                ),
            ),
        ),
        FormField(
            "notice_days", "choice", gettext_lazy("Notice (days)"), required=False, choices=_numbers("notice_days")
        ),
        FormField(
            "voting_days",
            "choice",
            gettext_lazy("Voting window (days)"),
            required=False,
            choices=_numbers("voting_days"),
        ),
        FormField("secret", "choice", gettext_lazy("Secret ballot"), required=False, choices=_yes_no),
        FormField(
            "results_hidden_until_close",
            "choice",
            gettext_lazy("Results hidden until voting closes"),
            required=False,
            choices=_yes_no,
        ),
        FormField(
            "participation_visible_from",
            "choice",
            gettext_lazy("Show who voted once this many have voted"),
            required=False,
            choices=_numbers("participation_visible_from"),
        ),
        FormField(
            "early_close",
            "choice",
            gettext_lazy("Close as soon as everyone on the voter roll has voted"),
            required=False,
            choices=_yes_no,
        ),
        FormField("proxies_allowed", "choice", gettext_lazy("Proxy voting"), required=False, choices=_yes_no),
        FormField(
            "max_proxies",
            "choice",
            gettext_lazy("Proxies one member may hold"),
            required=False,
            choices=_numbers("max_proxies"),
        ),
        FormField(
            "urgent_decision_keys",
            "choices",
            gettext_lazy("Decisions the board may put to an urgent vote"),
            help_text=gettext_lazy("Only decisions taken under these rules; tick none to keep the list."),
            required=False,
            choices=_decision_types,
        ),
        FormField(
            "urgent_notice_days",
            "choice",
            gettext_lazy("Urgent procedure: notice (days)"),
            required=False,
            choices=_numbers("urgent_notice_days"),
        ),
        FormField(
            "urgent_voting_days",
            "choice",
            gettext_lazy("Urgent procedure: voting window (days)"),
            required=False,
            choices=_numbers("urgent_voting_days"),
        ),
        FormField(
            "urgent_article",
            "text",
            gettext_lazy("Article that allows the urgent procedure"),
            required=False,
            max_length=120,
        ),
        FormField(
            "books_public",
            "choice",
            gettext_lazy("What visitors see of the books"),
            help_text=gettext_lazy("Set in the general rules; members always see the full books."),
            required=False,
            choices=lambda: list(RuleSet.BooksPublic.choices),
        ),
    ]


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def rules_from_form(values: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Return (rules_key, rules) from the form's cleaned values: only the rules the member changed."""
    rules: dict[str, Any] = {}
    for name in ("quorum", "threshold"):
        if not _blank(values.get(name)):
            fraction = str(values[name]).split("/")
            rules[f"{name}_numerator"], rules[f"{name}_denominator"] = int(fraction[0]), int(fraction[1])
    for name in (
        "label",
        "quorum_base",
        "threshold_base",
        "urgent_article",
        "books_public",
        *BOOLEAN_RULES,
        *NUMBER_RULES,
    ):
        if not _blank(values.get(name)):
            rules[name] = values[name].strip() if isinstance(values[name], str) else values[name]
    for name in ("voter_class_slugs", "double_majority_class_slugs", "urgent_decision_keys"):
        if not _blank(values.get(name)):
            rules[name] = list(values[name])
    weights = values.get("class_weights") or []
    if weights:
        rules["class_weights"] = {
            row["class"]: {
                "weight": _number(row["weight"]),
                **({"cap": _number(Decimal(row["cap"]) / 100)} if not _blank(row.get("cap")) else {}),
            }
            for row in weights
        }
    return str(values.get("rules_key") or ""), rules


def rules_to_form(payload: dict[str, Any]) -> dict[str, Any]:
    """Return the form's initial values from a stored payload's `rules_key` and `rules`."""
    rules = dict(payload.get("rules") or {})
    values: dict[str, Any] = {"rules_key": payload.get("rules_key") or ""}
    for name in ("quorum", "threshold"):
        if f"{name}_numerator" in rules:
            values[name] = f"{rules.pop(f'{name}_numerator')}/{rules.pop(f'{name}_denominator', 1)}"
    weights = rules.pop("class_weights", None) or {}
    values["class_weights"] = [
        {
            "class": slug,
            "weight": Decimal(str(spec.get("weight", 1))),
            **({"cap": Decimal(str(Fraction(str(spec["cap"])) * 100))} if "cap" in spec else {}),
        }
        for slug, spec in weights.items()
    ]
    values.update(rules)
    return values


def _number(value: Any) -> str:
    number = Decimal(str(value))
    return str(number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize())


def rule_changes_words(rules_key: str, rules: dict[str, Any]) -> str:
    """Say in words what the amendment changes in the rules, from the labels of the form's fields."""
    values = rules_to_form({"rules_key": rules_key, "rules": rules})
    parts: list[str] = []
    for spec in rule_fields()[1:]:
        value = values.get(spec.name)
        if _blank(value):
            continue
        if spec.kind == "rows":
            shown = "; ".join(_weight_words(spec, row) for row in value)
        elif spec.kind == "choices":
            shown = ", ".join(_label(spec, item) for item in value)
        else:
            shown = _label(spec, value)
        parts.append(f"{spec.label}: {shown}")
    return "; ".join(parts)


def _weight_words(spec: FormField, row: dict[str, Any]) -> str:
    """One class's weight in words: "Worker members ×2 (at most 49%)"."""
    text = _("%(class)s ×%(weight)s") % {
        "class": _label(spec.columns[0], row["class"]),
        "weight": _number(row["weight"]),
    }
    if row.get("cap") is not None:
        text += " " + _("(at most %(cap)s%%)") % {"cap": _number(row["cap"])}
    return text


def _label(spec: FormField, value: Any) -> str:
    if spec.choices is None:
        return str(value)
    labels = {str(key): str(label) for key, label in spec.choices()}
    return labels.get(str(value), str(value))

"""The members' work rules as decision types: project acceptance rules, minimum rates, ranking weights.

Each has its own form (core.decisions.FormField), puts the decision in words, and when it passes adds
a version of the rule (marketplace.services.work_rules.work_policy_create, once per decision). The
"Accept a project" decision (marketplace.decisions) publishes or declines the job that waits for it.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.decisions import (
    DecisionType,
    FormField,
    RulesReport,
    moment_words,
    register_decision_type,
    register_rules_report,
)
from core.exceptions import ApplicationError
from core.money import Money, default_currency
from marketplace.exceptions import ErrorCode
from marketplace.models import ClientProfile, WorkPolicy
from marketplace.models.jobs import SECTORS
from membership.models import User

ACCEPTANCE_RULES_KEY = "marketplace.acceptance_rules"
MINIMUM_RATES_KEY = "marketplace.minimum_rates"
RANKING_WEIGHTS_KEY = "marketplace.ranking_weights"
Kind = WorkPolicy.Kind


def _when(value: object, *, field: str) -> datetime:
    when = value if isinstance(value, datetime) else parse_datetime(str(value or ""))
    if when is None or timezone.is_naive(when):
        raise ApplicationError(
            _("Give the date as a date and time with a time zone, for example 2027-01-01T00:00:00+01:00."),
            code=ErrorCode.EFFECTIVE_FROM_INVALID,
            detail={"field": field},
        )
    return when


def _midnight(day: Any) -> str:
    return timezone.make_aware(datetime.combine(day, time.min)).isoformat()


def _day(value: Any) -> Any:
    when = parse_datetime(str(value or ""))
    return timezone.localdate(when) if when and timezone.is_aware(when) else None


def _validate(kind: str, payload: Any, *, ends: bool = False) -> dict[str, Any]:
    from marketplace.services.work_rules import TERMS_CLEANERS

    if not isinstance(payload, dict):
        raise ApplicationError(_("The payload must be an object."), code=ErrorCode.PAYLOAD_INVALID)
    allowed = {"terms", "valid_from", *({"valid_until"} if ends else set())}
    unknown = set(payload) - allowed
    if unknown:
        raise ApplicationError(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}, code=ErrorCode.PAYLOAD_INVALID
        )
    terms = TERMS_CLEANERS[Kind(kind)](payload.get("terms"))
    start = _when(payload.get("valid_from"), field="valid_from")
    clean: dict[str, Any] = {"terms": terms, "valid_from": start.isoformat()}
    if ends and payload.get("valid_until") is not None:
        end = _when(payload.get("valid_until"), field="valid_until")
        if end <= start:
            raise ApplicationError(
                _("The end must be after the start."), code=ErrorCode.PAYLOAD_INVALID, detail={"field": "valid_until"}
            )
        clean["valid_until"] = end.isoformat()
    return clean


def _executor(kind: str, *, ends: bool = False) -> Any:
    def execute(*, payload: dict, proposal_id: int, actor: User | None) -> None:
        from marketplace.services.work_rules import work_policy_create

        clean = _validate(kind, payload, ends=ends)
        work_policy_create(
            kind=kind,
            terms=clean["terms"],
            valid_from=_when(clean["valid_from"], field="valid_from"),
            valid_until=_when(clean["valid_until"], field="valid_until") if clean.get("valid_until") else None,
            actor=actor,
            governance_proposal_id=proposal_id,
        )

    return execute


def _start_field(label: Any) -> FormField:
    return FormField(
        "valid_from",
        "date",
        label,
        help_text=gettext_lazy("From the start of this day. It cannot be before the vote can close."),
        not_before_close=True,
    )


def _amount(cents: Any) -> str:
    return Money(int(cents), default_currency()).format()


# Project acceptance rules ---------------------------------------------------------------------


def _sector_choices() -> list[tuple[str, Any]]:
    return [(key, label) for key, label in SECTORS]


def _client_kind_choices() -> list[tuple[str, Any]]:
    return list(ClientProfile.Kind.choices)


def _days_choices() -> list[tuple[int, str]]:
    return [(days, str(days)) for days in (7, 14, 30, 60, 90, 180, 365)]


def acceptance_fields() -> list[FormField]:
    return [
        FormField(
            "budget_over",
            "amount",
            gettext_lazy("Fixed-price budgets above (%(symbol)s) need the members' approval"),
            help_text=gettext_lazy("Optional. A fixed-price job whose budget goes above this waits for a vote."),
            required=False,
        ),
        FormField(
            "longer_than_days",
            "choice",
            gettext_lazy("Work longer than this many days needs approval"),
            help_text=gettext_lazy("Optional. Counted from publishing to the job's deadline."),
            required=False,
            choices=_days_choices,
        ),
        FormField(
            "client_kinds",
            "choices",
            gettext_lazy("Clients of these kinds need approval"),
            help_text=gettext_lazy("Optional. Tick none to leave the kind of client out of it."),
            required=False,
            choices=_client_kind_choices,
        ),
        FormField(
            "sectors",
            "choices",
            gettext_lazy("Jobs in these sectors need approval"),
            help_text=gettext_lazy("Optional."),
            required=False,
            choices=_sector_choices,
        ),
        FormField(
            "excluded_sectors",
            "choices",
            gettext_lazy("Sectors the coop does not work for"),
            help_text=gettext_lazy("A job in one of these sectors is refused when it is published, with the reason."),
            required=False,
            choices=_sector_choices,
        ),
        _start_field(gettext_lazy("These rules apply from")),
    ]


def acceptance_to_payload(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "terms": {
            "budget_over_cents": values.get("budget_over") or None,
            "longer_than_days": values.get("longer_than_days") or None,
            "client_kinds": list(values.get("client_kinds") or []),
            "sectors": list(values.get("sectors") or []),
            "excluded_sectors": list(values.get("excluded_sectors") or []),
        },
        "valid_from": _midnight(values["valid_from"]),
    }


def acceptance_from_payload(payload: dict[str, Any]) -> dict[str, Any]:
    terms = payload.get("terms") or {}
    return {
        "budget_over": terms.get("budget_over_cents"),
        "longer_than_days": terms.get("longer_than_days"),
        "client_kinds": terms.get("client_kinds") or [],
        "sectors": terms.get("sectors") or [],
        "excluded_sectors": terms.get("excluded_sectors") or [],
        "valid_from": _day(payload.get("valid_from")),
    }


def acceptance_terms_words(terms: dict[str, Any]) -> str:
    """The project acceptance rules in the reader's words."""
    from marketplace.services.work_rules import sector_label

    needs = []
    if terms.get("budget_over_cents"):
        needs.append(_("fixed-price budgets above %(amount)s") % {"amount": _amount(terms["budget_over_cents"])})
    if terms.get("longer_than_days"):
        needs.append(_("work longer than %(days)d days") % {"days": terms["longer_than_days"]})
    kinds = dict(ClientProfile.Kind.choices)
    if terms.get("client_kinds"):
        needs.append(
            _("clients who are: %(kinds)s") % {"kinds": ", ".join(str(kinds.get(k, k)) for k in terms["client_kinds"])}
        )
    if terms.get("sectors"):
        needs.append(_("the sectors %(sectors)s") % {"sectors": ", ".join(sector_label(s) for s in terms["sectors"])})
    text = (
        _("The members' approval is needed for %(list)s.") % {"list": "; ".join(needs)}
        if needs
        else _("No project needs the members' approval.")
    )
    if terms.get("excluded_sectors"):
        text += " " + _("Not taken on: %(sectors)s.") % {
            "sectors": ", ".join(sector_label(s) for s in terms["excluded_sectors"])
        }
    return text


def acceptance_describe(payload: dict[str, Any]) -> str:
    return (
        _("Project acceptance rules from %(when)s:") % {"when": moment_words(payload.get("valid_from"))}
        + " "
        + acceptance_terms_words(payload.get("terms") or {})
    )


# Minimum rates --------------------------------------------------------------------------------


def _skill_choices() -> list[tuple[str, str]]:
    from marketplace.models import Skill

    return list(Skill.objects.order_by("name").values_list("slug", "name")[:500])


def _hours_choices() -> list[tuple[int, str]]:
    return [(hours, str(hours)) for hours in range(1, 13)]


def minimum_rates_fields() -> list[FormField]:
    return [
        FormField(
            "hourly",
            "amount",
            gettext_lazy("Minimum hourly rate (%(symbol)s)"),
            help_text=gettext_lazy(
                "Hourly proposals, counter-offers and hourly contracts' timesheets below it are refused."
            ),
            required=False,
        ),
        FormField(
            "fixed_hourly",
            "amount",
            gettext_lazy("Minimum per estimated hour of fixed-price work (%(symbol)s)"),
            help_text=gettext_lazy(
                "A fixed price is divided by its estimated hours: its days times the hours a day below."
            ),
            required=False,
        ),
        FormField(
            "hours_per_day",
            "choice",
            gettext_lazy("Hours of work counted per day of a fixed-price estimate"),
            help_text=gettext_lazy("Used to turn a proposal's duration in days into hours."),
            choices=_hours_choices,
        ),
        FormField(
            "skills",
            "rows",
            gettext_lazy("Higher minimums for some skills"),
            help_text=gettext_lazy("Optional. A job that asks for the skill takes the higher of the two."),
            required=False,
            columns=(
                FormField("skill", "choice", gettext_lazy("Skill"), choices=_skill_choices),
                FormField("hourly", "amount", gettext_lazy("Minimum hourly rate (%(symbol)s)")),
            ),
        ),
        _start_field(gettext_lazy("Minimum rates apply from")),
        FormField(
            "valid_until",
            "date",
            gettext_lazy("Minimum rates end on"),
            help_text=gettext_lazy(
                "Optional. From the start of this day no minimum applies, unless a later decision sets one."
            ),
            required=False,
            not_before_close=True,
        ),
    ]


def minimum_rates_to_payload(values: dict[str, Any]) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "terms": {
            "hourly_cents": values.get("hourly") or None,
            "fixed_hourly_cents": values.get("fixed_hourly") or None,
            "hours_per_day": int(values.get("hours_per_day") or 8),
            "skills": [{"skill": row["skill"], "hourly_cents": row["hourly"]} for row in values.get("skills") or []],
        },
        "valid_from": _midnight(values["valid_from"]),
    }
    if values.get("valid_until"):
        payload["valid_until"] = _midnight(values["valid_until"])
    return payload


def minimum_rates_from_payload(payload: dict[str, Any]) -> dict[str, Any]:
    terms = payload.get("terms") or {}
    return {
        "hourly": terms.get("hourly_cents"),
        "fixed_hourly": terms.get("fixed_hourly_cents"),
        "hours_per_day": terms.get("hours_per_day", 8),
        "skills": [{"skill": r["skill"], "hourly": r["hourly_cents"]} for r in terms.get("skills") or []],
        "valid_from": _day(payload.get("valid_from")),
        "valid_until": _day(payload.get("valid_until")),
    }


def minimum_rates_terms_words(terms: dict[str, Any]) -> str:
    from marketplace.models import Skill

    parts = []
    if terms.get("hourly_cents"):
        parts.append(_("hourly work at least %(amount)s an hour") % {"amount": _amount(terms["hourly_cents"])})
    if terms.get("fixed_hourly_cents"):
        parts.append(
            _("fixed-price work at least %(amount)s per estimated hour (%(hours)d hours a day)")
            % {"amount": _amount(terms["fixed_hourly_cents"]), "hours": terms.get("hours_per_day", 8)}
        )
    names = dict(
        Skill.objects.filter(slug__in=[r["skill"] for r in terms.get("skills") or []]).values_list("slug", "name")
    )
    for row in terms.get("skills") or []:
        parts.append(
            _("%(skill)s at least %(amount)s an hour")
            % {"skill": names.get(row["skill"], row["skill"]), "amount": _amount(row["hourly_cents"])}
        )
    return "; ".join(parts)


def minimum_rates_describe(payload: dict[str, Any]) -> str:
    text = _("Minimum rates from %(when)s: %(rates)s") % {
        "when": moment_words(payload.get("valid_from")),
        "rates": minimum_rates_terms_words(payload.get("terms") or {}),
    }
    if payload.get("valid_until"):
        text += ", " + _("until %(when)s") % {"when": moment_words(payload["valid_until"])}
    return text + "."


# Ranking weights ------------------------------------------------------------------------------


def _weight_choices() -> list[tuple[int, str]]:
    return [(weight, str(weight)) for weight in range(0, 101, 5)]


def ranking_fields() -> list[FormField]:
    from marketplace.selectors.ranking import FACTOR_TEXTS

    return [
        *(
            FormField(name, "choice", texts[0], help_text=texts[1], choices=_weight_choices)
            for name, texts in FACTOR_TEXTS.items()
        ),
        _start_field(gettext_lazy("New weights apply from")),
    ]


def ranking_to_payload(values: dict[str, Any]) -> dict[str, Any]:
    from marketplace.services.work_rules import RANKING_FACTORS

    return {
        "terms": {name: int(values.get(name) or 0) for name in RANKING_FACTORS},
        "valid_from": _midnight(values["valid_from"]),
    }


def ranking_from_payload(payload: dict[str, Any]) -> dict[str, Any]:
    return {**(payload.get("terms") or {}), "valid_from": _day(payload.get("valid_from"))}


def ranking_terms_words(terms: dict[str, Any]) -> str:
    from marketplace.selectors.ranking import FACTOR_TEXTS

    return ", ".join(f"{texts[0]} {int(terms.get(name, 0))}" for name, texts in FACTOR_TEXTS.items())


def ranking_describe(payload: dict[str, Any]) -> str:
    return _("Ranking weights from %(when)s: %(weights)s.") % {
        "when": moment_words(payload.get("valid_from")),
        "weights": ranking_terms_words(payload.get("terms") or {}),
    }


# Rules reports for `manage.py rules_show` -------------------------------------------------------


def _report(kind: str) -> Any:
    def versions() -> list[dict[str, Any]]:
        from marketplace.services.work_rules import work_policy_in_force, work_policy_versions

        current = work_policy_in_force(kind=kind)
        founding = []
        if kind == Kind.RANKING:
            from marketplace.services.work_rules import DEFAULT_RANKING

            # The weights in code apply until the members decide some: shown as version 0.
            founding = [
                {
                    "version": 0,
                    "valid_from": None,
                    "valid_until": None,
                    "in_force": current is None,
                    "decided_by": None,
                    "terms": dict(DEFAULT_RANKING),
                }
            ]
        return founding + [
            {
                "version": policy.version,
                "valid_from": policy.valid_from.isoformat(),
                "valid_until": policy.valid_until.isoformat() if policy.valid_until else None,
                "in_force": current is not None and policy.pk == current.pk,
                "decided_by": policy.governance_proposal_id,
                "terms": policy.terms,
            }
            for policy in work_policy_versions(kind=kind)
        ]

    return versions


def _fee_versions() -> list[dict[str, Any]]:
    from marketplace.models import FeePolicy
    from marketplace.services.fees import fee_policy_in_force

    current = fee_policy_in_force()
    return [
        {
            "version": number,
            "valid_from": policy.effective_from.isoformat(),
            "in_force": current is not None and policy.pk == current.pk,
            "decided_by": policy.governance_proposal_id,
            "terms": {
                "percent": str(policy.percent),
                "min_cents": policy.min_cents,
                "max_cents": policy.max_cents,
                "currency": policy.currency,
            },
        }
        for number, policy in enumerate(FeePolicy.objects.order_by("effective_from", "id"), start=1)
    ]


def register() -> None:
    """Register the work rules' decision types and their reports for `rules_show`."""
    register_decision_type(
        DecisionType(
            key=ACCEPTANCE_RULES_KEY,
            label=gettext_lazy("Set which projects need the members' approval"),
            rules_key="bylaw",
            validate_payload=lambda payload: _validate(Kind.ACCEPTANCE, payload),
            execute=_executor(Kind.ACCEPTANCE),
            describe=acceptance_describe,
            form_fields=acceptance_fields,
            to_payload=acceptance_to_payload,
            from_payload=acceptance_from_payload,
        )
    )
    register_decision_type(
        DecisionType(
            key=MINIMUM_RATES_KEY,
            label=gettext_lazy("Set minimum rates"),
            rules_key="general",
            validate_payload=lambda payload: _validate(Kind.MINIMUM_RATES, payload, ends=True),
            execute=_executor(Kind.MINIMUM_RATES, ends=True),
            describe=minimum_rates_describe,
            form_fields=minimum_rates_fields,
            to_payload=minimum_rates_to_payload,
            from_payload=minimum_rates_from_payload,
        )
    )
    register_decision_type(
        DecisionType(
            key=RANKING_WEIGHTS_KEY,
            label=gettext_lazy("Change how results are ordered"),
            rules_key="general",
            validate_payload=lambda payload: _validate(Kind.RANKING, payload),
            execute=_executor(Kind.RANKING),
            describe=ranking_describe,
            form_fields=ranking_fields,
            to_payload=ranking_to_payload,
            from_payload=ranking_from_payload,
        )
    )
    for key, label in (
        ("project_acceptance", gettext_lazy("Project acceptance")),
        ("minimum_rates", gettext_lazy("Minimum rates")),
        ("ranking", gettext_lazy("Ranking weights")),
    ):
        kind = {"project_acceptance": Kind.ACCEPTANCE}.get(key, key)
        register_rules_report(RulesReport(key=key, label=label, versions=_report(kind)))
    register_rules_report(RulesReport(key="fee_policy", label=gettext_lazy("Platform fee"), versions=_fee_versions))

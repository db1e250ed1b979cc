"""The marketplace's decision types for governance: change the fee policy, accept a project, choose mediators."""

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.decisions import DecisionType, register_decision_type
from core.exceptions import ApplicationError
from marketplace.exceptions import ErrorCode
from membership.models import User

FEE_POLICY_KEY = "marketplace.fee_policy"
PROJECT_ACCEPTANCE_KEY = "marketplace.project_acceptance"
APPOINT_MEDIATORS_KEY = "marketplace.appoint_mediators"
MAX_MEDIATORS_PER_DECISION = 50


def _parse_when(value: object) -> datetime:
    when = value if isinstance(value, datetime) else parse_datetime(str(value or ""))
    if when is None:
        raise ApplicationError(
            _("Give the start as a date and time, for example 2027-01-01T00:00:00+01:00."),
            code=ErrorCode.EFFECTIVE_FROM_INVALID,
        )
    if timezone.is_naive(when):
        raise ApplicationError(_("Give the start time with a time zone."), code=ErrorCode.NAIVE_DATETIME)
    return when


def fee_policy_validate(payload: dict) -> dict:
    """Return the payload in canonical form (percent as a string, times in ISO 8601) or refuse it."""
    from marketplace.services.fees import fee_terms_clean

    if not isinstance(payload, dict):
        raise ApplicationError(_("The payload must be an object."), code=ErrorCode.PAYLOAD_INVALID)
    unknown = set(payload) - {"percent", "min_cents", "max_cents", "effective_from"}
    if unknown:
        raise ApplicationError(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}, code=ErrorCode.PAYLOAD_INVALID
        )
    percent, min_cents, max_cents = fee_terms_clean(
        percent=payload.get("percent"), min_cents=payload.get("min_cents", 0), max_cents=payload.get("max_cents")
    )
    when = _parse_when(payload.get("effective_from"))
    return {"percent": str(percent), "min_cents": min_cents, "max_cents": max_cents, "effective_from": when.isoformat()}


def fee_policy_execute(*, payload: dict, proposal_id: int, actor: User | None) -> None:
    """Create the fee policy version the members decided; executing the same proposal twice adds nothing."""
    from marketplace.services.fees import fee_policy_create

    clean = fee_policy_validate(payload)
    fee_policy_create(
        percent=clean["percent"],
        min_cents=clean["min_cents"],
        max_cents=clean["max_cents"],
        effective_from=_parse_when(clean["effective_from"]),
        actor=actor,
        governance_proposal_id=proposal_id,
    )


def fee_policy_describe(payload: dict) -> str:
    from core.money import Money, default_currency

    text = _("Platform fee of %(percent)s%% from %(when)s") % {
        "percent": payload.get("percent"),
        "when": payload.get("effective_from"),
    }
    currency = default_currency()
    if payload.get("min_cents"):
        text += ", " + _("at least %(amount)s") % {"amount": Money(int(payload["min_cents"]), currency).format()}
    if payload.get("max_cents") is not None:
        text += ", " + _("at most %(amount)s") % {"amount": Money(int(payload["max_cents"]), currency).format()}
    return text


def project_acceptance_validate(payload: dict) -> dict:
    """A members' decision to accept (or not) a project: which job, and a summary. It has no automatic effect."""
    from marketplace.models import Job

    if not isinstance(payload, dict):
        raise ApplicationError(_("The payload must be an object."), code=ErrorCode.PAYLOAD_INVALID)
    job_id = payload.get("job_id")
    if isinstance(job_id, bool) or not isinstance(job_id, int) or not Job.objects.filter(pk=job_id).exists():
        raise ApplicationError(_("Name an existing job by its number."), code=ErrorCode.JOB_INVALID)
    summary = str(payload.get("summary") or "").strip()
    if not summary:
        raise ApplicationError(_("Summarise the project the members decide on."), code=ErrorCode.SUMMARY_BLANK)
    return {"job_id": job_id, "summary": summary[:1000]}


def project_acceptance_describe(payload: dict) -> str:
    return _("Accept project (job %(job)s): %(summary)s") % {
        "job": payload.get("job_id"),
        "summary": payload.get("summary"),
    }


def _user_ids(value: Any, field: str) -> list[int]:
    if value is None:
        return []
    if (
        not isinstance(value, list)
        or len(value) > MAX_MEDIATORS_PER_DECISION
        or any(isinstance(v, bool) or not isinstance(v, int) for v in value)
    ):
        raise ApplicationError(
            _("%(field)s must be a list of at most 50 member numbers.") % {"field": field},
            code=ErrorCode.PAYLOAD_INVALID,
        )
    return sorted(set(value))


def appoint_mediators_validate(payload: dict) -> dict:
    """Return {"appoint": [user ids], "end": [user ids]} or refuse it; everyone appointed must be an active member."""
    from django.contrib.auth import get_user_model

    from membership.selectors.members import active_members

    if not isinstance(payload, dict):
        raise ApplicationError(_("The payload must be an object."), code=ErrorCode.PAYLOAD_INVALID)
    unknown = set(payload) - {"appoint", "end"}
    if unknown:
        raise ApplicationError(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}, code=ErrorCode.PAYLOAD_INVALID
        )
    appoint = _user_ids(payload.get("appoint"), "appoint")
    end = _user_ids(payload.get("end"), "end")
    if not appoint and not end:
        raise ApplicationError(_("Name at least one member to appoint or to end."), code=ErrorCode.PAYLOAD_EMPTY)
    if set(appoint) & set(end):
        raise ApplicationError(_("A member cannot be both appointed and ended."), code=ErrorCode.PAYLOAD_INVALID)
    members = set(active_members().filter(user_id__in=appoint).values_list("user_id", flat=True))
    if set(appoint) - members:
        raise ApplicationError(
            _("Only active members can be appointed as mediator: %(ids)s.")
            % {"ids": ", ".join(str(i) for i in sorted(set(appoint) - members))},
            code=ErrorCode.MEDIATOR_NOT_MEMBER,
        )
    known = set(get_user_model().objects.filter(pk__in=end).values_list("pk", flat=True))
    if set(end) - known:
        raise ApplicationError(_("Name existing users to end."), code=ErrorCode.PAYLOAD_INVALID)
    return {"appoint": appoint, "end": end}


def appoint_mediators_execute(*, payload: dict, proposal_id: int, actor: User | None) -> None:
    """Appoint and end the mediators the members chose; executing the same proposal twice changes nothing."""
    from marketplace.services.mediators import mediators_apply_decision

    clean = appoint_mediators_validate(payload)
    mediators_apply_decision(appoint=clean["appoint"], end=clean["end"], proposal_id=proposal_id, actor=actor)


def appoint_mediators_describe(payload: dict) -> str:
    text = _("Appoint mediators: %(appoint)s") % {
        "appoint": ", ".join(str(i) for i in payload.get("appoint") or []) or "-"
    }
    if payload.get("end"):
        text += "; " + _("end: %(end)s") % {"end": ", ".join(str(i) for i in payload["end"])}
    return text


def register() -> None:
    """Register the decision types the members can vote on; governance carries them out when a vote passes."""
    register_decision_type(
        DecisionType(
            key=FEE_POLICY_KEY,
            label=gettext_lazy("Change the platform fee"),
            rules_key="general",
            validate_payload=fee_policy_validate,
            execute=fee_policy_execute,
            describe=fee_policy_describe,
        )
    )
    register_decision_type(
        DecisionType(
            key=PROJECT_ACCEPTANCE_KEY,
            label=gettext_lazy("Accept a project"),
            rules_key="project",
            validate_payload=project_acceptance_validate,
            execute=None,
            describe=project_acceptance_describe,
        )
    )
    register_decision_type(
        DecisionType(
            key=APPOINT_MEDIATORS_KEY,
            label=gettext_lazy("Appoint or end dispute mediators"),
            rules_key="general",
            validate_payload=appoint_mediators_validate,
            execute=appoint_mediators_execute,
            describe=appoint_mediators_describe,
        )
    )

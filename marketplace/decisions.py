"""The marketplace's decision types for governance: change the fee policy, accept a project."""

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import ApplicationError

FEE_POLICY_KEY = "marketplace.fee_policy"
PROJECT_ACCEPTANCE_KEY = "marketplace.project_acceptance"


def _parse_when(value: Any) -> datetime:
    if isinstance(value, datetime):
        when = value
    else:
        when = parse_datetime(str(value or ""))
        if when is None:
            raise ApplicationError(
                _("Give the start as a date and time, for example 2027-01-01T00:00:00+01:00."),
                code="effective_from_invalid",
            )
    if timezone.is_naive(when):
        raise ApplicationError(_("Give the start time with a time zone."), code="naive_datetime")
    return when


def fee_policy_validate(payload: dict) -> dict:
    """Return the payload in canonical form (percent as a string, times in ISO 8601) or refuse it."""
    from marketplace.services.fees import fee_terms_clean

    if not isinstance(payload, dict):
        raise ApplicationError(_("The payload must be an object."), code="payload_invalid")
    unknown = set(payload) - {"percent", "min_cents", "max_cents", "effective_from"}
    if unknown:
        raise ApplicationError(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}, code="payload_invalid"
        )
    percent, min_cents, max_cents = fee_terms_clean(
        percent=payload.get("percent"), min_cents=payload.get("min_cents", 0), max_cents=payload.get("max_cents")
    )
    when = _parse_when(payload.get("effective_from"))
    return {"percent": str(percent), "min_cents": min_cents, "max_cents": max_cents, "effective_from": when.isoformat()}


def fee_policy_execute(*, payload: dict, proposal_id: int, actor: Any) -> None:
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
    from core.money import Money

    text = _("Platform fee of %(percent)s%% from %(when)s") % {
        "percent": payload.get("percent"),
        "when": payload.get("effective_from"),
    }
    if payload.get("min_cents"):
        text += ", " + _("at least %(amount)s") % {"amount": Money(int(payload["min_cents"]), "EUR").format()}
    if payload.get("max_cents") is not None:
        text += ", " + _("at most %(amount)s") % {"amount": Money(int(payload["max_cents"]), "EUR").format()}
    return text


def project_acceptance_validate(payload: dict) -> dict:
    """A members' decision to accept (or not) a project: which job, and a summary. It has no automatic effect."""
    from marketplace.models import Job

    if not isinstance(payload, dict):
        raise ApplicationError(_("The payload must be an object."), code="payload_invalid")
    job_id = payload.get("job_id")
    if isinstance(job_id, bool) or not isinstance(job_id, int) or not Job.objects.filter(pk=job_id).exists():
        raise ApplicationError(_("Name an existing job by its number."), code="job_invalid")
    summary = str(payload.get("summary") or "").strip()
    if not summary:
        raise ApplicationError(_("Summarise the project the members decide on."), code="summary_blank")
    return {"job_id": job_id, "summary": summary[:1000]}


def project_acceptance_describe(payload: dict) -> str:
    return _("Accept project (job %(job)s): %(summary)s") % {
        "job": payload.get("job_id"),
        "summary": payload.get("summary"),
    }


def register() -> None:
    """Register both decision types with governance, if governance is installed."""
    try:
        from governance.decisions import DecisionType, register_decision_type
    except ImportError:
        return
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

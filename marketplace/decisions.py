"""The marketplace's decision types for governance: change the fee policy, accept a project, choose mediators."""

from datetime import datetime, time
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.decisions import DecisionType, FormField, moment_words, percent_words, register_decision_type
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
    """ "Platform fee 8% from 1 January 2027, minimum €0.50", in the reader's language and time zone."""
    from core.money import Money, default_currency

    text = _("Platform fee %(percent)s%% from %(when)s") % {
        "percent": percent_words(payload.get("percent")),
        "when": moment_words(payload.get("effective_from")),
    }
    currency = default_currency()
    if payload.get("min_cents"):
        text += ", " + _("minimum %(amount)s") % {"amount": Money(int(payload["min_cents"]), currency).format()}
    if payload.get("max_cents") is not None:
        text += ", " + _("maximum %(amount)s") % {"amount": Money(int(payload["max_cents"]), currency).format()}
    return text


def fee_policy_fields() -> list[FormField]:
    return [
        FormField(
            "percent",
            "percent",
            gettext_lazy("Fee (%)"),
            help_text=gettext_lazy("The share of each contract the coop keeps, for example 8 or 7.5."),
        ),
        FormField(
            "minimum",
            "amount",
            gettext_lazy("Minimum fee per contract (%(symbol)s)"),
            help_text=gettext_lazy("Optional. The fee is never less than this amount."),
            required=False,
        ),
        FormField(
            "maximum",
            "amount",
            gettext_lazy("Maximum fee per contract (%(symbol)s)"),
            help_text=gettext_lazy("Optional. The fee is never more than this amount; leave empty for no maximum."),
            required=False,
        ),
        FormField(
            "effective_from",
            "date",
            gettext_lazy("New fee applies from"),
            help_text=gettext_lazy(
                "Contracts accepted from the start of this day pay the new fee. It cannot be before the vote can close."
            ),
            not_before_close=True,
        ),
    ]


def fee_policy_to_payload(values: dict[str, Any]) -> dict[str, Any]:
    minimum, maximum = values.get("minimum") or 0, values.get("maximum")
    if maximum is not None and maximum < minimum:
        raise ApplicationError(
            _("The maximum fee must be at least the minimum fee."),
            code=ErrorCode.FEE_MAX_INVALID,
            detail={"field": "maximum"},
        )
    start = values["effective_from"]
    midnight = timezone.make_aware(datetime.combine(start, time.min))
    return {
        "percent": str(values["percent"]),
        "min_cents": minimum,
        "max_cents": maximum,
        "effective_from": midnight.isoformat(),
    }


def fee_policy_from_payload(payload: dict[str, Any]) -> dict[str, Any]:
    when = parse_datetime(str(payload.get("effective_from") or ""))
    return {
        "percent": payload.get("percent"),
        "minimum": payload.get("min_cents") or None,
        "maximum": payload.get("max_cents"),
        "effective_from": timezone.localdate(when) if when and timezone.is_aware(when) else None,
    }


def project_acceptance_validate(payload: dict) -> dict:
    """A members' decision to accept (or not) a project: which job, and a summary.

    When the job waits for this decision (the members' rules put it to them), passing publishes it
    and not passing declines it; on any other job the decision is recorded only.
    """
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


def project_acceptance_execute(*, payload: dict, proposal_id: int, actor: User | None) -> None:
    """The members accept the project: the job that waited for this decision is published, once."""
    from marketplace.services.project_acceptance import job_decide_by_members

    job_decide_by_members(job_id=int(payload["job_id"]), proposal_id=proposal_id, accepted=True, actor=actor)


def project_acceptance_not_passed(*, payload: dict, proposal_id: int, outcome: str, actor: User | None) -> None:
    """The vote did not pass (rejected or without quorum): the job that waited is declined, once."""
    from marketplace.services.project_acceptance import job_decide_by_members

    job_decide_by_members(job_id=int(payload["job_id"]), proposal_id=proposal_id, accepted=False, actor=actor)


def project_acceptance_held_by(*, payload: dict, proposal_id: int) -> str | None:
    """The job this decision was opened for by the members' rules, in words; None for a member's own motion.

    Only a job whose publishing opened this very decision holds it: its client (the decision's author)
    cannot amend or withdraw the decision, and withdrawing the job withdraws it (job_cancel).
    """
    from marketplace.models import Job

    job = (
        Job.objects.filter(pk=payload.get("job_id") or 0, members_decision_id=proposal_id)
        .only("title", "status")
        .first()
    )
    if job is None:
        return None
    if job.status == Job.Status.CANCELLED:
        return _("Withdrawn because its client cancelled the job “%(job)s” before the members decided.") % {
            "job": job.title
        }
    return _(
        "The coop's rules opened this decision for the job “%(job)s”: it ends with the members' vote, and its "
        "client cannot amend or withdraw it. Cancelling the job withdraws the decision."
    ) % {"job": job.title}


def project_acceptance_describe(payload: dict) -> str:
    from marketplace.models import Job

    job = Job.objects.filter(pk=payload.get("job_id") or 0).only("title").first()
    return _("Accept the project “%(job)s”: %(summary)s") % {
        "job": job.title if job else _("a job that no longer exists"),
        "summary": payload.get("summary", ""),
    }


def _job_choices() -> list[tuple[int, str]]:
    from marketplace.models import Job

    jobs = Job.objects.exclude(status=Job.Status.DRAFT).order_by("-created_at").only("pk", "title")[:200]
    return [(job.pk, job.title) for job in jobs]


def project_acceptance_fields() -> list[FormField]:
    return [
        FormField(
            "job_id",
            "choice",
            gettext_lazy("Job"),
            help_text=gettext_lazy("The job the members decide on."),
            choices=_job_choices,
        ),
        FormField(
            "summary",
            "longtext",
            gettext_lazy("Summary of the project"),
            help_text=gettext_lazy("What the project is and why the coop should take it on."),
            max_length=1000,
        ),
    ]


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


def _names(user_ids: list[int]) -> str:
    names = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "display_name"))
    return ", ".join(names.get(pk) or _("a former member") for pk in user_ids)


def appoint_mediators_describe(payload: dict) -> str:
    parts = []
    if payload.get("appoint"):
        parts.append(_("Appoint as mediators: %(names)s") % {"names": _names(payload["appoint"])})
    if payload.get("end"):
        parts.append(_("end the mandate of: %(names)s") % {"names": _names(payload["end"])})
    return "; ".join(parts) + "." if parts else _("No change to the mediators.")


def _member_choices() -> list[tuple[int, str]]:
    from membership.selectors.members import active_members

    return [(m.user_id, m.user.display_name or m.user.email) for m in active_members().order_by("user__display_name")]


def _mediator_choices() -> list[tuple[int, str]]:
    from marketplace.models import Mediator

    mediators = Mediator.objects.filter(ended_at__isnull=True).select_related("user").order_by("user__display_name")
    return [(m.user_id, m.user.display_name or m.user.email) for m in mediators]


def appoint_mediators_fields() -> list[FormField]:
    return [
        FormField(
            "appoint",
            "choices",
            gettext_lazy("Appoint as mediator"),
            help_text=gettext_lazy("Tick the members who should decide disputes."),
            required=False,
            choices=_member_choices,
        ),
        FormField(
            "end",
            "choices",
            gettext_lazy("End the mandate of"),
            help_text=gettext_lazy("Tick the current mediators who should stop."),
            required=False,
            choices=_mediator_choices,
        ),
    ]


def _appoint_to_payload(values: dict[str, Any]) -> dict[str, Any]:
    return {"appoint": list(values.get("appoint") or []), "end": list(values.get("end") or [])}


def register() -> None:
    """Register the decision types the members can vote on; governance carries them out when a vote passes."""
    from marketplace import work_decisions

    work_decisions.register()
    register_decision_type(
        DecisionType(
            key=FEE_POLICY_KEY,
            label=gettext_lazy("Change the platform fee"),
            rules_key="general",
            validate_payload=fee_policy_validate,
            execute=fee_policy_execute,
            describe=fee_policy_describe,
            form_fields=fee_policy_fields,
            to_payload=fee_policy_to_payload,
            from_payload=fee_policy_from_payload,
        )
    )
    register_decision_type(
        DecisionType(
            key=PROJECT_ACCEPTANCE_KEY,
            label=gettext_lazy("Accept a project"),
            rules_key="project",
            validate_payload=project_acceptance_validate,
            execute=project_acceptance_execute,
            describe=project_acceptance_describe,
            form_fields=project_acceptance_fields,
            on_not_passed=project_acceptance_not_passed,
            held_by=project_acceptance_held_by,
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
            form_fields=appoint_mediators_fields,
            to_payload=_appoint_to_payload,
        )
    )

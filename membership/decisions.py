"""The decisions members take about membership by vote: admitting and expelling members.

Registered in core.decisions from MembershipConfig.ready(); governance carries them out when a vote passes.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.decisions import DecisionType, FormField, Payload, register_decision_type
from core.exceptions import ApplicationError
from membership.exceptions import ErrorCode
from membership.models import Member, User


def _member_id(payload: Payload) -> int:
    value = payload.get("member_id")
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ApplicationError(_("Name the member record by its id."), code=ErrorCode.MEMBER_ID_INVALID)
    if not Member.objects.filter(pk=value).exists():
        raise ApplicationError(_("There is no such member record."), code=ErrorCode.MEMBER_NOT_FOUND)
    return value


def validate_admit(payload: Payload) -> Payload:
    member_id = _member_id(payload)
    if not Member.objects.filter(pk=member_id, status=Member.Status.APPLICANT).exists():
        raise ApplicationError(_("Only an applicant can be admitted."), code=ErrorCode.MEMBER_NOT_APPLICANT)
    return {"member_id": member_id}


def validate_expel(payload: Payload) -> Payload:
    member_id = _member_id(payload)
    if not Member.objects.filter(pk=member_id, status__in=[Member.Status.ACTIVE, Member.Status.SUSPENDED]).exists():
        raise ApplicationError(_("Only a current member can be expelled."), code=ErrorCode.MEMBER_NOT_CURRENT)
    reason = payload.get("reason", "")
    if not isinstance(reason, str) or not reason.strip():
        raise ApplicationError(_("Give the reason for the expulsion."), code=ErrorCode.EXPULSION_REASON_MISSING)
    return {"member_id": member_id, "reason": reason.strip()[:2000]}


def execute_admit(*, payload: Payload, proposal_id: int, actor: User | None) -> None:
    from membership.services import member_admit

    member_admit(member_id=payload["member_id"], actor=actor, proposal_id=proposal_id)


def execute_expel(*, payload: Payload, proposal_id: int, actor: User | None) -> None:
    from membership.services import member_expel

    member_expel(member_id=payload["member_id"], actor=actor, proposal_id=proposal_id, reason=payload["reason"])


def _member_label(member_id: int) -> str:
    member = Member.objects.select_related("member_class", "user").filter(pk=member_id).first()
    if member is None:
        return _("a former member record")
    name = member.user.display_name or member.user.email
    return _("%(name)s (%(class)s)") % {"name": name, "class": member.member_class.display_name}


def describe_admit(payload: Payload) -> str:
    return _("Admit %(who)s as a member.") % {"who": _member_label(payload.get("member_id", 0))}


def describe_expel(payload: Payload) -> str:
    return _("Expel %(who)s. Reason: %(reason)s") % {
        "who": _member_label(payload.get("member_id", 0)),
        "reason": payload.get("reason", ""),
    }


def _choices(statuses: list[str]) -> list[tuple[int, str]]:
    members = Member.objects.filter(status__in=statuses).select_related("user").order_by("user__display_name", "pk")
    return [(m.pk, m.user.display_name or m.user.email) for m in members[:500]]


def _applicant_choices() -> list[tuple[int, str]]:
    return _choices([Member.Status.APPLICANT])


def _current_choices() -> list[tuple[int, str]]:
    return _choices([Member.Status.ACTIVE, Member.Status.SUSPENDED])


def admit_fields() -> list[FormField]:
    return [
        FormField(
            "member_id",
            "choice",
            gettext_lazy("Applicant"),
            help_text=gettext_lazy("The person who applied and whom the members admit."),
            choices=_applicant_choices,
        )
    ]


def expel_fields() -> list[FormField]:
    return [
        FormField(
            "member_id",
            "choice",
            gettext_lazy("Member"),
            help_text=gettext_lazy("The member the proposal would expel."),
            choices=_current_choices,
        ),
        FormField(
            "reason",
            "longtext",
            gettext_lazy("Reason for the expulsion"),
            help_text=gettext_lazy("The bylaws require a reason; the member and every voter read it."),
            max_length=2000,
        ),
    ]


def register_decision_types() -> None:
    register_decision_type(
        DecisionType(
            key="membership.admit",
            label=gettext_lazy("Admit a member"),
            rules_key="admission",
            validate_payload=validate_admit,
            execute=execute_admit,
            describe=describe_admit,
            form_fields=admit_fields,
        )
    )
    register_decision_type(
        DecisionType(
            key="membership.expel",
            label=gettext_lazy("Expel a member"),
            rules_key="expulsion",
            validate_payload=validate_expel,
            execute=execute_expel,
            describe=describe_expel,
            form_fields=expel_fields,
        )
    )

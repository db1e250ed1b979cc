"""The decisions members take about payouts: a new surplus policy, and approving a cycle by vote.

Registered with core.decisions from PayoutCyclesConfig.ready(); governance runs the vote and calls
`execute` when it passes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core.decisions import DecisionType, FormField, percent_words, register_decision_type
from core.exceptions import ApplicationError
from payouts.cycles.exceptions import ErrorCode

if TYPE_CHECKING:
    from membership.models import User

POLICY_DECISION = "payouts.surplus_policy"
APPROVE_DECISION = "payouts.approve_cycle"


def validate_policy(payload: dict[str, Any]) -> dict[str, Any]:
    from payouts.cycles.services.policies import policy_clean

    return policy_clean(payload)


def execute_policy(*, payload: dict[str, Any], proposal_id: int, actor: User | None) -> None:
    from payouts.cycles.services.policies import surplus_policy_adopt

    surplus_policy_adopt(data=payload, actor=actor, proposal_id=proposal_id)


def describe_policy(payload: dict[str, Any]) -> str:
    from core.payout_bases import PAYOUT_BASES

    def basis(key: str) -> str:
        return str(PAYOUT_BASES.get(key).label) if key in PAYOUT_BASES else key

    from payouts.cycles.labels import fund_name, patronage_class_name

    funds = ", ".join(f"{fund_name(f['name'])} {percent_words(f['percent'])}%" for f in payload.get("funds", []))
    classes = ", ".join(
        _("%(name)s %(percent)s%% by %(basis)s")
        % {
            "name": patronage_class_name(c["name"]),
            "percent": percent_words(c["percent"]),
            "basis": basis(c["basis"]).lower(),
        }
        for c in payload.get("classes", [])
    )
    return _("Funds: %(funds)s. Patronage classes: %(classes)s. At least %(cash)s%% paid in cash.") % {
        "funds": funds or _("none"),
        "classes": classes,
        "cash": percent_words(payload.get("min_cash_percent", "0")),
    }


def preview_policy(payload: dict[str, Any]) -> str:
    """The proposed policy's allocation of last year's surplus, as an HTML fragment for the form."""
    from payouts.cycles.selectors.preview import policy_preview_html

    return policy_preview_html(payload)


def _basis_choices() -> list[tuple[str, str]]:
    from core.payout_bases import PAYOUT_BASES

    return [(key, str(PAYOUT_BASES.get(key).label)) for key in sorted(PAYOUT_BASES)]


def _yes_no() -> list[tuple[bool, Any]]:
    # An answer, not a vote: "No" alone is the vote against ("Tegen") in Dutch.
    return [(False, pgettext("answer", "No")), (True, pgettext("answer", "Yes"))]


def policy_fields() -> list[FormField]:
    return [
        FormField(
            "funds",
            "rows",
            gettext_lazy("Funds"),
            help_text=gettext_lazy("What the coop keeps from the surplus before members share it, each as a percent."),
            required=False,
            columns=(
                FormField("name", "text", gettext_lazy("Fund"), max_length=80),
                FormField("percent", "percent", gettext_lazy("Percent")),
            ),
        ),
        FormField(
            "classes",
            "rows",
            gettext_lazy("Patronage classes"),
            help_text=gettext_lazy("How the rest is shared: each class's percent and what its members share by."),
            columns=(
                FormField("name", "text", gettext_lazy("Class"), max_length=80),
                FormField("percent", "percent", gettext_lazy("Percent")),
                FormField("basis", "choice", gettext_lazy("Shared by"), choices=_basis_choices),
            ),
        ),
        FormField(
            "min_cash_percent",
            "percent",
            gettext_lazy("Paid in cash (%)"),
            help_text=gettext_lazy("At least this share of each member's amount is paid out; the rest is kept."),
        ),
        FormField(
            "redemption_terms",
            "longtext",
            gettext_lazy("Redemption terms"),
            help_text=gettext_lazy("When and how members get the kept amounts back."),
            max_length=4000,
        ),
        FormField(
            "requires_member_vote",
            "choice",
            gettext_lazy("Cycles need the members' vote"),
            help_text=gettext_lazy("Yes: every payout cycle under this policy is approved by a vote of the members."),
            choices=_yes_no,
        ),
    ]


def policy_to_payload(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "funds": [{"name": f["name"], "percent": str(f["percent"])} for f in values.get("funds") or []],
        "classes": [
            {"name": c["name"], "percent": str(c["percent"]), "basis": c["basis"]} for c in values.get("classes") or []
        ],
        "min_cash_percent": str(values.get("min_cash_percent")),
        "redemption_terms": values.get("redemption_terms") or "",
        "requires_member_vote": bool(values.get("requires_member_vote")),
    }


def validate_approve(payload: dict[str, Any]) -> dict[str, Any]:
    from payouts.cycles.models import PayoutCycle

    cycle_id = payload.get("cycle_id") if isinstance(payload, dict) else None
    digest = payload.get("allocation_hash") if isinstance(payload, dict) else None
    if isinstance(cycle_id, bool) or not isinstance(cycle_id, int) or cycle_id <= 0:
        raise ApplicationError(_("Name the payout cycle by its id."), code=ErrorCode.CYCLE_ID_INVALID)
    if not isinstance(digest, str) or len(digest) != 64:
        raise ApplicationError(_("Give the allocation's SHA-256 hash."), code=ErrorCode.ALLOCATION_HASH_INVALID)
    if not PayoutCycle.objects.filter(pk=cycle_id, allocation_hash=digest).exists():
        raise ApplicationError(_("No payout cycle has this allocation."), code=ErrorCode.ALLOCATION_UNKNOWN)
    return {"cycle_id": cycle_id, "allocation_hash": digest}


def execute_approve(*, payload: dict[str, Any], proposal_id: int, actor: User | None) -> None:
    from payouts.cycles.services.cycles import cycle_approve_by_vote

    cycle_approve_by_vote(
        cycle_id=payload["cycle_id"], allocation_hash=payload["allocation_hash"], proposal_id=proposal_id, actor=actor
    )


def _cycle_words(cycle: Any) -> str:
    from core.money import Money

    return _("payout cycle %(start)s – %(end)s (distributable %(amount)s)") % {
        "start": date_format(cycle.period_start, "DATE_FORMAT"),
        "end": date_format(cycle.period_end - timedelta(days=1), "DATE_FORMAT"),
        "amount": Money(cycle.distributable_cents, cycle.currency).format(),
    }


def describe_approve(payload: dict[str, Any]) -> str:
    from payouts.cycles.models import PayoutCycle

    cycle = PayoutCycle.objects.filter(pk=payload.get("cycle_id") or 0).first()
    if cycle is None:
        return _("Approve a payout cycle that no longer exists.")
    text = _("Approve the %(cycle)s with its allocation as computed.") % {"cycle": _cycle_words(cycle)}
    if cycle.allocation_hash != payload.get("allocation_hash"):
        text += " " + _("The cycle has been computed again since; this vote is on the earlier allocation.")
    return text


def _cycle_choices() -> list[tuple[int, str]]:
    from payouts.cycles.models import PayoutCycle

    cycles = PayoutCycle.objects.filter(status=PayoutCycle.Status.COMPUTED).exclude(allocation_hash="")
    return [(c.pk, _cycle_words(c)) for c in cycles.order_by("-period_start")[:50]]


def approve_fields() -> list[FormField]:
    return [
        FormField(
            "cycle_id",
            "choice",
            gettext_lazy("Payout cycle"),
            help_text=gettext_lazy("A computed cycle awaiting approval; members vote on its allocation as it stands."),
            choices=_cycle_choices,
        )
    ]


def approve_to_payload(values: dict[str, Any]) -> dict[str, Any]:
    from payouts.cycles.models import PayoutCycle

    cycle = PayoutCycle.objects.filter(pk=values.get("cycle_id") or 0).first()
    return {"cycle_id": values.get("cycle_id"), "allocation_hash": cycle.allocation_hash if cycle else ""}


def approve_from_payload(payload: dict[str, Any]) -> dict[str, Any]:
    return {"cycle_id": payload.get("cycle_id")}


def register_decision_types() -> None:
    register_decision_type(
        DecisionType(
            key=POLICY_DECISION,
            label=gettext_lazy("Change the surplus policy"),
            rules_key="payout",
            validate_payload=validate_policy,
            execute=execute_policy,
            describe=describe_policy,
            form_fields=policy_fields,
            to_payload=policy_to_payload,
            preview=preview_policy,
        )
    )
    register_decision_type(
        DecisionType(
            key=APPROVE_DECISION,
            label=gettext_lazy("Approve a payout cycle"),
            rules_key="payout",
            validate_payload=validate_approve,
            execute=execute_approve,
            describe=describe_approve,
            form_fields=approve_fields,
            to_payload=approve_to_payload,
            from_payload=approve_from_payload,
        )
    )

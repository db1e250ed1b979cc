"""The surplus policy: checked with the allocation engine's own rules, adopted as a new version."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.exceptions import Conflict
from core.money import default_currency
from core.payout_bases import PAYOUT_BASES
from core.permissions import authorize
from core.services import audit_log
from payouts.allocation import Fund, InvalidPolicy, PatronageClass
from payouts.allocation import SurplusPolicy as EnginePolicy
from payouts.cycles.exceptions import ErrorCode
from payouts.cycles.models import SurplusPolicy

if TYPE_CHECKING:
    from membership.models import User

POLICY_KEYS = {"currency", "funds", "classes", "min_cash_percent", "redemption_terms", "requires_member_vote"}


def _require(value: Any, kind: type, message: str, field: str) -> Any:
    if not isinstance(value, kind):
        raise InvalidPolicy(message, field=field)
    return value


def policy_clean(data: Any) -> dict[str, Any]:
    """Return a policy document checked and normalised (percents as exact strings), or raise InvalidPolicy."""
    if not isinstance(data, dict):
        raise InvalidPolicy(_("The policy must be an object."), field="policy")
    unknown = sorted(str(key) for key in set(data) - POLICY_KEYS)
    if unknown:
        raise InvalidPolicy(_("The policy has unknown keys: %(keys)s.") % {"keys": ", ".join(unknown)}, field="policy")
    currency = data.get("currency", default_currency())
    funds_raw = _require(data.get("funds", []), list, _("The funds must be a list."), "funds")
    classes_raw = _require(data.get("classes"), list, _("The classes must be a list."), "classes")
    terms = data.get("redemption_terms", "")
    if not isinstance(terms, str) or not terms.strip():
        raise InvalidPolicy(_("Write the redemption terms of retained amounts."), field="redemption_terms")
    vote = data.get("requires_member_vote", False)
    if not isinstance(vote, bool):
        raise InvalidPolicy(_("requires_member_vote must be true or false."), field="requires_member_vote")
    funds, classes, bases = [], [], []
    for index, raw in enumerate(funds_raw):
        if not isinstance(raw, dict) or set(raw) != {"name", "percent"}:
            raise InvalidPolicy(_("Each fund needs a name and a percent."), field=f"funds[{index}]")
        funds.append(Fund(name=raw["name"], percent=raw["percent"]))
    for index, raw in enumerate(classes_raw):
        if not isinstance(raw, dict) or set(raw) != {"name", "percent", "basis"}:
            raise InvalidPolicy(_("Each class needs a name, a percent and a basis."), field=f"classes[{index}]")
        # Only a basis some app registered a source of numbers for: a class without one would be
        # empty in every cycle and hand its share to the others unasked.
        if not isinstance(raw["basis"], str) or raw["basis"] not in PAYOUT_BASES:
            raise InvalidPolicy(
                _("The basis of class %(name)s must be one of %(bases)s.")
                % {"name": raw["name"], "bases": ", ".join(PAYOUT_BASES.keys())},
                field=f"classes[{index}].basis",
            )
        # A probe member: the engine checks names and percents the same way for a real cycle.
        classes.append(PatronageClass(name=raw["name"], percent=raw["percent"], weights={"probe": 1}))
        bases.append(raw["basis"])
    engine = EnginePolicy(
        currency=currency,
        distributable_cents=0,
        funds=tuple(funds),
        classes=tuple(classes),
        # Whatever was sent: the engine checks it and turns it into an exact Decimal.
        min_cash_percent=cast(Decimal, data.get("min_cash_percent")),
    )
    return {
        "currency": engine.currency,
        "funds": [{"name": f.name, "percent": f"{f.percent:f}"} for f in engine.funds],
        "classes": [
            {"name": c.name, "percent": f"{c.percent:f}", "basis": basis}
            for c, basis in zip(engine.classes, bases, strict=True)
        ],
        "min_cash_percent": f"{engine.min_cash_percent:f}",
        "redemption_terms": terms.strip(),
        "requires_member_vote": vote,
    }


def surplus_policy_current() -> SurplusPolicy | None:
    """Return the policy in force: the highest version."""
    return SurplusPolicy.objects.order_by("-version").first()


@transaction.atomic
def surplus_policy_adopt(*, data: Any, actor: User | None, proposal_id: int | None = None) -> SurplusPolicy:
    """Adopt a new version of the surplus policy (after a members' decision, or the first one)."""
    clean = policy_clean(data)
    # Versions are numbered under a table lock so two adoptions cannot take the same number.
    SurplusPolicy.objects.select_for_update().order_by("-version").first()
    version = (SurplusPolicy.objects.aggregate(top=Max("version"))["top"] or 0) + 1
    policy = SurplusPolicy.objects.create(
        version=version,
        currency=clean["currency"],
        funds=clean["funds"],
        classes=clean["classes"],
        min_cash_percent=Decimal(clean["min_cash_percent"]),
        redemption_terms=clean["redemption_terms"],
        requires_member_vote=clean["requires_member_vote"],
        proposal_id=proposal_id,
        adopted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(actor=actor, action="surplus_policy.adopted", target=policy, data={"proposal_id": proposal_id, **clean})
    return policy


def surplus_policy_bootstrap(*, data: Any, actor: User) -> SurplusPolicy:
    """Adopt the very first policy by an admin; later versions go through a members' decision."""
    authorize(actor, "surplus_policy.bootstrap")
    if SurplusPolicy.objects.exists():
        raise Conflict(
            _("A surplus policy is in force: changes go through a members' decision."), code=ErrorCode.POLICY_EXISTS
        )
    return surplus_policy_adopt(data=data, actor=actor)

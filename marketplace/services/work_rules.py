"""The members' work rules as versioned data: project acceptance, minimum rates, ranking weights.

A version is added only by carrying out a members' decision (marketplace.work_decisions), at most
one per decision; the version in force at a moment is the latest that has started by then, unless
it has ended (then none is, until a later one starts). Reading: `*_in_force`; checking: the
`minimum_rate_check_*` functions the proposal, milestone and timesheet services call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, Conflict
from core.money import MAX_AMOUNT_CENTS, Money
from core.services import audit_log
from marketplace.exceptions import ErrorCode
from marketplace.models import ClientProfile, Job, WorkPolicy
from marketplace.models.jobs import SECTOR_KEYS, SECTORS
from membership.models import User

Kind = WorkPolicy.Kind

# The factors a result's position is built from; each weight is a whole number from 0 to 100.
RANKING_FACTORS = ("relevance", "recency", "rating", "completed", "member", "rotation")
# The weights before the members decide any: what the search did before it was data (words first,
# then the newest), with a little rotation so equal results take turns.
DEFAULT_RANKING = {"relevance": 60, "recency": 25, "rating": 5, "completed": 5, "member": 0, "rotation": 5}
MAX_HOURS_PER_DAY = 24


def _refuse(message: str, code: str = ErrorCode.PAYLOAD_INVALID, **detail: Any) -> ApplicationError:
    return ApplicationError(message, code=code, detail=detail or None)


def _cents(value: Any, *, name: str, optional: bool = True) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0 or value > MAX_AMOUNT_CENTS:
        raise _refuse(_("%(field)s must be a whole number of cents above zero.") % {"field": name}, field=name)
    return value


def _keys(value: Any, *, allowed: list[str], name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or any(not isinstance(item, str) or item not in allowed for item in value):
        raise _refuse(_("%(field)s must be a list of known values.") % {"field": name}, field=name)
    return sorted(set(value))


def _unknown(terms: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(terms) - allowed
    if unknown:
        raise _refuse(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})


def acceptance_terms_clean(terms: Any) -> dict[str, Any]:
    """Return project acceptance terms in canonical form, or refuse them."""
    if not isinstance(terms, dict):
        raise _refuse(_("The terms must be an object."))
    _unknown(terms, {"budget_over_cents", "longer_than_days", "client_kinds", "sectors", "excluded_sectors"})
    days = terms.get("longer_than_days")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 3650):
        raise _refuse(_("The duration must be between 1 and 3650 days."), field="longer_than_days")
    sectors = _keys(terms.get("sectors"), allowed=SECTOR_KEYS, name="sectors")
    excluded = _keys(terms.get("excluded_sectors"), allowed=SECTOR_KEYS, name="excluded_sectors")
    clean = {
        "budget_over_cents": _cents(terms.get("budget_over_cents"), name="budget_over_cents"),
        "longer_than_days": days,
        "client_kinds": _keys(terms.get("client_kinds"), allowed=ClientProfile.Kind.values, name="client_kinds"),
        "sectors": sectors,
        "excluded_sectors": excluded,
    }
    if set(sectors) & set(excluded):
        raise _refuse(_("A sector cannot both need approval and be excluded."), field="sectors")
    return clean


def minimum_rates_terms_clean(terms: Any) -> dict[str, Any]:
    """Return minimum rate terms in canonical form, or refuse them."""
    from marketplace.models import Skill

    if not isinstance(terms, dict):
        raise _refuse(_("The terms must be an object."))
    _unknown(terms, {"hourly_cents", "fixed_hourly_cents", "hours_per_day", "skills"})
    hours = terms.get("hours_per_day", 8)
    if isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= MAX_HOURS_PER_DAY:
        raise _refuse(_("Hours of work per day must be between 1 and 24."), field="hours_per_day")
    skills = terms.get("skills") or []
    if not isinstance(skills, list) or len(skills) > 50:
        raise _refuse(_("Give at most 50 skill rates."), field="skills")
    per_skill: dict[str, int] = {}
    for row in skills:
        if not isinstance(row, dict) or not isinstance(row.get("skill"), str):
            raise _refuse(_("Each skill rate names a skill and an hourly amount."), field="skills")
        per_skill[row["skill"]] = _cents(row.get("hourly_cents"), name="skills", optional=False) or 0
    known = set(Skill.objects.filter(slug__in=list(per_skill)).values_list("slug", flat=True))
    if set(per_skill) - known:
        raise _refuse(_("Name skills that exist."), field="skills")
    clean = {
        "hourly_cents": _cents(terms.get("hourly_cents"), name="hourly_cents"),
        "fixed_hourly_cents": _cents(terms.get("fixed_hourly_cents"), name="fixed_hourly_cents"),
        "hours_per_day": hours,
        "skills": [{"skill": slug, "hourly_cents": cents} for slug, cents in sorted(per_skill.items())],
    }
    if clean["hourly_cents"] is None and clean["fixed_hourly_cents"] is None and not clean["skills"]:
        raise _refuse(_("Set at least one minimum rate."), code=ErrorCode.PAYLOAD_EMPTY)
    return clean


def ranking_terms_clean(terms: Any) -> dict[str, int]:
    """Return ranking weights (every factor, 0 to 100, not all zero), or refuse them."""
    if not isinstance(terms, dict):
        raise _refuse(_("The terms must be an object."))
    _unknown(terms, set(RANKING_FACTORS))
    clean: dict[str, int] = {}
    for name in RANKING_FACTORS:
        value = terms.get(name, 0)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise _refuse(_("Each weight is a whole number from 0 to 100."), field=name)
        clean[name] = value
    if not any(clean.values()):
        raise _refuse(_("Give at least one factor a weight."), code=ErrorCode.PAYLOAD_EMPTY)
    return clean


TERMS_CLEANERS = {
    Kind.ACCEPTANCE: acceptance_terms_clean,
    Kind.MINIMUM_RATES: minimum_rates_terms_clean,
    Kind.RANKING: ranking_terms_clean,
}


@transaction.atomic
def work_policy_create(
    *,
    kind: str,
    terms: dict[str, Any],
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    actor: User | None,
    governance_proposal_id: int | None = None,
) -> WorkPolicy:
    """Add the next version of a work rule; with a governance proposal id, at most one per proposal."""
    if kind not in TERMS_CLEANERS:
        raise _refuse(_("Unknown kind of work rule."))
    clean = TERMS_CLEANERS[Kind(kind)](terms)
    if governance_proposal_id is not None:
        existing = WorkPolicy.objects.filter(governance_proposal_id=governance_proposal_id).first()
        if existing is not None:
            return existing
    valid_from = valid_from or timezone.now()
    if timezone.is_naive(valid_from) or (valid_until is not None and timezone.is_naive(valid_until)):
        raise ApplicationError(_("Give the start time with a time zone."), code=ErrorCode.NAIVE_DATETIME)
    if valid_until is not None and valid_until <= valid_from:
        raise _refuse(_("The end must be after the start."), field="valid_until")
    try:
        with transaction.atomic():
            version = (WorkPolicy.objects.filter(kind=kind).aggregate(n=Max("version"))["n"] or 0) + 1
            policy = WorkPolicy.objects.create(
                kind=kind,
                version=version,
                terms=clean,
                valid_from=valid_from,
                valid_until=valid_until,
                governance_proposal_id=governance_proposal_id,
                created_by=actor,
            )
    except IntegrityError:
        # Another execution of the same decision (or another version at the same moment) won the race.
        winner = WorkPolicy.objects.filter(governance_proposal_id=governance_proposal_id).first()
        if governance_proposal_id is None or winner is None:
            raise Conflict(_("The rule could not be saved; try again."), code=ErrorCode.WORK_RULE_CONFLICT) from None
        return winner
    if kind == Kind.RANKING:
        # Dropped now: the next reader in this transaction or after it reads the new weights.
        cache.delete(RANKING_CACHE_KEY)
    audit_log(
        actor=actor,
        action="work_policy.created",
        target=policy,
        data={
            "kind": kind,
            "version": policy.version,
            "terms": clean,
            "valid_from": valid_from.isoformat(),
            "valid_until": valid_until.isoformat() if valid_until else None,
            "governance_proposal_id": governance_proposal_id,
        },
    )
    return policy


def work_policy_in_force(*, kind: str, at: datetime | None = None) -> WorkPolicy | None:
    """Return the version in force at `at` (now by default): the latest started, unless it has ended."""
    at = at or timezone.now()
    latest = WorkPolicy.objects.filter(kind=kind, valid_from__lte=at).order_by("-valid_from", "-id").first()
    if latest is None or (latest.valid_until is not None and latest.valid_until <= at):
        return None
    return latest


def work_policy_versions(*, kind: str) -> list[WorkPolicy]:
    return list(WorkPolicy.objects.filter(kind=kind).order_by("version"))


# Project acceptance ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AcceptanceVerdict:
    """What the members' rules say of a job about to be published."""

    policy: WorkPolicy | None = None
    excluded_sector: str = ""
    reasons: list[str] = field(default_factory=list)

    @property
    def needs_vote(self) -> bool:
        return not self.excluded_sector and bool(self.reasons)


def sector_label(key: str) -> str:
    return str(dict(SECTORS).get(key, key))


def acceptance_verdict(job: Job, *, at: datetime | None = None) -> AcceptanceVerdict:
    """Say whether the rules in force exclude the job's sector, or which of their conditions it meets."""
    policy = work_policy_in_force(kind=Kind.ACCEPTANCE, at=at)
    if policy is None:
        return AcceptanceVerdict()
    terms = policy.terms
    if job.sector and job.sector in terms.get("excluded_sectors", []):
        return AcceptanceVerdict(policy=policy, excluded_sector=job.sector)
    reasons: list[str] = []
    over = terms.get("budget_over_cents")
    if over is not None and job.pricing_type == Job.PricingType.FIXED and job.budget_max_cents > over:
        reasons.append(_("the budget goes above %(amount)s") % {"amount": Money(over, job.currency).format()})
    days = terms.get("longer_than_days")
    if days is not None and job.deadline is not None and (job.deadline - timezone.localdate()).days > days:
        reasons.append(_("the work runs longer than %(days)d days") % {"days": days})
    kind = ClientProfile.objects.filter(user_id=job.client_id).values_list("kind", flat=True).first()
    if kind and kind in terms.get("client_kinds", []):
        reasons.append(_("the client is a %(kind)s") % {"kind": str(ClientProfile.Kind(kind).label).lower()})
    if job.sector and job.sector in terms.get("sectors", []):
        reasons.append(_("the sector is %(sector)s") % {"sector": sector_label(job.sector)})
    return AcceptanceVerdict(policy=policy, reasons=reasons)


def excluded_reason(*, sector: str, policy: WorkPolicy) -> str:
    """The refusal in words, naming the sector and the version of the rules that excludes it."""
    text = _("The members do not take on work in the sector %(sector)s (project acceptance rules, version %(v)d).") % {
        "sector": sector_label(sector),
        "v": policy.version,
    }
    if policy.governance_proposal_id:
        text += " " + _("Set by the members' decision %(id)d.") % {"id": policy.governance_proposal_id}
    return text


# Minimum rates --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Floor:
    """The lowest hourly amount the members allow for a piece of work, and the version that set it."""

    hourly_cents: int
    currency: str
    policy: WorkPolicy

    @property
    def amount(self) -> Money:
        return Money(self.hourly_cents, self.currency)


def _hourly_floor(terms: dict[str, Any], *, fixed: bool, skill_slugs: list[str]) -> int | None:
    base = terms.get("fixed_hourly_cents") if fixed else terms.get("hourly_cents")
    per_skill = {row["skill"]: row["hourly_cents"] for row in terms.get("skills", [])}
    amounts = [per_skill[slug] for slug in skill_slugs if slug in per_skill]
    candidates = [amount for amount in [base, *amounts] if amount is not None]
    return max(candidates) if candidates else None


def floor_for(*, job: Job, fixed: bool, at: datetime | None = None) -> Floor | None:
    """The hourly floor in force at `at` for this job's pricing and skills (the highest that applies)."""
    policy = work_policy_in_force(kind=Kind.MINIMUM_RATES, at=at)
    if policy is None:
        return None
    slugs = [skill.slug for skill in job.skills.all()]
    cents = _hourly_floor(policy.terms, fixed=fixed, skill_slugs=slugs)
    return Floor(hourly_cents=cents, currency=job.currency, policy=policy) if cents is not None else None


def floor_words(floor: Floor) -> str:
    text = _("The members' minimum rate is %(amount)s an hour (minimum rates, version %(v)d") % {
        "amount": floor.amount.format(),
        "v": floor.policy.version,
    }
    if floor.policy.governance_proposal_id:
        text += _(", set by decision %(id)d") % {"id": floor.policy.governance_proposal_id}
    return text + ")."


def _below(floor: Floor, message: str, *, offered_cents: int) -> ApplicationError:
    return ApplicationError(
        message + " " + floor_words(floor),
        code=ErrorCode.BELOW_MINIMUM_RATE,
        detail={
            "floor_cents": floor.hourly_cents,
            "offered_hourly_cents": offered_cents,
            "currency": floor.currency,
            "policy_version": floor.policy.version,
            "decision_id": floor.policy.governance_proposal_id,
        },
    )


def minimum_rate_check_terms(*, job: Job, amount_cents: int, duration_days: int, at: datetime | None = None) -> None:
    """Refuse proposed terms below the floor: an hourly rate, or a fixed price per estimated hour.

    A fixed price is spread over its estimated hours: the days of its duration times the hours a
    day the members' rule counts.
    """
    fixed = job.pricing_type == Job.PricingType.FIXED
    floor = floor_for(job=job, fixed=fixed, at=at)
    if floor is None:
        return
    if not fixed:
        if amount_cents < floor.hourly_cents:
            raise _below(floor, _("This hourly rate is below the minimum."), offered_cents=amount_cents)
        return
    hours = duration_days * int(floor.policy.terms.get("hours_per_day", 8))
    if amount_cents < floor.hourly_cents * hours:
        raise _below(
            floor,
            _(
                "This price is below the minimum for %(hours)d hours of work (%(days)d days of %(per_day)d hours): "
                "at least %(total)s."
            )
            % {
                "hours": hours,
                "days": duration_days,
                "per_day": floor.policy.terms.get("hours_per_day", 8),
                "total": Money(floor.hourly_cents * hours, job.currency).format(),
            },
            offered_cents=amount_cents // max(hours, 1),
        )


def minimum_rate_check_contract_rate(*, job: Job, rate_cents: int, started_at: datetime) -> None:
    """Refuse hours billed on an hourly contract whose rate is below the floor it started under.

    Never retroactive: the floor is the one in force when the contract started; a contract agreed
    before a floor existed keeps its rate.
    """
    floor = floor_for(job=job, fixed=False, at=started_at)
    if floor is not None and rate_cents < floor.hourly_cents:
        raise _below(
            floor, _("This contract's hourly rate is below the minimum it started under."), offered_cents=rate_cents
        )


def minimum_rate_check_milestone(
    *, job: Job, amount_cents: int, estimated_hours: int | None, started_at: datetime
) -> None:
    """Refuse a milestone added to a fixed-price contract that pays less than the floor per estimated hour.

    Under a fixed-price floor the milestone must say its estimated hours; the floor is the one in
    force when the contract started (never retroactive).
    """
    floor = floor_for(job=job, fixed=True, at=started_at)
    if floor is None:
        return
    if estimated_hours is None:
        raise ApplicationError(
            _("Say how many hours this milestone takes: the members' minimum rate applies.") + " " + floor_words(floor),
            code=ErrorCode.ESTIMATED_HOURS_REQUIRED,
            detail={"field": "estimated_hours", "floor_cents": floor.hourly_cents},
        )
    if amount_cents < floor.hourly_cents * estimated_hours:
        raise _below(
            floor,
            _("This milestone pays less than the minimum for %(hours)d hours: at least %(total)s.")
            % {"hours": estimated_hours, "total": Money(floor.hourly_cents * estimated_hours, job.currency).format()},
            offered_cents=amount_cents // max(estimated_hours, 1),
        )


# Ranking --------------------------------------------------------------------------------------


RANKING_CACHE_KEY = "marketplace:ranking-versions"


def _ranking_versions() -> list[WorkPolicy]:
    """Every ranking version, from the cache: every search reads them, and they change only by a decision
    (work_policy_create clears the cache after commit), so searches pin no extra query for them."""
    versions = cache.get(RANKING_CACHE_KEY)
    if versions is None:
        versions = list(WorkPolicy.objects.filter(kind=Kind.RANKING).order_by("valid_from", "id"))
        cache.set(RANKING_CACHE_KEY, versions, 3600)
    return list(versions)


def ranking_weights(*, at: datetime | None = None) -> tuple[dict[str, int], WorkPolicy | None]:
    """The weights in force (the defaults until the members decide some) and the version that set them."""
    at = at or timezone.now()
    started = [policy for policy in _ranking_versions() if policy.valid_from <= at]
    policy = started[-1] if started else None
    if policy is None or (policy.valid_until is not None and policy.valid_until <= at):
        return dict(DEFAULT_RANKING), None
    return {name: int(policy.terms.get(name, 0)) for name in RANKING_FACTORS}, policy

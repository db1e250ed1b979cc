"""What a proposed surplus policy would have shared out of last year's figures, for its decision form.

The same reads and the same engine as a cycle's computation (payouts.cycles.services.compute), run
on the twelve months before this one with the proposed funds and classes instead of the policy in
force, and nothing written: members see what their proposal means in euros before they submit it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.decisions import percent_words
from core.exceptions import ApplicationError
from core.money import Money, default_currency
from payouts.allocation import allocate_surplus
from payouts.cycles.labels import fund_name, patronage_class_name
from payouts.cycles.models import PayoutCycle, SurplusPolicy
from payouts.cycles.selectors.cycles import basis_label
from payouts.cycles.selectors.notice import period_text
from payouts.cycles.selectors.sums import period_bounds, surplus_sums


@dataclass(frozen=True)
class PreviewLine:
    name: str
    percent: str
    amount: str
    detail: str = ""


@dataclass(frozen=True)
class PolicyPreview:
    period: str
    surplus: str
    distributable: str
    funds: list[PreviewLine]
    classes: list[PreviewLine]
    members: int
    cash: str
    retained: str
    largest: str
    notes: list[str]
    problem: str = ""


def last_year() -> tuple[date, date]:
    """Return the twelve whole months before this one, [start, end)."""
    end = timezone.localdate().replace(day=1)
    return end.replace(year=end.year - 1), end


def policy_preview(payload: dict[str, Any]) -> PolicyPreview:
    """Run the engine on last year's figures with the proposed policy (a validated payload)."""
    from payouts.cycles.services.compute import _bases, _engine_policy, _members

    start, end = last_year()
    currency = payload.get("currency") or default_currency()
    policy = SurplusPolicy(
        version=0,
        currency=currency,
        funds=payload.get("funds") or [],
        classes=payload.get("classes") or [],
        min_cash_percent=Decimal(str(payload.get("min_cash_percent") or 0)),
        redemption_terms="",
    )
    cycle = PayoutCycle(policy=policy, period_start=start, period_end=end, currency=currency)
    period = period_text(start, end)
    sums = surplus_sums(*period_bounds(start, end), currency)

    def money(cents: int) -> str:
        return Money(cents, currency).format()

    empty = PolicyPreview(period, money(sums.surplus_cents), money(0), [], [], 0, money(0), money(0), money(0), [])
    if sums.surplus_cents <= 0:
        return _with_problem(empty, _("The coop had no surplus in this period, so there would be nothing to share."))
    try:
        members = _members(cycle)
        bases = _bases(cycle, members)
        engine, notes = _engine_policy(cycle, sums.surplus_cents, bases)
        allocation = allocate_surplus(engine)
    except ApplicationError as error:
        return _with_problem(empty, str(error.message))
    shares = allocation.members.values()
    weights = {split.name: len(split.parts) for split in allocation.class_splits}
    pots = {split.name: split.pot_cents for split in allocation.class_splits}
    return PolicyPreview(
        period=period,
        surplus=money(sums.surplus_cents),
        distributable=money(allocation.distributable_cents),
        funds=[
            PreviewLine(fund_name(f["name"]), percent_words(f["percent"]), money(allocation.funds.get(f["name"], 0)))
            for f in policy.funds
        ],
        classes=[
            PreviewLine(
                patronage_class_name(c["name"]),
                percent_words(c["percent"]),
                money(pots.get(c["name"], 0)),
                _("shared by %(basis)s among %(count)s members")
                % {"basis": basis_label(c["basis"]).lower(), "count": weights.get(c["name"], 0)},
            )
            for c in policy.classes
        ],
        members=len(allocation.members),
        cash=money(sum(share.cash_cents for share in shares)),
        retained=money(sum(share.retained_cents for share in shares)),
        largest=money(max((share.allocated_cents for share in shares), default=0)),
        notes=[
            _("Nobody had a basis in “%(name)s”: its share would go to the other classes.")
            % {"name": patronage_class_name(note["class"])}
            for note in notes
        ],
    )


def _with_problem(preview: PolicyPreview, problem: str) -> PolicyPreview:
    return PolicyPreview(**{**preview.__dict__, "problem": problem})


def policy_preview_html(payload: dict[str, Any]) -> str:
    """The preview as the decision form shows it (payouts' own template)."""
    return render_to_string("payout_cycles/_policy_preview.html", {"preview": policy_preview(payload)})

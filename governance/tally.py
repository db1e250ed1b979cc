"""The motion tally: quorum, threshold, double majority and class weights, in exact fractions.

Pure functions over counts, so the same code decides a ballot from the database and the published
cases in tests/data/voting/motion_quorum_majority_cases.json.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any


@dataclass(frozen=True)
class Counts:
    yes: int = 0
    no: int = 0
    abstain: int = 0

    @property
    def cast(self) -> int:
        return self.yes + self.no + self.abstain

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.yes + other.yes, self.no + other.no, self.abstain + other.abstain)

    def as_dict(self) -> dict[str, int]:
        return {"yes": self.yes, "no": self.no, "abstain": self.abstain}


@dataclass(frozen=True)
class MotionOutcome:
    quorum_needed: int
    quorum_met: bool
    threshold_met: bool
    passed: bool
    # For each class that must also agree: whether it did.
    class_majorities: dict[str, bool] = field(default_factory=dict)
    weighted_yes: Fraction = Fraction(0)
    weighted_no: Fraction = Fraction(0)
    weighted_abstain: Fraction = Fraction(0)

    @property
    def outcome(self) -> str:
        if not self.quorum_met:
            return "failed_quorum"
        return "passed" if self.passed else "rejected"


def _fraction(text: str | int | Fraction) -> Fraction:
    return Fraction(text)


def quorum_needed(rule: dict[str, Any] | None, *, electorate: int, members_total: int) -> int:
    """Return the fewest votes cast (abstentions count) that meet the quorum; 0 when there is none."""
    if not rule:
        return 0
    base = members_total if rule.get("of") == "members" else electorate
    exact = _fraction(rule.get("fraction", "0")) * base
    # "More than the fraction" is the next whole vote above it; "at least" is Loomio's
    # quorum_count = ceil(pct * voters).
    needed = math.floor(exact) + 1 if rule.get("strict") else math.ceil(exact)
    minimum = rule.get("min_count")
    if minimum is not None:
        # Either the fraction or the fixed count suffices (Ley 27/1999 art. 25, second call).
        needed = min(needed, int(minimum))
    return needed


def _total(values: list[Fraction]) -> Fraction:
    return sum(values, Fraction(0))


def _weighted(by_class: dict[str, Counts], weights: dict[str, dict[str, Any]]) -> tuple[Fraction, Fraction, Fraction]:
    """Return weighted yes, no and abstain: each class's votes times its weight, capped in share."""
    totals: dict[str, list[Fraction]] = {}
    for slug, counts in by_class.items():
        weight = _fraction(weights.get(slug, {}).get("weight", 1))
        totals[slug] = [weight * counts.yes, weight * counts.no, weight * counts.abstain]
    # A cap limits a class's share of the weighted votes cast. Scaling a class down raises the others'
    # shares, so repeat until no capped class is over its cap (each round fixes at least one class).
    fixed: set[str] = set()
    for _round in range(len(totals) + 1):
        grand = sum((_total(v) for v in totals.values()), Fraction(0))
        over = [
            slug
            for slug, v in totals.items()
            if slug not in fixed
            and "cap" in weights.get(slug, {})
            and grand > 0
            and _total(v) / grand > _fraction(weights[slug]["cap"])
        ]
        if not over:
            break
        for slug in over:
            cap = _fraction(weights[slug]["cap"])
            others = grand - _total(totals[slug])
            target = cap / (1 - cap) * others if cap < 1 else _total(totals[slug])
            scale = target / _total(totals[slug])
            totals[slug] = [value * scale for value in totals[slug]]
            fixed.add(slug)
    yes = sum((v[0] for v in totals.values()), Fraction(0))
    no = sum((v[1] for v in totals.values()), Fraction(0))
    abstain = sum((v[2] for v in totals.values()), Fraction(0))
    return yes, no, abstain


def _threshold_met(rule: dict[str, Any], *, yes: Fraction, no: Fraction, abstain: Fraction, electorate: int) -> bool:
    base_name = rule.get("of", "yes_plus_no")
    if base_name == "votes_cast":
        base = yes + no + abstain
    elif base_name == "electorate":
        base = Fraction(electorate)
    else:
        base = yes + no
    if base == 0:
        return False
    share = yes / base
    fraction = _fraction(rule.get("fraction", "1/2"))
    return share > fraction if rule.get("strict", True) else share >= fraction


def motion_outcome(
    rule: dict[str, Any],
    *,
    electorate: int,
    tally: Counts,
    by_class: dict[str, Counts] | None = None,
    members_total: int | None = None,
) -> MotionOutcome:
    """Decide a motion under `rule` (the form RuleSet.motion_rule returns)."""
    members_total = electorate if members_total is None else members_total
    needed = quorum_needed(rule.get("quorum"), electorate=electorate, members_total=members_total)
    quorum_met = tally.cast >= needed
    by_class = by_class or {}
    weights = rule.get("class_weights") or {}
    if weights and by_class:
        yes, no, abstain = _weighted(by_class, weights)
    else:
        yes, no, abstain = Fraction(tally.yes), Fraction(tally.no), Fraction(tally.abstain)

    class_majorities: dict[str, bool] = {}
    double = rule.get("double_majority")
    if double:
        # ULCAA §514: a majority of all members voting and a majority of the votes cast by the
        # named class; "majority" is more than half of the votes for or against.
        overall = {"fraction": "1/2", "of": "yes_plus_no", "strict": True}
        threshold_met = _threshold_met(overall, yes=yes, no=no, abstain=abstain, electorate=electorate)
        required = [key.removesuffix("_class") for key in double if key != "all_members_voting"]
        class_rule = overall
    else:
        threshold_rule = rule.get("threshold") or {"fraction": "1/2", "of": "yes_plus_no", "strict": True}
        threshold_met = _threshold_met(threshold_rule, yes=yes, no=no, abstain=abstain, electorate=electorate)
        required = list(rule.get("classes_must_agree") or [])
        class_rule = (
            {**threshold_rule, "of": "yes_plus_no"} if threshold_rule.get("of") == "electorate" else threshold_rule
        )
    for slug in required:
        counts = by_class.get(slug, Counts())
        class_majorities[slug] = _threshold_met(
            class_rule,
            yes=Fraction(counts.yes),
            no=Fraction(counts.no),
            abstain=Fraction(counts.abstain),
            electorate=electorate,
        )
    threshold_met = threshold_met and all(class_majorities.values())
    return MotionOutcome(
        quorum_needed=needed,
        quorum_met=quorum_met,
        threshold_met=threshold_met,
        passed=quorum_met and threshold_met,
        class_majorities=class_majorities,
        weighted_yes=yes,
        weighted_no=no,
        weighted_abstain=abstain,
    )

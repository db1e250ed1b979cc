"""Results in words: what each round of an election count did and why, and how a motion was decided.

The count and the tally record every figure and every tie they broke (BallotResult.details); this
module only puts them into sentences in the reader's language, with numbers as people write them.
It decides nothing: the outcome shown is always the one recorded at close.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

from babel.numbers import format_decimal, format_percent
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from governance.models import BallotResult, Candidate, Election
from membership.labels import member_class_name
from membership.models import MemberClass

# Vote values are shown to two decimals at most; a count in fixed point (Scottish STV to five
# places, Meek to nine) shows its exact values folded, under the rounded ones.
SHOWN_PLACES = Decimal("0.01")


def _locale() -> str:
    return (translation.get_language() or "en").replace("-", "_")


def number(value: str | int | Decimal | Fraction) -> str:
    """Return a count as people write it: "3", "2.5", "1,234.25" ("2,5" in Dutch), at most two decimals."""
    exact = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else Decimal(value)
    shown = exact.quantize(SHOWN_PLACES, rounding=ROUND_HALF_EVEN)
    return format_decimal(
        shown.normalize() if shown == shown.to_integral() else shown, format="#,##0.##", locale=_locale()
    )


def is_rounded(value: str | int | Decimal) -> bool:
    """Return whether `number(value)` shows less than the exact value."""
    exact = Decimal(value)
    return exact != exact.quantize(SHOWN_PLACES, rounding=ROUND_HALF_EVEN)


def exact_number(value: str | int | Decimal) -> str:
    """Return an exact fixed-point count without its trailing zeros, in the reader's language."""
    exact = Decimal(value).normalize()
    exponent = exact.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_decimal(exact, format="#,##0." + "#" * places if places else "#,##0", locale=_locale())


def percent(part: Fraction) -> str:
    """Return a share as a percentage: "83%", "66.7%" (one decimal where it is not whole)."""
    value = Decimal(part.numerator) / Decimal(part.denominator) if part.denominator else Decimal(0)
    return format_percent(value, format="#,##0.#%", locale=_locale())


def names_list(names: Sequence[str]) -> str:
    """Return "A", "A and B", "A, B and C" in the reader's language."""
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def votes(value: str | int | Decimal) -> str:
    """Return "1 vote", "2.5 votes" in the reader's language."""
    exact = Decimal(value)
    return ngettext("%(n)s vote", "%(n)s votes", 1 if exact == 1 else 2) % {"n": number(exact)}


# ----------------------------------------------------------------------------------------------
# Elections


@dataclass(frozen=True)
class TallyRow:
    """One candidate's line in a round."""

    name: str
    votes: str
    exact: str
    rounded: bool
    elected: bool
    excluded: bool


@dataclass(frozen=True)
class TieText:
    """A tie the count broke: what was tied, the rule that broke it, and what it decided."""

    what: str
    rule: str
    outcome: str
    by_lot: bool
    seed: str = ""


@dataclass(frozen=True)
class RoundText:
    number: int
    rows: list[TallyRow]
    events: list[str]
    ties: list[TieText]

    @property
    def has_rounded(self) -> bool:
        return any(row.rounded for row in self.rows)


@dataclass(frozen=True)
class ElectionResultText:
    """An election's count in words, round by round, and how to recount it."""

    winners: list[str]
    valid_ballots: int
    quota: str
    rounds: list[RoundText]
    lot_seed: str
    recount_command: str
    ties: int = field(default=0)
    lots: int = field(default=0)


def candidate_names(*, result: BallotResult, candidates: Sequence[Candidate]) -> dict[str, str]:
    """Return each candidate key of a stored count with the candidate's name today.

    The count holds candidate keys (governance.services.elections.candidate_label); counts recorded
    before that held names. `candidate_ids` maps either to the candidate, so both show today's name,
    which for an erased account is its pseudonym.
    """
    by_id = {c.pk: c for c in candidates}
    return {
        label: str(by_id[pk].member.user)
        for label, pk in result.details.get("candidate_ids", {}).items()
        if pk in by_id
    }


def election_result_text(
    *, election: Election, result: BallotResult, candidates: Sequence[Candidate]
) -> ElectionResultText:
    """Return the stored count of a closed election in words, with every tie and how it was broken."""
    count = result.details["election"]
    names = candidate_names(result=result, candidates=candidates)

    def name(label: str) -> str:
        return names.get(label, label)

    method = count["method"]
    rounds = count["rounds"]
    ties = lots = 0
    texts = []
    for position, data in enumerate(rounds):
        tallies: Mapping[str, Any] = data["tallies"]
        rows = [
            TallyRow(
                name=name(label),
                votes=number(tallies[label]),
                exact=exact_number(tallies[label]),
                rounded=is_rounded(tallies[label]),
                elected=label in data["elected"],
                excluded=label in data["excluded"],
            )
            for label in count["candidates"]
            if label in tallies
        ]
        round_ties = [
            _tie_text(note, index=position, rounds=rounds, method=method, name=name, seed=count["lot_seed"])
            for note in data["notes"]
            if note.get("kind") == "tie"
        ]
        ties += len(round_ties)
        lots += sum(1 for tie in round_ties if tie.by_lot)
        texts.append(
            RoundText(
                number=data["round"],
                rows=rows,
                events=_round_events(data, method=method, name=name, first=position == 0, seats=count["seats"]),
                ties=round_ties,
            )
        )
    return ElectionResultText(
        winners=[name(label) for label in count["winners"]],
        valid_ballots=count["valid_ballots"],
        quota=_quota_text(count),
        rounds=texts,
        lot_seed=count["lot_seed"],
        recount_command=recount_command(election=election, count=count),
        ties=ties,
        lots=lots,
    )


def recount_command(*, election: Election, count: Mapping[str, Any]) -> str:
    """Return the command that recounts the election's BLT file to the same result, lot included.

    The seed is passed even where the default would give the same one: the default is derived from
    the file's data, which lists withdrawn candidates the count at close left out.
    """
    parts = [f"python manage.py count_ballots election-{election.pk}.blt", f"--method {count['method']}"]
    if count["seats"] != election.seats:
        parts.append(f"--seats {count['seats']}")
    parts.append(f"--lot-seed {count['lot_seed']}")
    return " ".join(parts)


def _quota_text(count: Mapping[str, Any]) -> str:
    method = count["method"]
    if method == "stv-scottish" and count["quota"] is not None:
        return _(
            "Quota: %(votes)s. A candidate with this many votes is elected: the valid ballots divided by the "
            "seats plus one, rounded down, plus one."
        ) % {"votes": votes(count["quota"])}
    if method == "stv-meek":
        return _(
            "The quota is worked out again in every round from the votes still in play, divided by the seats plus "
            "one: it falls as ballots run out of preferences. A candidate who reaches it is elected."
        )
    if method == "irv":
        return _("A candidate with more than half of the votes still in play is elected.")
    if method == "schulze":
        return _(
            "Candidates are ranked by comparing every pair: who is preferred by more voters in head-to-head "
            "comparisons (the Schulze method). The highest ranked are elected."
        )
    return _("Each voter approves of any number of candidates; those with the most approvals are elected.")


def _round_events(data: Mapping[str, Any], *, method: str, name: Any, first: bool, seats: int) -> list[str]:
    """Return what happened in a round, in the order it happened: elections, exclusions, transfers."""
    tallies = data["tallies"]
    events: list[str] = []
    notes = data["notes"]
    last = {
        label for note in notes if note.get("kind") in ("last_vacancies", "last_remaining") for label in note["elected"]
    }
    if method == "schulze":
        ranking = [name(label) for label in data["detail"].get("ranking", [])]
        events.append(
            _("Ranking from the head-to-head comparisons: %(ranking)s. The first %(seats)s are elected.")
            % {"ranking": ", ".join(ranking), "seats": seats}
        )
        return events
    if method == "approval":
        events.append(
            ngettext(
                "%(names)s is elected with the most approvals.",
                "%(names)s are elected with the most approvals.",
                len(data["elected"]),
            )
            % {"names": names_list([name(label) for label in data["elected"]])}
        )
        return events
    for label in data["elected"]:
        if label in last:
            continue
        if method == "irv":
            in_play = sum(Decimal(value) for value in tallies.values())
            events.append(
                _("%(name)s has more than half of the votes still in play (%(votes)s of %(total)s) and is elected.")
                % {"name": name(label), "votes": number(tallies[label]), "total": number(in_play)}
            )
        else:
            events.append(
                _("%(name)s reached the quota of %(quota)s with %(votes)s and is elected.")
                % {"name": name(label), "quota": number(data["quota"]), "votes": votes(tallies[label])}
            )
    by_tie = {note["chosen"] for note in notes if note.get("kind") == "tie" and note.get("purpose") == "exclusion"}
    for label in data["excluded"]:
        values = {"name": name(label), "votes": number(tallies[label])}
        if label in by_tie:
            events.append(
                _("%(name)s is excluded: tied for the fewest votes, %(votes)s, and chosen by the tie-break below.")
                % values
            )
        else:
            events.append(_("%(name)s has the fewest votes, %(votes)s, and is excluded.") % values)
    transfer = data.get("transfer")
    if transfer and not transfer.get("informational"):
        events.append(_transfer_text(transfer, name=name))
    for note in notes:
        if note.get("kind") == "last_vacancies":
            events.append(
                ngettext(
                    "%(names)s is elected without reaching the quota: as many candidates were left as seats to fill.",
                    "%(names)s are elected without reaching the quota: as many candidates were left as seats to fill.",
                    len(note["elected"]),
                )
                % {"names": names_list([name(label) for label in note["elected"]])}
            )
        elif note.get("kind") == "last_remaining":
            events.append(
                _("%(name)s is the last candidate left and is elected.")
                % {"name": names_list([name(x) for x in note["elected"]])}
            )
    if transfer and transfer.get("informational"):
        events.append(_transfer_text(transfer, name=name))
    if first and not events:
        events.append(_("No one reached the quota in this round."))
    return events


def _transfer_text(transfer: Mapping[str, Any], *, name: Any) -> str:
    received = [
        _("%(name)s +%(votes)s") % {"name": name(label), "votes": number(value)}
        for label, value in transfer["received"].items()
        if Decimal(value) > 0
    ]
    if transfer["kind"] == "surplus":
        text = _(
            "The surplus of %(name)s passes to the next preferences on their ballots, at a reduced value so that "
            "they keep exactly the quota."
        ) % {"name": name(transfer["from"])}
    else:
        text = _("The ballots of %(name)s pass to the next preference marked on them.") % {
            "name": name(transfer["from"])
        }
    parts = [text]
    if received:
        parts.append(_("Received: %(list)s.") % {"list": ", ".join(received)})
    if Decimal(transfer["non_transferable"]) > 0:
        parts.append(
            _("%(votes)s name no candidate still in the count and go to no one.")
            % {"votes": votes(transfer["non_transferable"])}
        )
    if transfer.get("informational"):
        parts.append(_("This is shown for the record and changes no result: every seat is filled."))
    return " ".join(parts)


def _tie_text(
    note: Mapping[str, Any], *, index: int, rounds: Sequence[Mapping[str, Any]], method: str, name: Any, seed: str
) -> TieText:
    purpose = note["purpose"]
    tied = [name(label) for label in note["tied"]]
    values = {rounds[index]["tallies"].get(label) for label in note["tied"]}
    what_values = {"names": names_list(tied), "purpose": _purpose_text(purpose, method)}
    if len(values) == 1 and None not in values:
        what = _("%(names)s were tied with %(votes)s each, which had to decide %(purpose)s.") % {
            **what_values,
            "votes": votes(values.pop()),
        }
    else:
        what = _("%(names)s were tied, which had to decide %(purpose)s.") % what_values
    chosen = name(note["chosen"])
    if note["by"] == "earlier_round":
        earlier = rounds[note["round"] - 1]["tallies"]
        figures = names_list(
            [
                _("%(name)s %(votes)s") % {"name": name(label), "votes": number(earlier.get(label, 0))}
                for label in note["tied"]
            ]
        )
        if purpose == "exclusion":
            rule = _(
                "Rule: the most recent earlier round in which they had different votes decides, and the one with "
                "fewer votes there is excluded."
            )
        else:
            rule = _(
                "Rule: the most recent earlier round in which they had different votes decides, and the one with "
                "more votes there goes first."
            )
        outcome = _("In round %(round)s they had %(figures)s, so %(outcome)s") % {
            "round": note["round"],
            "figures": figures,
            "outcome": _chosen_text(purpose, chosen, note, name),
        }
        return TieText(what=what, rule=rule, outcome=outcome, by_lot=False)
    lot = _(
        "The lot can be checked: each tied candidate's ticket is the SHA-256 hash of the seed and the candidate's "
        "key, and the lowest ticket is drawn first."
    )
    if method in ("schulze", "approval"):
        rule = _("Rule: a tie is decided by lot. %(lot)s") % {"lot": lot}
        lead = _("Decided by lot")
    else:
        rule = _(
            "Rule: the most recent earlier round in which they had different votes decides; where no earlier round "
            "does, the lot decides. %(lot)s"
        ) % {"lot": lot}
        drawn = [name(label) for label in note.get("drawn_from", note["tied"])]
        if drawn != tied:
            lead = _("Earlier rounds left %(names)s level, so the lot decided between them") % {
                "names": names_list(drawn)
            }
        elif index == 0:
            lead = _("There is no earlier round to look back to, so the lot decided")
        else:
            lead = _("They had equal votes in every earlier round too, so the lot decided")
    outcome = _("%(lead)s: %(outcome)s") % {"lead": lead, "outcome": _chosen_text(purpose, chosen, note, name)}
    return TieText(what=what, rule=rule, outcome=outcome, by_lot=True, seed=seed)


def _purpose_text(purpose: str, method: str) -> str:
    if method == "approval" or purpose == "ranking":
        return _("who is placed higher")
    return {
        "election": _("who is elected first"),
        "exclusion": _("who is excluded"),
        "surplus": _("whose surplus is transferred first"),
    }.get(purpose, _("who goes first"))


def _chosen_text(purpose: str, chosen: str, note: Mapping[str, Any], name: Any) -> str:
    if note.get("order"):
        return _("the order is %(order)s.") % {"order": ", ".join(name(label) for label in note["order"])}
    if purpose == "exclusion":
        return _("%(name)s is excluded.") % {"name": chosen}
    if purpose == "surplus":
        return _("the surplus of %(name)s is transferred first.") % {"name": chosen}
    return _("%(name)s goes first.") % {"name": chosen}


# ----------------------------------------------------------------------------------------------
# Motions

FRACTION_WORDS = {
    "1/2": lambda: _("half"),
    "1/3": lambda: _("a third"),
    "2/3": lambda: _("two thirds"),
    "1/4": lambda: _("a quarter"),
    "3/4": lambda: _("three quarters"),
    "1/5": lambda: _("a fifth"),
    "3/5": lambda: _("three fifths"),
    "1/10": lambda: _("a tenth"),
}


def fraction_words(text: str) -> str:
    """Return a rule's fraction in words ("two thirds"), or as a percentage where it has no name."""
    value = Fraction(text)
    key = f"{value.numerator}/{value.denominator}"
    if value == 1:
        return _("all")
    if key in FRACTION_WORDS:
        return FRACTION_WORDS[key]()
    return percent(value)


def _base_words(base: str) -> str:
    return {
        "votes_cast": _("the votes cast, abstentions included"),
        "electorate": _("the members on the voter roll"),
        "members": _("all active members"),
    }.get(base, _("the votes for or against (abstentions not counted)"))


def _needs(rule: Mapping[str, Any], base: str) -> str:
    words = fraction_words(rule.get("fraction", "1/2"))
    if rule.get("strict", True):
        return _("more than %(fraction)s of %(base)s") % {"fraction": words, "base": _base_words(base)}
    return _("at least %(fraction)s of %(base)s") % {"fraction": words, "base": _base_words(base)}


@dataclass(frozen=True)
class ClassCounts:
    label: str
    yes: int
    no: int
    abstain: int
    must_agree: bool
    agreed: bool | None
    weight: str


@dataclass(frozen=True)
class MotionResultText:
    """How a motion was decided, in words: quorum, threshold, and the classes where the rules use them."""

    quorum: str
    quorum_met: bool
    threshold: str
    threshold_met: bool
    classes_agreed: bool
    classes: list[ClassCounts]
    uses_classes: bool
    shows_classes: bool
    class_rule: str


def class_labels(slugs: Sequence[str]) -> dict[str, str]:
    """Return each member class's name by its slug in the reader's language (a name the coop chose as
    written); a class since removed shows its slug."""
    names = dict(MemberClass.objects.filter(slug__in=list(slugs)).values_list("slug", "name"))
    return {slug: member_class_name(slug, names.get(slug, "")) for slug in slugs}


def class_name_map() -> dict[str, str]:
    """Return every member class's name by slug in the reader's language, in one query (for pages
    that name classes from rules: voters, classes that must agree, weights)."""
    return {slug: member_class_name(slug, name) for slug, name in MemberClass.objects.values_list("slug", "name")}


def motion_result_text(*, result: BallotResult, complete: bool = False) -> MotionResultText:
    """Return a closed motion's result in words from what was recorded at close.

    The counts per class show where the rules use classes (weights, or classes that must agree),
    where more than one class voted, and always when `complete` (the minutes) asks for them.
    """
    rule: Mapping[str, Any] = result.details.get("rule") or {}
    quorum_rule = rule.get("quorum")
    if not quorum_rule:
        quorum = _("No quorum was required. %(turnout)s of the %(electorate)s members on the voter roll voted.") % {
            "turnout": result.turnout,
            "electorate": result.electorate_size,
        }
    else:
        needs = _needs({**quorum_rule, "strict": quorum_rule.get("strict", False)}, quorum_rule.get("of", "electorate"))
        if quorum_rule.get("min_count"):
            needs = _("%(needs)s, or %(count)s") % {"needs": needs, "count": votes(quorum_rule["min_count"])}
        values = {
            "turnout": result.turnout,
            "needed": result.quorum_needed,
            "needs": needs,
            "electorate": result.electorate_size,
        }
        if result.quorum_met:
            quorum = (
                _(
                    "Quorum reached: %(turnout)s of the %(electorate)s members on the voter roll voted, and %(needed)s "
                    "were needed (%(needs)s)."
                )
                % values
            )
        else:
            quorum = (
                _(
                    "Quorum not reached: %(turnout)s of the %(electorate)s members on the voter roll voted, and "
                    "%(needed)s were needed (%(needs)s). The motion fails whatever the votes."
                )
                % values
            )

    weights: Mapping[str, Any] = rule.get("class_weights") or {}
    must_agree = list(rule.get("classes_must_agree") or [])
    threshold_rule = rule.get("threshold") or {"fraction": "1/2", "of": "yes_plus_no", "strict": True}
    base = threshold_rule.get("of", "yes_plus_no")
    weighted = result.details.get("weighted") or {}
    if weights and weighted:
        yes, no, abstain = (Fraction(weighted.get(k, "0")) for k in ("yes", "no", "abstain"))
    else:
        yes, no, abstain = Fraction(result.yes), Fraction(result.no), Fraction(result.abstain)
    whole = {"votes_cast": yes + no + abstain, "electorate": Fraction(result.electorate_size)}.get(base, yes + no)
    needed = _needs(threshold_rule, base)
    share = percent(yes / whole) if whole else percent(Fraction(0))
    figures = {"yes": number(yes), "whole": number(whole), "share": share, "needed": needed}
    if base == "electorate":
        counted = _("%(yes)s of the %(whole)s members on the voter roll voted yes (%(share)s)") % figures
    elif base == "votes_cast":
        counted = _("%(yes)s of the %(whole)s votes cast were yes (%(share)s)") % figures
    else:
        counted = _("%(yes)s of the %(whole)s votes for or against were yes (%(share)s)") % figures
    if weights:
        counted = _("%(counted)s, with each class's votes weighted as the rules say") % {"counted": counted}
    threshold_met_overall = _threshold_holds(threshold_rule, base, yes, whole)
    if threshold_met_overall:
        threshold = _("Threshold met: %(counted)s; %(needed)s was needed.") % {**figures, "counted": counted}
    else:
        threshold = _("Threshold not met: %(counted)s; %(needed)s was needed.") % {**figures, "counted": counted}

    majorities: Mapping[str, bool] = result.details.get("class_majorities") or {}
    slugs = sorted(set(result.by_class) | set(must_agree) | set(weights))
    labels = class_labels(slugs)
    classes = [
        ClassCounts(
            label=labels[slug],
            yes=result.by_class.get(slug, {}).get("yes", 0),
            no=result.by_class.get(slug, {}).get("no", 0),
            abstain=result.by_class.get(slug, {}).get("abstain", 0),
            must_agree=slug in must_agree,
            agreed=majorities.get(slug) if slug in must_agree else None,
            weight=number(weights[slug].get("weight", 1)) if slug in weights else "",
        )
        for slug in slugs
    ]
    class_rule = ""
    if must_agree:
        class_rule = ngettext(
            "The same threshold must also be met within this class: %(classes)s.",
            "The same threshold must also be met within each of these classes: %(classes)s.",
            len(must_agree),
        ) % {"classes": names_list([labels[slug] for slug in must_agree])}
    return MotionResultText(
        quorum=quorum,
        quorum_met=result.quorum_met,
        threshold=threshold,
        threshold_met=threshold_met_overall,
        classes_agreed=all(majorities.get(slug, False) for slug in must_agree),
        classes=classes,
        uses_classes=bool(weights or must_agree),
        shows_classes=bool(weights or must_agree) or complete or len(classes) > 1,
        class_rule=class_rule,
    )


def _threshold_holds(rule: Mapping[str, Any], base: str, yes: Fraction, whole: Fraction) -> bool:
    if not whole:
        return False
    share, fraction = yes / whole, Fraction(rule.get("fraction", "1/2"))
    return share > fraction if rule.get("strict", True) else share >= fraction

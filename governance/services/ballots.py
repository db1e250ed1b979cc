"""Opening and closing ballots on time, the tally at close, and reminders before close.

Lock order everywhere: ballot, then proposal or election, then execution.
"""

import secrets
from datetime import datetime, timedelta
from typing import TypedDict

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.decisions import decision_type
from core.exceptions import Conflict
from core.outbox import enqueue
from core.transitions import transition
from governance.exceptions import ErrorCode
from governance.models import (
    Ballot,
    BallotPaper,
    BallotResult,
    Election,
    Execution,
    ExecutionStatusChange,
    Participation,
    Proposal,
    Vote,
    VoterRollEntry,
)
from governance.services import notices
from governance.tally import Counts, motion_outcome
from membership.models import Member, User
from membership.selectors import active_members

REMIND_BEFORE = timedelta(days=1)


class ResultCommon(TypedDict):
    """The columns of a BallotResult that motions and elections share, fixed when the ballot closes."""

    ballot: Ballot
    ruleset_version: int
    notice_given_at: datetime
    opened_at: datetime | None
    closed_at: datetime
    electorate_size: int
    members_total: int
    turnout: int
    closed_early: bool


def voter_roll_members(*, ballot: Ballot) -> list[Member]:
    """Return the members entitled to vote under the ballot's rules, now."""
    members = active_members().filter(member_class__votes=True)
    if ballot.ruleset.voter_class_slugs:
        members = members.filter(member_class__slug__in=ballot.ruleset.voter_class_slugs)
    return list(members.order_by("pk"))


@transaction.atomic
def ballot_open(*, ballot_id: int, actor: User | None = None, now: datetime | None = None) -> Ballot:
    """Open a scheduled ballot whose time has come and freeze its voter roll. Safe to call twice."""
    now = now or timezone.now()
    ballot = Ballot.objects.select_for_update().select_related("ruleset").get(pk=ballot_id)
    if ballot.status != Ballot.Status.SCHEDULED:
        return ballot
    if ballot.opens_at > now:
        raise Conflict(_("This ballot opens later."), code=ErrorCode.BALLOT_NOT_DUE)
    if ballot.kind == Ballot.Kind.ELECTION:
        election = Election.objects.select_for_update().get(ballot=ballot)
        if not election.candidates.filter(withdrawn=False).exists():
            transition(ballot, Ballot.Status.CANCELLED, actor=actor)
            transition(election, Election.Status.CANCELLED, actor=actor)
            return ballot
    members = voter_roll_members(ballot=ballot)
    VoterRollEntry.objects.bulk_create(
        VoterRollEntry(ballot=ballot, member=member, member_class_slug=member.member_class.slug) for member in members
    )
    ballot.electorate_size = len(members)
    ballot.members_total = active_members().count()
    ballot.opened_at = now
    transition(ballot, Ballot.Status.OPEN, actor=actor, update_fields=("electorate_size", "members_total", "opened_at"))
    if ballot.kind == Ballot.Kind.MOTION:
        subject = Proposal.objects.select_for_update().get(ballot=ballot)
        transition(subject, Proposal.Status.VOTING, actor=actor)
        notices.voting_opened_notify(ballot=ballot, subject=subject, members=members)
    else:
        transition(election, Election.Status.VOTING, actor=actor)
        # For an election, voting opens when nominations close: one notice says both, with the field.
        notices.nominations_closed_notify(election=election, ballot=ballot, members=members)
    return ballot


def motion_counts(*, ballot: Ballot) -> tuple[Counts, dict[str, Counts]]:
    """Return the totals and the counts per member class of a motion, in one grouped query."""
    source = BallotPaper.objects if ballot.secret else Vote.objects
    rows = source.filter(ballot=ballot).values("member_class_slug", "choice").annotate(n=Count("pk")).order_by()
    per_class: dict[str, dict[str, int]] = {}
    for row in rows:
        per_class.setdefault(row["member_class_slug"], {"yes": 0, "no": 0, "abstain": 0})[row["choice"]] = row["n"]
    by_class = {slug: Counts(**counts) for slug, counts in sorted(per_class.items())}
    total = sum(by_class.values(), Counts())
    return total, by_class


def _reshuffle_papers(ballot: Ballot) -> None:
    # Rows are stored in the order they were written, and a paper shares its transaction with the
    # participation row. Rewriting the papers in random order, in one transaction with fresh keys,
    # leaves no storage order or transaction id that pairs a paper with a voter.
    papers = list(BallotPaper.objects.filter(ballot=ballot).values("choice", "ranking", "member_class_slug", "cast_on"))
    secrets.SystemRandom().shuffle(papers)
    BallotPaper.objects.filter(ballot=ballot).delete()
    BallotPaper.objects.bulk_create(BallotPaper(ballot=ballot, **paper) for paper in papers)


def _turnout(ballot: Ballot) -> int:
    if ballot.secret:
        return Participation.objects.filter(ballot=ballot).count()
    return Vote.objects.filter(ballot=ballot).count()


@transaction.atomic
def ballot_close(*, ballot_id: int, actor: User | None = None, now: datetime | None = None) -> Ballot:
    """Close an open ballot whose time is up, record the result and decide the motion or election.

    Safe to call twice: a closed ballot is left as it is.
    """
    now = now or timezone.now()
    ballot = Ballot.objects.select_for_update().select_related("ruleset").get(pk=ballot_id)
    if ballot.status != Ballot.Status.OPEN:
        return ballot
    if ballot.closes_at > now:
        raise Conflict(_("This ballot is still open."), code=ErrorCode.BALLOT_NOT_DUE)
    _close(ballot, actor=actor, now=now, turnout=_turnout(ballot), early=False)
    return ballot


def ballot_close_if_complete(*, ballot: Ballot, now: datetime | None = None) -> bool:
    """Close an open ballot at once if its rules say so and everyone on its voter roll has voted.

    Called by the vote services after recording a vote, in the same transaction and with the ballot
    row locked (the lock that serialises votes), so of two last votes cast at the same moment the
    second one sees the first and only it closes and counts the ballot. The count, the result notice
    and the execution of a passed decision run exactly as on a timed close. Return whether it closed.
    """
    if ballot.status != Ballot.Status.OPEN or not ballot.ruleset.early_close:
        return False
    turnout = _turnout(ballot)
    if not ballot.electorate_size or turnout < ballot.electorate_size:
        return False
    # The rule closes the ballot, not the member whose vote completed the roll: no actor, as on time.
    _close(ballot, actor=None, now=now or timezone.now(), turnout=turnout, early=True)
    return True


def _close(ballot: Ballot, *, actor: User | None, now: datetime, turnout: int, early: bool) -> None:
    """Close a locked open ballot, record the result and decide the motion or election."""
    from governance.services.elections import election_count
    from governance.tasks import execute_decision

    ballot.closed_at = now
    transition(
        ballot,
        Ballot.Status.CLOSED,
        actor=actor,
        update_fields=("closed_at",),
        audit_data={"closed_early": True} if early else None,
    )
    common: ResultCommon = {
        "ballot": ballot,
        "ruleset_version": ballot.ruleset.version,
        "notice_given_at": ballot.notice_given_at,
        "opened_at": ballot.opened_at,
        "closed_at": now,
        "electorate_size": ballot.electorate_size or 0,
        "members_total": ballot.members_total or 0,
        "turnout": turnout,
        "closed_early": early,
    }
    if ballot.kind == Ballot.Kind.ELECTION:
        election = Election.objects.select_for_update().get(ballot=ballot)
        election_count(election=election, common=common, actor=actor)
    else:
        total, by_class = motion_counts(ballot=ballot)
        rule = ballot.ruleset.motion_rule()
        outcome = motion_outcome(
            rule,
            electorate=ballot.electorate_size or 0,
            members_total=ballot.members_total or 0,
            tally=total,
            by_class=by_class,
        )
        result = BallotResult.objects.create(
            **common,
            yes=total.yes,
            no=total.no,
            abstain=total.abstain,
            by_class={slug: counts.as_dict() for slug, counts in by_class.items()},
            quorum_needed=outcome.quorum_needed,
            quorum_met=outcome.quorum_met,
            threshold_met=outcome.threshold_met,
            outcome=outcome.outcome,
            details={
                "rule": rule,
                "class_majorities": outcome.class_majorities,
                "weighted": {
                    "yes": str(outcome.weighted_yes),
                    "no": str(outcome.weighted_no),
                    "abstain": str(outcome.weighted_abstain),
                },
            },
        )
        proposal = Proposal.objects.select_for_update().get(ballot=ballot)
        transition(proposal, Proposal.Status.CLOSED, actor=actor)
        transition(proposal, outcome.outcome, actor=actor)
        notices.motion_result_notify(proposal=proposal, result=result)
        dtype = decision_type(proposal.decision_key)
        if outcome.passed and dtype.has_effect:
            execution = Execution.objects.create(proposal=proposal)
            ExecutionStatusChange.objects.create(execution=execution, to_status=execution.status, actor=actor)
            enqueue(execute_decision, proposal.pk)
        elif not outcome.passed and dtype.on_not_passed is not None:
            # In the closing transaction: what waited on the vote ends with it (the owning app is idempotent).
            dtype.on_not_passed(payload=proposal.payload, proposal_id=proposal.pk, outcome=outcome.outcome, actor=actor)
    if ballot.secret:
        _reshuffle_papers(ballot)


def ballot_members_yet_to_vote(*, ballot: Ballot) -> list[Member]:
    """Return the members on the roll who have not voted yet."""
    voted = Participation.objects if ballot.secret else Vote.objects
    done = voted.filter(ballot=ballot).values_list("member_id", flat=True)
    entries = VoterRollEntry.objects.filter(ballot=ballot).exclude(member_id__in=done).select_related("member__user")
    return [entry.member for entry in entries.order_by("member_id")]


@transaction.atomic
def ballot_remind(*, ballot_id: int, now: datetime | None = None) -> int:
    """Remind the members who have not voted, once, in the last day before close. Return how many."""
    now = now or timezone.now()
    ballot = Ballot.objects.select_for_update().get(pk=ballot_id)
    if ballot.status != Ballot.Status.OPEN or ballot.reminder_sent_at is not None:
        return 0
    if ballot.closes_at - now > REMIND_BEFORE or ballot.closes_at <= now:
        return 0
    ballot.reminder_sent_at = now
    ballot.save(update_fields=["reminder_sent_at"])
    return notices.voting_closes_soon_notify(ballot=ballot, members=ballot_members_yet_to_vote(ballot=ballot))

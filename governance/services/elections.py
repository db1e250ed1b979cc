"""Board elections: calling one, self-nomination, ranked secret ballots and the count at close."""

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, Conflict
from core.permissions import authorize
from core.services import audit_log
from core.transitions import transition
from governance.exceptions import BallotNotOpen, ErrorCode
from governance.models import (
    Ballot,
    BallotPaper,
    BallotResult,
    BallotStatusChange,
    Candidate,
    Election,
    ElectionStatusChange,
)
from governance.services import notices
from governance.services.ballots import ballot_close_if_complete
from governance.services.rules import ruleset_current
from governance.services.votes import participation_record, roll_entry_lock, voter_for
from membership.models import User

if TYPE_CHECKING:
    from governance.services.ballots import ResultCommon

STATEMENT_MAX = 4000
# A cooperative's board is a handful of people; 50 leaves room for a large council while keeping a
# typo (or 99999999999, which overflows the database column) from calling an election that can
# never be filled. The counting methods accept any number of seats; this is the coop's bound.
SEATS_MAX = 50


@transaction.atomic
def election_create(
    *, title: str, description: str = "", seats: int, method: str, actor: User, nominations_days: int | None = None
) -> Election:
    """Call an election (board only). Nominations run for the notice period, then voting for the window."""
    authorize(actor, "election.call")
    title = title.strip()
    if not title:
        raise ApplicationError(
            _("Give the election a title."), code=ErrorCode.TITLE_REQUIRED, detail={"field": "title"}
        )
    if method not in Election.Method.values:
        raise ApplicationError(
            _("Choose a counting method."), code=ErrorCode.INVALID_METHOD, detail={"field": "method"}
        )
    if isinstance(seats, bool) or not isinstance(seats, int) or not 1 <= seats <= SEATS_MAX:
        raise ApplicationError(
            _("An election fills from 1 to %(max)d seats.") % {"max": SEATS_MAX},
            code=ErrorCode.INVALID_SEATS,
            detail={"field": "seats"},
        )
    if method == Election.Method.IRV and seats != 1:
        raise ApplicationError(
            _("Instant-runoff fills one seat; use STV for several."),
            code=ErrorCode.IRV_ONE_SEAT,
            detail={"field": "seats"},
        )
    ruleset = ruleset_current(key="election")
    if not ruleset.secret:
        raise Conflict(_("The election rules must call for a secret ballot."), code=ErrorCode.ELECTION_NOT_SECRET)
    now = timezone.now()
    days = ruleset.notice_days if nominations_days is None else nominations_days
    if days < ruleset.notice_days:
        raise ApplicationError(
            _("Nominations must stay open for at least %(days)d days.") % {"days": ruleset.notice_days},
            code=ErrorCode.NOTICE_TOO_SHORT,
            detail={"field": "nominations_days"},
        )
    opens_at = now + timedelta(days=days)
    ballot = Ballot.objects.create(
        kind=Ballot.Kind.ELECTION,
        ruleset=ruleset,
        secret=True,
        notice_given_at=now,
        opens_at=opens_at,
        closes_at=opens_at + timedelta(days=ruleset.voting_days),
    )
    election = Election.objects.create(
        title=title, description=description.strip(), seats=seats, method=method, ballot=ballot, created_by=actor
    )
    BallotStatusChange.objects.create(ballot=ballot, to_status=ballot.status, actor=actor)
    ElectionStatusChange.objects.create(election=election, to_status=election.status, actor=actor)
    audit_log(actor=actor, action="election.called", target=election, data={"seats": seats, "method": method})
    notices.election_called_notify(election=election, ballot=ballot, actor=actor)
    return election


@transaction.atomic
def candidate_nominate(*, election_id: int, actor: User, statement: str) -> Candidate:
    """Stand for election with a statement; any active member, while nominations are open."""
    member = voter_for(actor, action="election.stand")
    statement = statement.strip()
    if not statement:
        raise ApplicationError(
            _("Write a short statement for the members."),
            code=ErrorCode.STATEMENT_REQUIRED,
            detail={"field": "statement"},
        )
    if len(statement) > STATEMENT_MAX:
        raise ApplicationError(
            _("Keep the statement under %(n)d characters.") % {"n": STATEMENT_MAX},
            code=ErrorCode.STATEMENT_TOO_LONG,
            detail={"field": "statement"},
        )
    ballot_id = Election.objects.filter(pk=election_id).values_list("ballot_id", flat=True).get()
    Ballot.objects.select_for_update().get(pk=ballot_id)
    election = Election.objects.select_for_update().get(pk=election_id)
    if election.status != Election.Status.NOMINATIONS:
        raise Conflict(_("Nominations for this election are closed."), code=ErrorCode.NOMINATIONS_CLOSED)
    candidate, created = Candidate.objects.get_or_create(
        election=election, member=member, defaults={"statement": statement}
    )
    if not created:
        candidate.statement, candidate.withdrawn = statement, False
        candidate.save(update_fields=["statement", "withdrawn"])
    audit_log(
        actor=actor, action="election.nominated", target=election, subject=actor, data={"candidate": candidate.pk}
    )
    return candidate


@transaction.atomic
def candidate_withdraw(*, election_id: int, actor: User) -> Candidate:
    authorize(actor, "election.stand")
    ballot_id = Election.objects.filter(pk=election_id).values_list("ballot_id", flat=True).get()
    Ballot.objects.select_for_update().get(pk=ballot_id)
    election = Election.objects.select_for_update().get(pk=election_id)
    if election.status != Election.Status.NOMINATIONS:
        raise Conflict(_("Candidates can withdraw only while nominations are open."), code=ErrorCode.NOMINATIONS_CLOSED)
    candidate = Candidate.objects.filter(election=election, member__user=actor).first()
    if candidate is None:
        raise Conflict(_("You are not standing in this election."), code=ErrorCode.NOT_CANDIDATE)
    candidate.withdrawn = True
    candidate.save(update_fields=["withdrawn"])
    audit_log(actor=actor, action="election.withdrew", target=election, subject=actor)
    return candidate


@transaction.atomic
def election_vote_cast(*, election_id: int, actor: User, ranking: list[int]) -> None:
    """Cast a ranked (or approval) secret ballot: candidate ids, most preferred first."""
    voter = voter_for(actor, action="election.vote")
    ballot_id = Election.objects.filter(pk=election_id).values_list("ballot_id", flat=True).get()
    ballot = Ballot.objects.select_for_update().select_related("ruleset").get(pk=ballot_id)
    if ballot.status != Ballot.Status.OPEN or ballot.closes_at <= timezone.now():
        raise BallotNotOpen()
    election = Election.objects.get(pk=election_id)
    standing = set(election.candidates.filter(withdrawn=False).values_list("pk", flat=True))
    if not ranking:
        raise ApplicationError(
            _("Rank at least one candidate (or approve one)."),
            code=ErrorCode.EMPTY_RANKING,
            detail={"field": "ranking"},
        )
    if len(set(ranking)) != len(ranking) or not set(ranking) <= standing:
        raise ApplicationError(
            _("Rank each standing candidate at most once."), code=ErrorCode.INVALID_RANKING, detail={"field": "ranking"}
        )
    entry = roll_entry_lock(ballot, voter.pk)
    participation_record(ballot=ballot, entry=entry, actor=actor)
    BallotPaper.objects.create(
        ballot=ballot, ranking=list(ranking), member_class_slug=entry.member_class_slug, cast_on=timezone.localdate()
    )
    ballot_close_if_complete(ballot=ballot)


def candidate_label(candidate: Candidate) -> str:
    """Return the key a candidate carries in the count and the BLT file: unique, stable, and no name.

    The stored count (BallotResult.details) is built from these keys and pages put the names in when
    they show it, so a member who changes their name or deletes their account is shown as they are
    now, and the minutes never hold a name to erase. The key must also never change after the count:
    the lot that breaks ties hashes it, so a recount from the BLT file reproduces the draw only with
    the same keys. The candidate's id is both.
    """
    return f"#{candidate.pk}"


# The outcome of an election in which nobody could be elected: no valid ballot, or no candidate left.
NOBODY_ELECTED = "nobody_elected"


def election_rankings(election: Election) -> list[tuple[list[int], int]]:
    """Return each distinct ranking cast in the election with the number of papers that cast it.

    Identical rankings are grouped by the database (GROUP BY on the ranking), so counting reads one
    row per distinct ranking, not one per voter, and the result is the same as from every paper.
    """
    return list(
        BallotPaper.objects.filter(ballot_id=election.ballot_id)
        .values("ranking")
        .annotate(papers=Count("pk"))
        .order_by()
        .values_list("ranking", "papers")
    )


def election_count(*, election: Election, common: "ResultCommon", actor: User | None) -> BallotResult:
    """Count a closed election with the counting engine; record rounds and winners. Called by ballot_close."""
    from governance.counting import count
    from governance.counting.types import Ballot as CountBallot

    candidates = list(election.candidates.order_by("created_at", "pk"))
    labels = {candidate.pk: candidate_label(candidate) for candidate in candidates}
    standing = [c for c in candidates if not c.withdrawn]
    papers = [
        CountBallot(ranking=tuple(labels[pk] for pk in ranking if pk in labels), weight=weight)
        for ranking, weight in election_rankings(election)
    ]
    papers = [paper for paper in papers if paper.ranking]
    if not papers or not standing:
        # Nobody ranked anyone (or every candidate withdrew): the election is over and nobody is elected.
        # The minutes record why; there is no count to publish.
        record = BallotResult.objects.create(
            **common,
            quorum_needed=0,
            quorum_met=True,
            threshold_met=False,
            outcome=NOBODY_ELECTED,
            details={"election": None, "reason": "no_ballots" if standing else "no_candidates"},
        )
        transition(election, Election.Status.COUNTED, actor=actor)
        notices.election_counted_notify(election=election, ballot=election.ballot)
        audit_log(actor=actor, action="election.counted", target=election, data={"winners": []})
        return record
    result = count(election.method, papers, [labels[c.pk] for c in standing], min(election.seats, len(standing)))
    by_label = {labels[c.pk]: c for c in standing}
    for order, label in enumerate(result.winners, start=1):
        winner = by_label[label]
        winner.elected, winner.elected_order = True, order
        winner.save(update_fields=["elected", "elected_order"])
    data = result.to_dict()
    record = BallotResult.objects.create(
        **common,
        quorum_needed=0,
        quorum_met=True,
        threshold_met=True,
        outcome="elected",
        details={"election": data, "candidate_ids": {labels[c.pk]: c.pk for c in standing}},
    )
    transition(election, Election.Status.COUNTED, actor=actor)
    notices.election_counted_notify(election=election, ballot=election.ballot)
    audit_log(actor=actor, action="election.counted", target=election, data={"winners": data["winners"]})
    return record

"""Reads for governance pages and the API, with their relations loaded up front."""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from core.decisions import decision_type
from core.permissions import can
from governance.models import (
    Ballot,
    BallotPaper,
    Candidate,
    Comment,
    Election,
    Participation,
    Proposal,
    ProxyAppointment,
    RuleSet,
    Vote,
    VoterRollEntry,
)
from governance.services.ballots import motion_counts
from governance.tally import Counts
from membership.models import Member


def _count_of(model: Any) -> Coalesce:
    rows = model.objects.filter(ballot_id=OuterRef("ballot_id")).order_by().values("ballot_id")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), Value(0))


def proposals_visible_to(*, user: Any) -> QuerySet[Proposal]:
    """Return the proposals `user` may know exist: every published one, and their own unpublished ones.

    A proposal that was never published (a draft, or a draft its author withdrew) has no ballot;
    only its author sees it. Everyone else gets a 404 for its id, on every page and API operation,
    so nobody learns that an unpublished proposal exists.
    """
    published = Q(ballot__isnull=False)
    if getattr(user, "is_authenticated", False):
        return Proposal.objects.filter(published | Q(author_id=user.pk))
    return Proposal.objects.filter(published)


def proposal_list(*, status: str | None = None) -> QuerySet[Proposal]:
    """Return published proposals, newest first, with their ballot and turnout, in one query."""
    proposals = Proposal.objects.select_related("author", "ballot", "ruleset").annotate(
        open_votes=_count_of(Vote), secret_votes=_count_of(Participation)
    )
    if status == "active":
        proposals = proposals.filter(status__in=[Proposal.Status.DISCUSSION, Proposal.Status.VOTING])
    elif status == "decided":
        proposals = proposals.filter(
            status__in=[
                Proposal.Status.PASSED,
                Proposal.Status.REJECTED,
                Proposal.Status.FAILED_QUORUM,
                Proposal.Status.EXECUTED,
            ]
        )
    elif status:
        proposals = proposals.filter(status=status)
    return proposals.filter(ballot__isnull=False).order_by("-created_at", "-id")


def proposal_drafts_of(*, user: Any) -> QuerySet[Proposal]:
    return Proposal.objects.filter(author_id=user.pk, status=Proposal.Status.DRAFT).order_by("-created_at")


def proposal_detail(*, proposal_id: int, viewer: Any) -> Proposal:
    """Return a proposal `viewer` may see, with what its page shows; raise Proposal.DoesNotExist otherwise."""
    return (
        proposals_visible_to(user=viewer)
        .select_related("author", "ruleset", "ballot__ruleset", "ballot__result", "execution", "adopted_rules")
        .prefetch_related(
            "revisions",
            "status_changes__actor",
        )
        .get(pk=proposal_id)
    )


def ballot_subject(*, ballot: Ballot) -> tuple[str, str]:
    """Return the title and page address of what a ballot decides."""
    if ballot.kind == Ballot.Kind.ELECTION:
        election = Election.objects.only("pk", "title").get(ballot=ballot)
        return election.title, reverse("governance:election_detail", args=[election.pk])
    proposal = Proposal.objects.only("pk", "title").get(ballot=ballot)
    return proposal.title, reverse("governance:proposal_detail", args=[proposal.pk])


def member_of(user: Any) -> Member | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.select_related("member_class").filter(user_id=user.pk).first()


@dataclass(frozen=True)
class BallotView:
    """What a member may see of a ballot right now."""

    turnout: int | None
    electorate: int | None
    counts: Counts | None
    by_class: dict[str, Counts]
    on_roll: bool
    has_voted: bool
    my_vote: Vote | None
    proxies_held: list[ProxyAppointment]
    my_proxy: ProxyAppointment | None
    participation_hidden: bool

    @property
    def turnout_percent(self) -> int | None:
        if self.turnout is None or not self.electorate:
            return None
        return round(100 * self.turnout / self.electorate)


@dataclass(frozen=True)
class Disclosure:
    """What one reader may see of a ballot: its counts and result, and who voted how and why."""

    counts: bool
    names: bool


def ballot_disclosure(*, ballot: Ballot, user: Any) -> Disclosure:
    """Return what `user` may see of `ballot`, by the bylaws (RuleSet.visitors_see); the one place that decides.

    Whoever may vote (an active member) or the board sees everything the voting rules show (named votes
    and reasons on an open ballot). Anyone else (signed out, a client who is not a member) sees no
    names and no reasons, and the counts only after close, and only if the rules say so.
    """
    if getattr(user, "is_authenticated", False) and (can(user, "ballot.vote") or can(user, "election.call")):
        return Disclosure(counts=True, names=True)
    counts = (
        ballot.status == Ballot.Status.CLOSED and ballot.ruleset.visitors_see == RuleSet.VisitorsSee.COUNTS_AFTER_CLOSE
    )
    return Disclosure(counts=counts, names=False)


def ballot_view_for(*, ballot: Ballot, user: Any) -> tuple[BallotView, Disclosure]:
    """Return the ballot as `user` may see it (pages and API): counts and turnout removed for a visitor."""
    disclosure = ballot_disclosure(ballot=ballot, user=user)
    view = ballot_view(ballot=ballot, member=member_of(user))
    if not disclosure.counts:
        view = replace(view, counts=None, by_class={}, turnout=None)
    return view, disclosure


def open_votes_for(*, ballot: Ballot, user: Any) -> QuerySet[Vote]:
    """Return the named votes of an open (not secret) ballot if `user` may see them, else none; to paginate."""
    if not ballot_disclosure(ballot=ballot, user=user).names:
        return Vote.objects.none()
    return open_votes(ballot=ballot)


def proposal_comments(*, proposal: Proposal) -> QuerySet[Comment]:
    """A decision's discussion, oldest first, to paginate."""
    return Comment.objects.filter(proposal=proposal).select_related("author").order_by("created_at", "pk")


def ballot_view(*, ballot: Ballot, member: Member | None) -> BallotView:
    """Return the live turnout, the counts when the rules let them show, and the member's own position."""
    rules = ballot.ruleset
    voted_model = Participation if ballot.secret or ballot.kind == Ballot.Kind.ELECTION else Vote
    turnout = voted_model.objects.filter(ballot=ballot).count() if ballot.status != Ballot.Status.SCHEDULED else 0
    # On a secret ballot, the turnout shows only once enough members have voted, and the counts never
    # before close: with both live, each new vote would show how the newest voter voted.
    participation_hidden = (
        ballot.secret and ballot.status == Ballot.Status.OPEN and turnout < rules.participation_visible_from
    )
    closed = ballot.status == Ballot.Status.CLOSED
    show_counts = ballot.kind == Ballot.Kind.MOTION and (
        closed or (not ballot.secret and not rules.results_hidden_until_close and ballot.status == Ballot.Status.OPEN)
    )
    counts, by_class = motion_counts(ballot=ballot) if show_counts else (None, {})
    on_roll = has_voted = False
    my_vote = my_proxy = None
    proxies_held: list[ProxyAppointment] = []
    if member is not None:
        on_roll = VoterRollEntry.objects.filter(ballot=ballot, member=member).exists()
        if voted_model is Vote:
            my_vote = Vote.objects.filter(ballot=ballot, member=member).select_related("cast_by").first()
            has_voted = my_vote is not None
        else:
            has_voted = Participation.objects.filter(ballot=ballot, member=member).exists()
        if rules.proxies_allowed:
            proxies_held = list(
                ProxyAppointment.objects.filter(ballot=ballot, holder=member).select_related("grantor__user")
            )
            my_proxy = (
                ProxyAppointment.objects.filter(ballot=ballot, grantor=member).select_related("holder__user").first()
            )
    return BallotView(
        turnout=None if participation_hidden else turnout,
        electorate=ballot.electorate_size,
        counts=counts,
        by_class=by_class,
        on_roll=on_roll,
        has_voted=has_voted,
        my_vote=my_vote,
        proxies_held=proxies_held,
        my_proxy=my_proxy,
        participation_hidden=participation_hidden,
    )


def open_votes(*, ballot: Ballot) -> QuerySet[Vote]:
    """Return the named votes of an open ballot (empty for a secret one)."""
    if ballot.secret:
        return Vote.objects.none()
    return Vote.objects.filter(ballot=ballot).select_related("member__user", "cast_by").order_by("created_at", "pk")


def election_list() -> QuerySet[Election]:
    return (
        Election.objects.select_related("ballot")
        .annotate(candidate_count=Count("candidates", distinct=True))
        .order_by("-created_at", "-id")
    )


def election_detail(*, election_id: int) -> Election:
    return (
        Election.objects.select_related("ballot__ruleset", "ballot__result", "created_by")
        .prefetch_related(
            Prefetch(
                "candidates", queryset=Candidate.objects.select_related("member__user").order_by("created_at", "pk")
            )
        )
        .get(pk=election_id)
    )


def election_candidates(*, election: Election) -> QuerySet[Candidate]:
    """Return an election's candidates with their statements in order of nomination, to paginate."""
    return Candidate.objects.filter(election=election).select_related("member__user").order_by("created_at", "pk")


def election_blt(*, election: Election) -> str:
    """Return the election's ballots in BLT format, anonymised: identical rankings are grouped and sorted.

    Candidates are numbered in order of nomination; withdrawn candidates are listed as withdrawn.
    """
    from governance.services.elections import candidate_label

    candidates = list(election.candidates.order_by("created_at", "pk"))
    number = {c.pk: position for position, c in enumerate(candidates, start=1)}
    grouped: dict[tuple[int, ...], int] = {}
    for ranking in BallotPaper.objects.filter(ballot=election.ballot).values_list("ranking", flat=True):
        key = tuple(number[pk] for pk in ranking if pk in number)
        if key:
            grouped[key] = grouped.get(key, 0) + 1
    lines = [f"{len(candidates)} {election.seats}"]
    withdrawn = [f"-{number[c.pk]}" for c in candidates if c.withdrawn]
    if withdrawn:
        lines.append(" ".join(withdrawn))
    for key in sorted(grouped):
        lines.append(" ".join([str(grouped[key]), *map(str, key), "0"]))
    lines.append("0")
    lines.extend('"' + candidate_label(c).replace('"', "'") + '"' for c in candidates)
    lines.append('"' + election.title.replace('"', "'") + '"')
    return "\n".join(lines) + "\n"


# The dashboard lists at most this many open ballots; the decisions and elections pages list all.
PANEL_BALLOTS_MAX = 20


@dataclass(frozen=True)
class OpenBallot:
    """A ballot open for a vote now, as one member sees it on the dashboard."""

    title: str
    url: str
    closes_at: datetime
    is_election: bool
    on_roll: bool
    voted: bool

    @property
    def waiting(self) -> bool:
        """Whether the member can vote on it and has not yet."""
        return self.on_roll and not self.voted


def open_ballots_for(*, user: Any) -> list[OpenBallot]:
    """Return the ballots open for a vote now, soonest to close first, with the member's part in each.

    One query whatever the number of ballots: the motion or election comes with its ballot, and
    whether `user` is on the roll and has voted (by name, or on a secret ballot) are subqueries.
    """
    mine = {"ballot_id": OuterRef("pk"), "member__user_id": user.pk}
    ballots = (
        Ballot.objects.filter(status=Ballot.Status.OPEN, closes_at__gt=timezone.now())
        .select_related("proposal", "election")
        .annotate(
            on_roll=Exists(VoterRollEntry.objects.filter(**mine)),
            voted_by_name=Exists(Vote.objects.filter(**mine)),
            voted_secretly=Exists(Participation.objects.filter(**mine)),
        )
        .order_by("closes_at", "pk")[:PANEL_BALLOTS_MAX]
    )
    rows = []
    for ballot in ballots:
        subject: Proposal | Election = ballot.election if ballot.kind == Ballot.Kind.ELECTION else ballot.proposal
        rows.append(
            OpenBallot(
                title=subject.title,
                url=subject.get_absolute_url(),
                closes_at=ballot.closes_at,
                is_election=ballot.kind == Ballot.Kind.ELECTION,
                on_roll=ballot.on_roll,
                voted=ballot.voted_by_name or ballot.voted_secretly,
            )
        )
    return rows


def governance_panel_context(user: Any) -> dict[str, Any]:
    """Return the member dashboard panel: what waits for the member's vote, what else is open, and how
    many proposals are in discussion. Two queries whatever the data."""
    ballots = open_ballots_for(user=user)
    return {
        "waiting": [ballot for ballot in ballots if ballot.waiting],
        "others": [ballot for ballot in ballots if not ballot.waiting],
        "discussion_count": Proposal.objects.filter(status=Proposal.Status.DISCUSSION).count(),
    }


def urgent_procedure_offer(*, proposal: Proposal, user: Any) -> RuleSet | None:
    """Return the rules whose urgent procedure `user` may choose when publishing this draft, or None.

    Only the board may, only as the author of a draft (only the author publishes), and only for the
    decision types the rules in force list.
    """
    if proposal.status != Proposal.Status.DRAFT or proposal.author_id != getattr(user, "pk", None):
        return None
    if not can(user, "motion.publish_urgent", proposal):
        return None
    ruleset = RuleSet.objects.filter(key=decision_type(proposal.decision_key).rules_key).order_by("-version").first()
    if ruleset is None or proposal.decision_key not in ruleset.urgent_decision_keys:
        return None
    return ruleset

"""Telling members what happened, from inside the service that made it happen (core.notifications).

Each function picks the members an event concerns (the voter roll, or every active member while
there is no roll yet), links to the proposal or election page and returns how many were told.
The kinds and their texts are in governance.notifications.
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from core.notifications import notify_many
from governance import notifications as kinds
from governance.models import Ballot, BallotResult, Election, Proposal, VoterRollEntry
from membership.models import Member, User
from membership.selectors import active_members

Subject = Proposal | Election


def _accounts(members: Iterable[Member]) -> list[User]:
    return [member.user for member in members if member.user.is_active]


def ballot_subject_of(*, ballot: Ballot) -> Subject:
    """Return the proposal or election a ballot decides."""
    if ballot.kind == Ballot.Kind.ELECTION:
        return Election.objects.get(ballot=ballot)
    return Proposal.objects.get(ballot=ballot)


def roll_accounts(entries: QuerySet[VoterRollEntry]) -> list[User]:
    """Return the active accounts of the members on a voter roll, in one query."""
    rows = entries.filter(member__user__is_active=True).select_related("member__user").order_by("member_id")
    return [entry.member.user for entry in rows]


def _others(actor: User | None) -> list[User]:
    members = active_members().filter(user__is_active=True)
    if actor is not None:
        members = members.exclude(user_id=actor.pk)
    return [member.user for member in members.order_by("pk")]


def proposal_published_notify(*, proposal: Proposal, ballot: Ballot, actor: User | None) -> int:
    """Tell every active member but the one who published it (everyone, when the platform did) that a
    proposal is open for discussion."""
    return notify_many(
        users=_others(actor),
        kind=kinds.PROPOSAL_PUBLISHED,
        data={"title": proposal.title, "opens": ballot.opens_at},
        url=proposal.get_absolute_url(),
    )


def voting_opened_notify(*, ballot: Ballot, subject: Subject, members: Iterable[Member]) -> int:
    """Tell the members on the roll, just frozen, that they can vote."""
    return notify_many(
        users=_accounts(members),
        kind=kinds.VOTING_OPENED,
        data={"title": subject.title, "closes": ballot.closes_at},
        url=subject.get_absolute_url(),
    )


def voting_closes_soon_notify(*, ballot: Ballot, members: Iterable[Member]) -> int:
    """Remind the given members (on the roll, not yet voted) that voting closes soon."""
    subject = ballot_subject_of(ballot=ballot)
    return notify_many(
        users=_accounts(members),
        kind=kinds.VOTING_CLOSES_SOON,
        data={"title": subject.title, "closes": ballot.closes_at},
        url=subject.get_absolute_url(),
    )


def motion_result_notify(*, proposal: Proposal, result: BallotResult) -> int:
    """Tell the members on the roll whether the proposal passed, with the count."""
    passed = proposal.status == Proposal.Status.PASSED
    return notify_many(
        users=roll_accounts(VoterRollEntry.objects.filter(ballot_id=result.ballot_id)),
        kind=kinds.PROPOSAL_PASSED if passed else kinds.PROPOSAL_NOT_PASSED,
        data={
            "title": proposal.title,
            "yes": result.yes,
            "no": result.no,
            "abstain": result.abstain,
            "turnout": result.turnout,
            "electorate": result.electorate_size,
        },
        url=proposal.get_absolute_url(),
    )


def decision_carried_out_notify(*, proposal: Proposal) -> int:
    """Tell the members on the roll that their decision now has its effect."""
    return notify_many(
        users=roll_accounts(VoterRollEntry.objects.filter(ballot__proposal=proposal)),
        kind=kinds.DECISION_CARRIED_OUT,
        data={"title": proposal.title},
        url=proposal.get_absolute_url(),
    )


def decision_withdrawn_notify(*, proposal: Proposal, ballot: Ballot | None) -> int:
    """Tell the members a decision put to them is withdrawn: the voter roll once voting had opened
    (those who voted among them), before that every active member (all were told it was proposed)."""
    entries = VoterRollEntry.objects.filter(ballot=ballot) if ballot is not None else VoterRollEntry.objects.none()
    users = roll_accounts(entries) if entries.exists() else _others(None)
    return notify_many(
        users=users,
        kind=kinds.DECISION_WITHDRAWN,
        data={"title": proposal.title},
        url=proposal.get_absolute_url(),
    )


def election_called_notify(*, election: Election, ballot: Ballot, actor: User) -> int:
    """Tell every active member but the board member who called it that they can stand."""
    return notify_many(
        users=_others(actor),
        kind=kinds.ELECTION_CALLED,
        data={"title": election.title, "opens": ballot.opens_at},
        url=election.get_absolute_url(),
    )


def nominations_closed_notify(*, election: Election, ballot: Ballot, members: Iterable[Member]) -> int:
    """Tell the members on the roll, just frozen, that nominations are closed and they can vote."""
    return notify_many(
        users=_accounts(members),
        kind=kinds.NOMINATIONS_CLOSED,
        data={
            "title": election.title,
            "candidates": election.candidates.filter(withdrawn=False).count(),
            "closes": ballot.closes_at,
        },
        url=election.get_absolute_url(),
    )


def election_counted_notify(*, election: Election, ballot: Ballot) -> int:
    """Tell the members on the roll that the election is counted."""
    return notify_many(
        users=roll_accounts(VoterRollEntry.objects.filter(ballot=ballot)),
        kind=kinds.ELECTION_COUNTED,
        data={"title": election.title},
        url=election.get_absolute_url(),
    )

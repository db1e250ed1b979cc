"""Demo governance: an open proposal, a closed and executed one, and a past board election with a tie."""

from datetime import timedelta
from typing import Any

from django.db.models import F
from django.utils import timezone

from core.demo import demo_user
from governance.builtin import BYLAW_AMENDMENT, GENERAL_RESOLUTION
from governance.models import Ballot, BallotResult, Election, Proposal, VoterRollEntry

OPEN_TITLE = "Hold the 2026 general meeting online"
EXECUTED_TITLE = "Shorten the notice for leaving to fourteen days"
ELECTION_TITLE = "Board election 2025"
# One decision in every other state, a ballot a demo member closes by voting, and open nominations.
DRAFT_TITLE = "Pay members for the hours they spend in meetings"
DISCUSSION_TITLE = "Publish the coop's accounts every quarter"
REJECTED_TITLE = "Move the coop's bank account to a larger bank"
WITHDRAWN_TITLE = "Raise the share price for client members"
CLOSABLE_TITLE = "Hold the summer picnic in the Amsterdamse Bos"
# On the closable ballot's voter roll; all but the last have voted, so the last one's vote closes it.
CLOSABLE_ROLL = ["chloe@example.org", "bram@example.org", "kim@example.org"]
NOMINATIONS_TITLE = "Board by-election 2026"


def _move(ballot_id: int, *, opens_days: float, closes_days: float) -> None:
    """Place a ballot's window relative to now (demo data only: real ballots follow their notice).

    What already happened moves with it: a ballot that opened, or closed early because everyone
    on its roll voted, keeps the same distance to its window, so its pages and minutes still agree.
    """
    now = timezone.now()
    ballot = Ballot.objects.get(pk=ballot_id)
    opens_at, closes_at = now + timedelta(days=opens_days), now + timedelta(days=closes_days)
    opens_by, closes_by = opens_at - ballot.opens_at, closes_at - ballot.closes_at
    Ballot.objects.filter(pk=ballot_id).update(
        notice_given_at=now + timedelta(days=opens_days - 7),
        opens_at=opens_at,
        closes_at=closes_at,
        opened_at=ballot.opened_at + opens_by if ballot.opened_at else None,
        closed_at=ballot.closed_at + closes_by if ballot.closed_at else None,
    )
    BallotResult.objects.filter(ballot_id=ballot_id).update(
        notice_given_at=now + timedelta(days=opens_days - 7),
        opened_at=F("opened_at") + opens_by,
        closed_at=F("closed_at") + closes_by,
        created_at=F("created_at") + closes_by,
    )


def _close_on_time(ballot_id: int) -> None:
    """Close a ballot moved into the past at the end of its window, as beat would have then."""
    from governance.services.ballots import ballot_close

    ballot_close(ballot_id=ballot_id, now=Ballot.objects.get(pk=ballot_id).closes_at)


def _proposal(*, key: str, payload: dict, title: str, body: str, author: Any) -> Proposal:
    from governance.services.ballots import ballot_open
    from governance.services.proposals import proposal_create, proposal_publish

    proposal = proposal_create(decision_key=key, payload=payload, title=title, body=body, author=author, actor=author)
    proposal = proposal_publish(proposal_id=proposal.pk, actor=author)
    _move(proposal.ballot_id, opens_days=-1, closes_days=5)
    ballot_open(ballot_id=proposal.ballot_id)
    return proposal


def _vote(proposal: Proposal, votes: list[tuple[str, str, str]]) -> None:
    from governance.services.votes import vote_cast

    for email, choice, reason in votes:
        vote_cast(ballot_id=proposal.ballot_id, actor=demo_user(email), choice=choice, reason=reason)


def _draft(*, title: str, body: str, author: Any) -> Proposal:
    from governance.services.proposals import proposal_create

    return proposal_create(
        decision_key=GENERAL_RESOLUTION, payload={}, title=title, body=body, author=author, actor=author
    )


def _seed_every_state() -> None:
    """A draft (only its author, Kim, sees it), one in discussion, one not passed and one withdrawn."""
    from governance.services.proposals import proposal_comment, proposal_publish, proposal_withdraw

    if not Proposal.objects.filter(title=DRAFT_TITLE).exists():
        _draft(
            title=DRAFT_TITLE,
            body="Meetings and committees take hours of unpaid time; a small fee per hour would share it fairly.",
            author=demo_user("kim@example.org"),
        )
    if not Proposal.objects.filter(title=DISCUSSION_TITLE).exists():
        author = demo_user("bram@example.org")
        proposal = _draft(
            title=DISCUSSION_TITLE,
            body="A short statement of income, costs and reserves every three months, on the open books page.",
            author=author,
        )
        proposal_publish(proposal_id=proposal.pk, actor=author)
        proposal_comment(
            proposal_id=proposal.pk,
            body="Good idea; can it include the fee income per month?",
            actor=demo_user("dev@example.org"),
        )
    if not Proposal.objects.filter(title=REJECTED_TITLE).exists():
        proposal = _proposal(
            key=GENERAL_RESOLUTION,
            payload={},
            title=REJECTED_TITLE,
            body="A larger bank would cost less per transfer.",
            author=demo_user("hugo@example.org"),
        )
        _vote(
            proposal,
            [
                ("hugo@example.org", "yes", "Lower fees per transfer."),
                ("gemma@example.org", "yes", ""),
                ("ada@example.org", "no", "Our cooperative bank shares our values."),
                ("bram@example.org", "no", ""),
                ("chloe@example.org", "no", ""),
                ("eva@example.org", "no", "Moving costs more than it saves."),
                ("jan@example.org", "abstain", ""),
            ],
        )
        _move(proposal.ballot_id, opens_days=-12, closes_days=-5)
        _close_on_time(proposal.ballot_id)
    if not Proposal.objects.filter(title=WITHDRAWN_TITLE).exists():
        author = demo_user("gemma@example.org")
        proposal = _draft(
            title=WITHDRAWN_TITLE,
            body="Client members hold more of the capital; their share price could reflect it.",
            author=author,
        )
        proposal_publish(proposal_id=proposal.pk, actor=author)
        proposal_comment(
            proposal_id=proposal.pk,
            body="This would keep smaller clients out.",
            actor=demo_user("eva@example.org"),
        )
        proposal_withdraw(proposal_id=proposal.pk, actor=author)


def _seed_closable() -> None:
    """A ballot in voting with a voter roll of three, two of whom voted: Kim's vote closes it early.

    Demo data only: a real roll holds every member entitled to vote when the ballot opened. A small
    roll lets a newcomer see the whole path (vote, early close, count, result notice, minutes) at once.
    """
    if Proposal.objects.filter(title=CLOSABLE_TITLE).exists():
        return
    proposal = _proposal(
        key=GENERAL_RESOLUTION,
        payload={},
        title=CLOSABLE_TITLE,
        body=(
            "The picnic on the last Saturday of June, with food from members' kitchens.\n\n"
            "(Demo: only Chloé, Bram and Kim are on this ballot's voter roll and the first two have voted, "
            "so Kim's vote closes it at once, counted and recorded exactly as at the end of its window.)"
        ),
        author=demo_user("chloe@example.org"),
    )
    roll = VoterRollEntry.objects.filter(ballot_id=proposal.ballot_id)
    roll.exclude(member__user__email__in=CLOSABLE_ROLL).delete()
    Ballot.objects.filter(pk=proposal.ballot_id).update(electorate_size=roll.count())
    _vote(
        proposal,
        [(email, "yes", "Close to the station, and free.") for email in CLOSABLE_ROLL[:-1]],
    )


def _seed_nominations() -> None:
    """An election whose nominations are open: any member can stand until voting opens."""
    from governance.services.elections import candidate_nominate, election_create

    if Election.objects.filter(title=NOMINATIONS_TITLE).exists():
        return
    election = election_create(
        title=NOMINATIONS_TITLE,
        description="One seat on the board, for the rest of the current term.",
        seats=1,
        method="irv",
        actor=demo_user("admin@example.org"),
    )
    for email, statement in [
        ("eva@example.org", "I will make sure members hear about decisions in time."),
        ("hugo@example.org", "The board needs someone who knows what clients need."),
    ]:
        candidate_nominate(election_id=election.pk, actor=demo_user(email), statement=statement)


def seed() -> None:
    from governance.rules_defaults import ensure_founding_rules
    from governance.services.ballots import ballot_close, ballot_open
    from governance.services.elections import candidate_nominate, election_create, election_vote_cast
    from governance.services.execution import decision_execute
    from governance.services.proposals import proposal_comment

    ensure_founding_rules()
    if not Proposal.objects.filter(title=OPEN_TITLE).exists():
        proposal = _proposal(
            key=GENERAL_RESOLUTION,
            payload={},
            title=OPEN_TITLE,
            body="Meeting online lets members in other cities take part. We would use the coop's own video server.",
            author=demo_user("ada@example.org"),
        )
        proposal_comment(
            proposal_id=proposal.pk,
            body="Yes, and record it for those who cannot join.",
            actor=demo_user("bram@example.org"),
        )
        _vote(
            proposal,
            [
                ("bram@example.org", "yes", "More members can join."),
                ("chloe@example.org", "no", "I miss meeting in person."),
            ],
        )

    if not Proposal.objects.filter(title=EXECUTED_TITLE).exists():
        proposal = _proposal(
            key=BYLAW_AMENDMENT,
            payload={"article": "4", "text": "A member can resign with fourteen days' notice."},
            title=EXECUTED_TITLE,
            body="Thirty days is longer than members need; fourteen is enough to settle their shares.",
            author=demo_user("eva@example.org"),
        )
        _vote(
            proposal,
            [
                ("admin@example.org", "yes", ""),
                ("ada@example.org", "yes", ""),
                ("bram@example.org", "yes", ""),
                ("dev@example.org", "yes", ""),
                ("eva@example.org", "yes", "My own proposal."),
                ("hugo@example.org", "no", "Keep the buffer."),
                ("kim@example.org", "abstain", ""),
            ],
        )
        _move(proposal.ballot_id, opens_days=-8, closes_days=-1)
        _close_on_time(proposal.ballot_id)
        decision_execute(proposal_id=proposal.pk)

    if not Election.objects.filter(title=ELECTION_TITLE).exists():
        election = election_create(
            title=ELECTION_TITLE,
            description="Three seats on the board for two years.",
            seats=3,
            method="stv-scottish",
            actor=demo_user("admin@example.org"),
        )
        statements = {
            "ada@example.org": "I want our fees to fund training for members.",
            "bram@example.org": "Open books, every month.",
            "chloe@example.org": "Better tools for freelancers with children.",
            "dev@example.org": "Grow the client side without losing our values.",
            "gemma@example.org": "A client's voice on the board.",
        }
        candidates = {
            email: candidate_nominate(election_id=election.pk, actor=demo_user(email), statement=text).pk
            for email, text in statements.items()
        }
        _move(election.ballot_id, opens_days=-1, closes_days=5)
        ballot_open(ballot_id=election.ballot_id)
        order = ["ada@example.org", "bram@example.org", "chloe@example.org", "dev@example.org", "gemma@example.org"]
        # A count a newcomer learns from: Ada's surplus splits half a vote each to Chloé and Dev,
        # Gemma is excluded and her ballot elects Bram, and Chloé and Dev, level in every
        # round, are separated by the lot for the last seat; the page shows the tie and its seed.
        rankings = [
            [0, 2],
            [0, 2],
            [0, 3],
            [0, 3],
            [1, 0],
            [1, 3],
            [2, 0],
            [2, 1],
            [3, 1],
            [3, 4],
            [4, 1],
        ]
        voters = [
            "admin@example.org", "finance@example.org", "ada@example.org", "bram@example.org", "chloe@example.org",
            "dev@example.org", "eva@example.org", "gemma@example.org", "hugo@example.org", "jan@example.org",
            "kim@example.org",
        ]  # fmt: skip
        for email, ranking in zip(voters, rankings, strict=True):
            election_vote_cast(
                election_id=election.pk, actor=demo_user(email), ranking=[candidates[order[i]] for i in ranking]
            )
        _move(election.ballot_id, opens_days=-15, closes_days=-8)
        ballot_close(ballot_id=election.ballot_id)

    _seed_every_state()
    _seed_closable()
    _seed_nominations()

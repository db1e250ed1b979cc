"""Demo governance: an open proposal, a closed and executed one, and a past board election with a tie."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from core.demo import demo_user
from governance.builtin import BYLAW_AMENDMENT, GENERAL_RESOLUTION
from governance.models import Ballot, Election, Proposal

OPEN_TITLE = "Hold the 2026 general meeting online"
EXECUTED_TITLE = "Shorten the notice for leaving to fourteen days"
ELECTION_TITLE = "Board election 2025"


def _move(ballot_id: int, *, opens_days: float, closes_days: float) -> None:
    """Place a ballot's window relative to now (demo data only: real ballots follow their notice)."""
    now = timezone.now()
    Ballot.objects.filter(pk=ballot_id).update(
        notice_given_at=now + timedelta(days=opens_days - 7),
        opens_at=now + timedelta(days=opens_days),
        closes_at=now + timedelta(days=closes_days),
    )


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
        ballot_close(ballot_id=proposal.ballot_id)
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

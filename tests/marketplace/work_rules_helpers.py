"""Helpers for the members' work rules tests: pass a decision by vote, as governance does it."""

from datetime import timedelta
from typing import Any

from django.test import TestCase
from django.utils import timezone

from governance.models import Ballot, Proposal
from governance.services.ballots import ballot_open
from governance.services.proposals import proposal_create, proposal_publish
from governance.services.votes import vote_cast


def open_ballot_now(proposal_id: int) -> Proposal:
    """The notice period passes: the ballot opens now (as beat's task would)."""
    proposal = Proposal.objects.get(pk=proposal_id)
    now = timezone.now()
    Ballot.objects.filter(pk=proposal.ballot_id).update(
        notice_given_at=now - timedelta(days=15), opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=7)
    )
    ballot_open(ballot_id=proposal.ballot_id)
    proposal.refresh_from_db()
    return proposal


def vote_through(proposal_id: int, members: list[Any], choice: str = "yes") -> Proposal:
    """Every member votes; the last vote closes the ballot early and the decision is carried out."""
    proposal = open_ballot_now(proposal_id)
    with TestCase.captureOnCommitCallbacks(execute=True):
        for member in members:
            vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice=choice)
    proposal.refresh_from_db()
    return proposal


def decide(key: str, payload: dict, members: list[Any], title: str = "Work rules") -> Proposal:
    """A member proposes the decision, it is published, and all members vote it through."""
    author = members[0].user
    proposal = proposal_create(decision_key=key, payload=payload, title=title, author=author, actor=author)
    proposal_publish(proposal_id=proposal.pk, actor=author)
    return vote_through(proposal.pk, members)


def starts_now() -> str:
    return (timezone.now() - timedelta(minutes=1)).isoformat()

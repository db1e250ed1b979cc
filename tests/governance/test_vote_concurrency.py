"""Two connections casting the same member's vote at the same moment end with one vote."""

from typing import Any

import pytest
from django.utils import timezone

from governance.builtin import GENERAL_RESOLUTION
from governance.models import Ballot, Participation, Vote
from governance.rules_defaults import ensure_founding_rules
from governance.services.ballots import ballot_open
from governance.services.proposals import proposal_create, proposal_publish
from governance.services.rules import ruleset_create_version
from governance.services.votes import vote_cast
from tests.concurrency import run_concurrently
from tests.factories import MemberFactory
from tests.services import need_postgres


def _open_ballot(*, secret: bool) -> tuple[int, Any]:
    ensure_founding_rules()
    if secret:
        ruleset_create_version(key="general", changes={"secret": True}, actor=None)
    member = MemberFactory()
    # A second member who does not vote: with the whole roll voting, the ballot would close early.
    MemberFactory()
    proposal = proposal_create(
        decision_key=GENERAL_RESOLUTION, payload={}, title="Race", author=member.user, actor=member.user
    )
    proposal = proposal_publish(proposal_id=proposal.pk, actor=member.user)
    Ballot.objects.filter(pk=proposal.ballot_id).update(opens_at=timezone.now(), notice_given_at=timezone.now())
    ballot_open(ballot_id=proposal.ballot_id)
    return proposal.ballot_id, member.user


@pytest.mark.django_db(transaction=True)
def test_the_same_member_voting_twice_at_once_ends_with_one_vote() -> None:
    need_postgres()
    ballot_id, user = _open_ballot(secret=False)
    choices = ["yes", "no", "yes", "no"]
    results = run_concurrently(lambda i: vote_cast(ballot_id=ballot_id, actor=user, choice=choices[i]), 4)
    assert not [r for r in results if isinstance(r, Exception)], results
    votes = list(Vote.objects.filter(ballot_id=ballot_id))
    assert len(votes) == 1
    assert votes[0].choice in {"yes", "no"}


@pytest.mark.django_db(transaction=True)
def test_the_same_member_casting_a_secret_ballot_twice_at_once_leaves_one_paper() -> None:
    need_postgres()
    ballot_id, user = _open_ballot(secret=True)
    results = run_concurrently(lambda i: vote_cast(ballot_id=ballot_id, actor=user, choice="yes"), 2)
    assert sum(isinstance(r, Exception) for r in results) == 1
    assert Participation.objects.filter(ballot_id=ballot_id).count() == 1
    assert Ballot.objects.get(pk=ballot_id).papers.count() == 1

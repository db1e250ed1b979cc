"""Proposal lifecycle: draft, discussion, voting on schedule with a frozen roll, close and outcome."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from core.exceptions import ApplicationError, Conflict, NotAllowed
from governance.builtin import BYLAW_AMENDMENT, GENERAL_RESOLUTION
from governance.exceptions import ErrorCode
from governance.models import Ballot, BallotResult, Proposal, ProposalStatusChange, RuleSet, VoterRollEntry
from governance.services.ballots import ballot_close, ballot_open
from governance.services.proposals import (
    proposal_amend,
    proposal_comment,
    proposal_create_for_decision,
    proposal_publish,
    proposal_withdraw,
)
from governance.services.votes import vote_cast
from governance.tasks import close_due_ballots, open_due_ballots
from tests.factories import MemberFactory, UserFactory
from tests.governance.conftest import close_now, make_due

pytestmark = pytest.mark.django_db


def test_only_active_members_may_propose(members: list[Any]) -> None:
    outsider = UserFactory()
    with pytest.raises(NotAllowed) as err:
        proposal_create_for_decision(key=GENERAL_RESOLUTION, payload={}, title="Hello", author=outsider)
    assert err.value.code == ErrorCode.MEMBERS_ONLY


def test_an_empty_title_is_refused_with_a_clear_message(members: list[Any]) -> None:
    with pytest.raises(ApplicationError) as err:
        proposal_create_for_decision(key=GENERAL_RESOLUTION, payload={}, title="  ", author=members[0].user)
    assert err.value.message == "Give the proposal a title."


def test_an_unknown_decision_type_is_refused(members: list[Any]) -> None:
    with pytest.raises(ApplicationError) as err:
        proposal_create_for_decision(key="nope.nothing", payload={}, title="x", author=members[0].user)
    assert err.value.code == "unknown_decision_type"


def test_publishing_gives_notice_and_pins_the_rules_version(members: list[Any]) -> None:
    author = members[0].user
    proposal = proposal_create_for_decision(key=GENERAL_RESOLUTION, payload={}, title="Picnic", author=author)
    before = timezone.now()
    proposal = proposal_publish(proposal_id=proposal.pk, actor=author)
    rules = RuleSet.objects.filter(key="general").order_by("-version").first()
    assert proposal.status == Proposal.Status.DISCUSSION
    assert proposal.ruleset == rules and proposal.ballot.ruleset == rules
    assert proposal.ballot.opens_at >= before + timedelta(days=rules.notice_days)
    assert proposal.ballot.closes_at - proposal.ballot.opens_at == timedelta(days=rules.voting_days)


def test_voting_cannot_open_before_the_notice_period(members: list[Any]) -> None:
    author = members[0].user
    proposal = proposal_create_for_decision(key=GENERAL_RESOLUTION, payload={}, title="Picnic", author=author)
    with pytest.raises(ApplicationError) as err:
        proposal_publish(proposal_id=proposal.pk, actor=author, opens_at=timezone.now() + timedelta(days=1))
    assert err.value.code == ErrorCode.NOTICE_TOO_SHORT
    assert "7 days' notice" in err.value.message


def test_the_author_amends_during_discussion_and_every_revision_stays(members: list[Any]) -> None:
    author = members[0].user
    proposal = proposal_create_for_decision(key=GENERAL_RESOLUTION, payload={}, title="Picnic", author=author)
    proposal_publish(proposal_id=proposal.pk, actor=author)
    proposal = proposal_amend(proposal_id=proposal.pk, title="Summer picnic", body="In July.", actor=author)
    assert proposal.revision == 2
    assert list(proposal.revisions.values_list("title", flat=True)) == ["Picnic", "Summer picnic"]
    with pytest.raises(NotAllowed):
        proposal_amend(proposal_id=proposal.pk, title="Mine now", body="", actor=members[1].user)


def test_comments_need_membership_and_an_open_discussion(members: list[Any]) -> None:
    author = members[0].user
    proposal = proposal_create_for_decision(key=GENERAL_RESOLUTION, payload={}, title="Picnic", author=author)
    with pytest.raises(Conflict):
        proposal_comment(proposal_id=proposal.pk, body="Too early", actor=members[1].user)
    proposal_publish(proposal_id=proposal.pk, actor=author)
    comment = proposal_comment(proposal_id=proposal.pk, body="Yes please", actor=members[1].user)
    assert comment.body == "Yes please"
    with pytest.raises(NotAllowed):
        proposal_comment(proposal_id=proposal.pk, body="Me too", actor=UserFactory())


def test_the_beat_task_opens_due_ballots_and_freezes_the_roll(members: list[Any], worker_class: Any) -> None:
    author = members[0].user
    proposal = proposal_create_for_decision(key=GENERAL_RESOLUTION, payload={}, title="Picnic", author=author)
    proposal = proposal_publish(proposal_id=proposal.pk, actor=author)
    assert open_due_ballots() == []
    make_due(proposal.ballot)
    assert open_due_ballots() == [proposal.ballot_id]
    assert open_due_ballots() == []
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.VOTING
    assert VoterRollEntry.objects.filter(ballot=proposal.ballot).count() == 5
    latecomer = MemberFactory(member_class=worker_class)
    with pytest.raises(NotAllowed) as err:
        vote_cast(ballot_id=proposal.ballot_id, actor=latecomer.user, choice="yes")
    assert err.value.code == ErrorCode.NOT_ON_VOTER_ROLL


def test_a_ballot_cannot_close_early_and_closing_twice_changes_nothing(open_proposal: Any, members: list[Any]) -> None:
    proposal = open_proposal()
    with pytest.raises(Conflict):
        ballot_close(ballot_id=proposal.ballot_id)
    for member in members[:3]:
        vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice="yes")
    make_due(proposal.ballot, opening=False)
    assert close_due_ballots() == [proposal.ballot_id]
    assert close_due_ballots() == []
    ballot_close(ballot_id=proposal.ballot_id)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PASSED
    result = BallotResult.objects.get(ballot=proposal.ballot)
    assert (result.yes, result.no, result.turnout, result.electorate_size) == (3, 0, 3, 5)
    steps = list(ProposalStatusChange.objects.filter(proposal=proposal).values_list("to_status", flat=True))
    assert steps == ["draft", "discussion", "voting", "closed", "passed"]


def test_too_few_votes_fail_the_quorum(open_proposal: Any, members: list[Any], rules: Any) -> None:
    rules("general", quorum_numerator=1, quorum_denominator=2)
    proposal = open_proposal()
    vote_cast(ballot_id=proposal.ballot_id, actor=members[0].user, choice="yes")
    proposal = close_now(proposal)
    assert proposal.status == Proposal.Status.FAILED_QUORUM
    assert proposal.ballot.result.quorum_needed == 3


def test_a_ballot_keeps_the_rules_version_it_ran_under(open_proposal: Any, members: list[Any], rules: Any) -> None:
    proposal = open_proposal()
    version = proposal.ballot.ruleset.version
    rules("general", threshold_numerator=3, threshold_denominator=4)
    for member, choice in zip(members, ["yes", "yes", "no"], strict=False):
        vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice=choice)
    proposal = close_now(proposal)
    assert proposal.status == Proposal.Status.PASSED
    assert proposal.ballot.result.ruleset_version == version


def test_the_author_can_withdraw_before_voting(members: list[Any]) -> None:
    author = members[0].user
    proposal = proposal_create_for_decision(key=GENERAL_RESOLUTION, payload={}, title="Picnic", author=author)
    proposal = proposal_publish(proposal_id=proposal.pk, actor=author)
    proposal = proposal_withdraw(proposal_id=proposal.pk, actor=author)
    assert proposal.status == Proposal.Status.WITHDRAWN
    assert Ballot.objects.get(pk=proposal.ballot_id).status == Ballot.Status.CANCELLED
    assert ballot_open(ballot_id=proposal.ballot_id).status == Ballot.Status.CANCELLED


def test_a_bylaw_amendment_needs_two_thirds(open_proposal: Any, members: list[Any]) -> None:
    proposal = open_proposal(key=BYLAW_AMENDMENT, payload={"article": "12", "text": "Meetings are online."})
    for member, choice in zip(members, ["yes", "yes", "yes", "no", "no"], strict=True):
        vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice=choice)
    assert close_now(proposal).status == Proposal.Status.REJECTED

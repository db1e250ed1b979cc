"""Proposals, ballots, elections and executions move through core.transitions: each move has a history row."""

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.utils import timezone

from core.exceptions import BadTransition, Conflict, ErrorCode
from core.models import AuditEvent
from governance.builtin import GENERAL_RESOLUTION
from governance.exceptions import ErrorCode as GovernanceErrorCode
from governance.models import Ballot, Election, Execution, Proposal
from governance.services.ballots import ballot_close, ballot_open
from governance.services.elections import candidate_nominate, election_create, election_vote_cast
from governance.services.proposals import proposal_create_for_decision, proposal_publish, proposal_withdraw
from governance.services.votes import vote_cast
from tests.governance.conftest import close_now

pytestmark = pytest.mark.django_db


def moves(obj: Any) -> list[tuple[str, str]]:
    return [(change.from_status, change.to_status) for change in obj.status_changes.order_by("created_at", "pk")]


def test_a_ballot_keeps_the_history_of_its_status(open_proposal: Any, members: list[Any]) -> None:
    proposal = open_proposal()
    for member in members[:3]:
        vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice="yes")
    proposal = close_now(proposal)
    assert moves(proposal.ballot) == [("", "scheduled"), ("scheduled", "open"), ("open", "closed")]
    assert moves(proposal) == [
        ("", "draft"),
        ("draft", "discussion"),
        ("discussion", "voting"),
        ("voting", "closed"),
        ("closed", "passed"),
    ]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"ballot.open", "ballot.closed", "proposal.voting", "proposal.passed"} <= actions


def test_an_election_keeps_the_history_of_its_status(staff: Any, members: list[Any]) -> None:
    election = election_create(title="Board 2026", seats=1, method="irv", actor=staff)
    candidate = candidate_nominate(election_id=election.pk, actor=members[0].user, statement="I care.")
    now = timezone.now()
    Ballot.objects.filter(pk=election.ballot_id).update(
        opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=1)
    )
    ballot_open(ballot_id=election.ballot_id)
    election_vote_cast(election_id=election.pk, actor=members[1].user, ranking=[candidate.pk])
    Ballot.objects.filter(pk=election.ballot_id).update(closes_at=timezone.now() - timedelta(seconds=1))
    ballot_close(ballot_id=election.ballot_id)
    election.refresh_from_db()
    assert moves(election) == [("", "nominations"), ("nominations", "voting"), ("voting", "counted")]
    assert election.status_changes.first().actor == staff
    assert moves(election.ballot) == [("", "scheduled"), ("scheduled", "open"), ("open", "closed")]
    assert AuditEvent.objects.filter(action="election.counted", target_id=str(election.pk)).exists()


def test_an_election_without_candidates_is_cancelled_with_its_ballot(staff: Any, members: list[Any]) -> None:
    election = election_create(title="Board 2026", seats=1, method="irv", actor=staff)
    Ballot.objects.filter(pk=election.ballot_id).update(opens_at=timezone.now() - timedelta(minutes=1))
    ballot_open(ballot_id=election.ballot_id)
    election.refresh_from_db()
    assert election.status == Election.Status.CANCELLED
    assert moves(election)[-1] == ("nominations", "cancelled")
    assert moves(election.ballot)[-1] == ("scheduled", "cancelled")


def test_each_attempt_at_carrying_out_a_decision_is_in_the_executions_history(
    open_proposal: Any, members: list[Any]
) -> None:
    from governance.builtin import BYLAW_AMENDMENT

    proposal = open_proposal(key=BYLAW_AMENDMENT, payload={"article": "12", "text": "Meetings are online."})
    for member in members:
        vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice="yes")
    proposal = close_now(proposal)
    execution = Execution.objects.get(proposal=proposal)
    assert moves(execution) == [("", "pending"), ("pending", "succeeded")]
    assert moves(proposal)[-1] == ("passed", "executed")


def test_a_move_the_table_forbids_is_the_kernels_bad_transition(open_proposal: Any, members: list[Any]) -> None:
    proposal = open_proposal()
    for member in members[:3]:
        vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice="yes")
    proposal = close_now(proposal)
    with pytest.raises(BadTransition) as err:
        proposal_withdraw(proposal_id=proposal.pk, actor=members[0].user)
    assert err.value.code == ErrorCode.BAD_TRANSITION
    assert err.value.detail == {"from": "passed", "to": "withdrawn"}
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PASSED


def test_the_author_cannot_withdraw_once_voting_has_opened(open_proposal: Any, members: list[Any]) -> None:
    # The table lets the platform withdraw a decision during its vote (a job withdrawn by its client);
    # an author's own withdrawal stays a move before voting opens.
    proposal = open_proposal()
    with pytest.raises(Conflict) as err:
        proposal_withdraw(proposal_id=proposal.pk, actor=members[0].user)
    assert err.value.code == GovernanceErrorCode.WITHDRAW_CLOSED
    assert err.value.message == "A proposal can be withdrawn only until voting opens."
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.VOTING


def test_a_withdrawn_proposal_cancels_its_ballot_in_the_history(members: list[Any]) -> None:
    author = members[0].user
    proposal = proposal_create_for_decision(key=GENERAL_RESOLUTION, payload={}, title="Picnic", author=author)
    proposal = proposal_publish(proposal_id=proposal.pk, actor=author)
    proposal_withdraw(proposal_id=proposal.pk, actor=author)
    assert moves(Ballot.objects.get(pk=proposal.ballot_id)) == [("", "scheduled"), ("scheduled", "cancelled")]


@pytest.mark.parametrize("model", [Ballot, Election, Execution, Proposal])
def test_the_admin_shows_the_status_history(model: type, staff: Any) -> None:
    request = RequestFactory().get("/")
    request.user = staff
    inlines = site._registry[model].get_inline_instances(request)
    assert any(inline.model.__name__ == f"{model.__name__}StatusChange" for inline in inlines)

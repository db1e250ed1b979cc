"""Admission and expulsion decided by the members' vote, through governance's decision types."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import TestCase
from django.utils import timezone

from core.exceptions import ApplicationError
from membership.models import Member, MembershipPolicy
from membership.services import member_admission_propose, member_expulsion_propose
from tests.factories import MemberFactory
from tests.membership.conftest import pay_share

pytestmark = pytest.mark.django_db

governance = pytest.importorskip("governance.services.ballots")


@pytest.fixture(autouse=True)
def founding_rules(db: Any) -> None:
    from governance.rules_defaults import ensure_founding_rules

    ensure_founding_rules()


@pytest.fixture
def voters(worker_class: Any) -> list[Member]:
    return [MemberFactory(member_class=worker_class) for _ in range(3)]


def run_vote(proposal_id: int, author: Any, voters: list[Member], choice: str = "yes") -> Any:
    """Publish the proposal, open its ballot, let every voter vote, close it and carry it out."""
    from governance.models import Ballot, Execution, Proposal
    from governance.services.ballots import ballot_close, ballot_open
    from governance.services.execution import decision_execute
    from governance.services.proposals import proposal_publish
    from governance.services.votes import vote_cast

    proposal = proposal_publish(proposal_id=proposal_id, actor=author)
    now = timezone.now()
    Ballot.objects.filter(pk=proposal.ballot_id).update(
        notice_given_at=now - timedelta(days=9), opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=7)
    )
    ballot_open(ballot_id=proposal.ballot_id)
    for voter in voters:
        vote_cast(ballot_id=proposal.ballot_id, actor=voter.user, choice=choice)
    Ballot.objects.filter(pk=proposal.ballot_id).update(
        opens_at=now - timedelta(days=8), closes_at=now - timedelta(seconds=1)
    )
    with TestCase.captureOnCommitCallbacks(execute=False):
        ballot_close(ballot_id=proposal.ballot_id)
    if Execution.objects.filter(proposal_id=proposal_id, status=Execution.Status.PENDING).exists():
        decision_execute(proposal_id=proposal_id)
    return Proposal.objects.get(pk=proposal_id)


def test_membership_decision_types_are_registered_with_governance() -> None:
    from core.decisions import decision_type

    assert decision_type("membership.admit").rules_key == "admission"
    assert decision_type("membership.expel").rules_key == "expulsion"


def test_members_admit_an_applicant_by_vote(applicant: Member, finance: Any, voters: list[Member], policy: Any) -> None:
    MembershipPolicy.objects.filter(pk=1).update(admission="vote")
    pay_share(applicant, finance)
    author = voters[0].user
    member = member_admission_propose(member_id=applicant.pk, actor=author)
    proposal = run_vote(member.admission_proposal_id, author, voters)
    member.refresh_from_db()
    assert proposal.status == "executed"
    assert member.status == Member.Status.ACTIVE
    assert member.member_number is not None
    assert member.status_changes.last().proposal_id == proposal.pk


def test_members_voting_no_leaves_the_applicant_waiting(
    applicant: Member, finance: Any, voters: list[Member], policy: Any
) -> None:
    MembershipPolicy.objects.filter(pk=1).update(admission="vote")
    pay_share(applicant, finance)
    member = member_admission_propose(member_id=applicant.pk, actor=voters[0].user)
    proposal = run_vote(member.admission_proposal_id, voters[0].user, voters, choice="no")
    member.refresh_from_db()
    assert proposal.status == "rejected"
    assert member.status == Member.Status.APPLICANT


def test_putting_an_unpaid_application_to_a_vote_is_refused(applicant: Member, voters: list[Member]) -> None:
    with pytest.raises(ApplicationError) as error:
        member_admission_propose(member_id=applicant.pk, actor=voters[0].user)
    assert error.value.message == "The applicant has not paid for their share yet."


def test_members_expel_a_member_by_vote_and_the_shares_are_redeemed(admitted: Member, voters: list[Member]) -> None:
    from membership.selectors import capital_statement

    proposal_id = member_expulsion_propose(member_id=admitted.pk, actor=voters[0].user, reason="Broke the code")
    proposal = run_vote(proposal_id, voters[0].user, voters)
    admitted.refresh_from_db()
    assert proposal.status == "executed"
    assert (admitted.status, admitted.shares) == ("exited", 0)
    assert capital_statement(admitted).shares_cents == 0


def test_an_expulsion_without_a_reason_is_refused(admitted: Member, voters: list[Member]) -> None:
    with pytest.raises(ApplicationError) as error:
        member_expulsion_propose(member_id=admitted.pk, actor=voters[0].user, reason=" ")
    assert error.value.message == "Give the reason for the expulsion."

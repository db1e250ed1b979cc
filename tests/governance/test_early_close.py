"""A ballot closes as soon as everyone on its voter roll has voted, where the rules say so (the default)."""

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from core.models import Notification
from governance import notifications as kinds
from governance.builtin import BYLAW_AMENDMENT, GENERAL_RESOLUTION
from governance.exceptions import NotOnVoterRoll
from governance.models import (
    Ballot,
    BallotResult,
    BallotStatusChange,
    Election,
    Proposal,
    ProposalStatusChange,
    RuleSet,
)
from governance.rules_defaults import ensure_founding_rules
from governance.services.ballots import ballot_close, ballot_open
from governance.services.elections import candidate_nominate, election_create, election_vote_cast
from governance.services.proposals import proposal_create, proposal_publish
from governance.services.votes import vote_cast
from tests.concurrency import run_concurrently
from tests.factories import MemberClassFactory, MemberFactory, UserFactory
from tests.governance.conftest import make_due
from tests.services import need_postgres


@pytest.fixture
def capture(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Run what the services queue after commit (emails, the execution task), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def vote_all(proposal: Proposal, members: list[Any], choice: str = "yes") -> None:
    for member in members:
        vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice=choice)


@pytest.mark.django_db
def test_the_vote_that_completes_the_roll_closes_and_counts_the_ballot(
    open_proposal: Callable[..., Proposal], members: list[Any]
) -> None:
    proposal = open_proposal()
    vote_all(proposal, members[:-1])
    assert Ballot.objects.get(pk=proposal.ballot_id).status == Ballot.Status.OPEN
    vote_cast(ballot_id=proposal.ballot_id, actor=members[-1].user, choice="no")
    ballot = Ballot.objects.get(pk=proposal.ballot_id)
    assert ballot.status == Ballot.Status.CLOSED
    assert ballot.closed_at is not None and ballot.closed_at < ballot.closes_at
    result = BallotResult.objects.get(ballot=ballot)
    assert (result.yes, result.no, result.turnout, result.electorate_size) == (4, 1, 5, 5)
    assert result.closed_early is True
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PASSED
    # Through the status tables, with their history, as a timed close: closed by the rule, not a member.
    assert BallotStatusChange.objects.filter(ballot=ballot, to_status="closed", actor=None).count() == 1
    assert list(ProposalStatusChange.objects.filter(proposal=proposal).values_list("to_status", flat=True)) == [
        "draft",
        "discussion",
        "voting",
        "closed",
        "passed",
    ]


@pytest.mark.django_db
def test_a_ballot_closed_early_sends_the_result_notice_to_the_roll(
    open_proposal: Callable[..., Proposal], members: list[Any], capture: Callable[..., Any]
) -> None:
    proposal = open_proposal()
    with capture():
        vote_all(proposal, members)
    for member in members:
        notice = Notification.objects.get(user=member.user, kind=kinds.PROPOSAL_PASSED)
        assert notice.url == proposal.get_absolute_url()
        assert notice.data["turnout"] == 5 and notice.data["electorate"] == 5


@pytest.mark.django_db
def test_a_passed_decision_closed_early_is_carried_out_as_on_time(
    open_proposal: Callable[..., Proposal], members: list[Any], capture: Callable[..., Any]
) -> None:
    proposal = open_proposal(key=BYLAW_AMENDMENT, payload={"article": "9", "text": "Meetings may be online."})
    with capture():
        vote_all(proposal, members)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.EXECUTED
    assert proposal.execution.status == "succeeded"


@pytest.mark.django_db
def test_with_early_close_off_the_ballot_stays_open_until_its_time(
    rules: Callable[..., RuleSet], open_proposal: Callable[..., Proposal], members: list[Any]
) -> None:
    rules(early_close=False)
    proposal = open_proposal()
    vote_all(proposal, members)
    assert Ballot.objects.get(pk=proposal.ballot_id).status == Ballot.Status.OPEN
    make_due(proposal.ballot, opening=False)
    ballot_close(ballot_id=proposal.ballot_id)
    assert BallotResult.objects.get(ballot_id=proposal.ballot_id).closed_early is False


@pytest.mark.django_db
def test_a_changed_vote_closes_nothing_while_someone_has_not_voted(
    open_proposal: Callable[..., Proposal], members: list[Any]
) -> None:
    proposal = open_proposal()
    vote_all(proposal, members[:-1])
    vote_cast(ballot_id=proposal.ballot_id, actor=members[0].user, choice="no")
    assert Ballot.objects.get(pk=proposal.ballot_id).status == Ballot.Status.OPEN


@pytest.mark.django_db
def test_a_secret_ballot_closes_early_and_counts_its_papers(
    rules: Callable[..., RuleSet], open_proposal: Callable[..., Proposal], members: list[Any]
) -> None:
    rules(secret=True)
    proposal = open_proposal()
    vote_all(proposal, members[:3], "yes")
    vote_all(proposal, members[3:], "no")
    result = BallotResult.objects.get(ballot_id=proposal.ballot_id)
    assert (result.yes, result.no, result.turnout, result.closed_early) == (3, 2, 5, True)


@pytest.mark.django_db
def test_an_election_closes_early_when_everyone_on_its_roll_has_voted(
    staff: Any, members: list[Any], client_for: Callable[[Any], Any]
) -> None:
    election = election_create(title="Board 2027", seats=1, method="irv", actor=staff)
    candidate = candidate_nominate(election_id=election.pk, actor=members[0].user, statement="I will listen.")
    make_due(election.ballot)
    ballot_open(ballot_id=election.ballot_id)
    for member in members:
        election_vote_cast(election_id=election.pk, actor=member.user, ranking=[candidate.pk])
    election.refresh_from_db()
    assert election.status == Election.Status.COUNTED
    assert election.ballot.result.closed_early is True
    page = client_for(members[1].user).get(reverse("governance:election_detail", args=[election.pk])).content.decode()
    assert "Voting closed early, on " in page and ": everyone on the voter roll had voted." in page


@pytest.mark.django_db
def test_the_decision_page_and_the_minutes_say_the_ballot_closed_early(
    open_proposal: Callable[..., Proposal], members: list[Any], client_for: Callable[[Any], Any]
) -> None:
    proposal = open_proposal()
    vote_all(proposal, members)
    client = client_for(members[0].user)
    for url in (proposal.get_absolute_url(), reverse("governance:proposal_minutes", args=[proposal.pk])):
        page = client.get(url).content.decode()
        assert "Voting closed early, on " in page and ": everyone on the voter roll had voted." in page


@pytest.mark.django_db
def test_the_last_vote_through_the_api_closes_the_ballot_and_the_api_says_so(
    open_proposal: Callable[..., Proposal], members: list[Any], client_for: Callable[[Any], Any]
) -> None:
    proposal = open_proposal()
    vote_all(proposal, members[:-1])
    url = reverse("api-governance-vote", args=[proposal.pk])
    response = client_for(members[-1].user).post(url, {"choice": "yes"}, content_type="application/json")
    assert response.status_code == 200, response.content
    detail = client_for(members[0].user).get(reverse("api-governance-proposal", args=[proposal.pk])).json()
    assert detail["status"] == "passed"
    assert detail["result"]["closed_early"] is True


@pytest.mark.django_db
def test_the_rules_page_states_the_early_close_rule(client: Any) -> None:
    page = client.get(reverse("governance:rules")).content.decode()
    assert "voting closes as soon as everyone on the voter roll has voted" in page


@pytest.mark.django_db(transaction=True)
def test_two_last_votes_at_once_close_the_ballot_once_and_count_it_once() -> None:
    need_postgres()
    ensure_founding_rules()
    voters = MemberClassFactory(slug="pair", name="Pair")
    pair = [MemberFactory(member_class=voters) for _ in range(2)]
    author = pair[0].user
    proposal = proposal_create(decision_key=GENERAL_RESOLUTION, payload={}, title="Race", author=author, actor=author)
    proposal = proposal_publish(proposal_id=proposal.pk, actor=author)
    make_due(proposal.ballot)
    ballot_open(ballot_id=proposal.ballot_id)
    assert Ballot.objects.get(pk=proposal.ballot_id).electorate_size == 2

    results = run_concurrently(lambda i: vote_cast(ballot_id=proposal.ballot_id, actor=pair[i].user, choice="yes"), 2)

    assert not [r for r in results if isinstance(r, Exception)], results
    ballot = Ballot.objects.get(pk=proposal.ballot_id)
    assert ballot.status == Ballot.Status.CLOSED
    assert BallotStatusChange.objects.filter(ballot=ballot, to_status="closed").count() == 1
    assert BallotResult.objects.filter(ballot=ballot).count() == 1
    assert ballot.result.turnout == 2 and ballot.result.yes == 2
    assert ProposalStatusChange.objects.filter(proposal=proposal, to_status="passed").count() == 1
    assert Notification.objects.filter(kind=kinds.PROPOSAL_PASSED).count() == 2


@pytest.mark.django_db
def test_a_non_voter_on_the_roll_keeps_the_ballot_open(
    open_proposal: Callable[..., Proposal], members: list[Any]
) -> None:
    """Someone who is not on the roll cannot complete it: their vote is refused and nothing closes."""
    proposal = open_proposal()
    vote_all(proposal, members[:-1])
    outsider = MemberFactory(user=UserFactory())
    with pytest.raises(NotOnVoterRoll):
        vote_cast(ballot_id=proposal.ballot_id, actor=outsider.user, choice="yes")
    assert Ballot.objects.get(pk=proposal.ballot_id).status == Ballot.Status.OPEN

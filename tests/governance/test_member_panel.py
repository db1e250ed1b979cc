"""The member dashboard's decisions panel: what waits for the member's vote, what else is open, with links."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.builtin import GENERAL_RESOLUTION
from governance.models import Ballot, Proposal
from governance.selectors import governance_panel_context
from governance.services.ballots import ballot_open
from governance.services.elections import candidate_nominate, election_create
from governance.services.proposals import proposal_create, proposal_publish
from governance.services.votes import vote_cast
from tests.factories import MemberFactory
from tests.governance.conftest import make_due

pytestmark = pytest.mark.django_db


def closing_on(proposal: Proposal, when: datetime) -> None:
    Ballot.objects.filter(pk=proposal.ballot_id).update(closes_at=when)


def test_the_panel_lists_what_waits_for_the_members_vote_with_its_closing_time(
    open_proposal: Callable[..., Proposal], members: list[Any], client_for: Callable[[Any], Any]
) -> None:
    waiting = open_proposal(title="Plant trees on the roof")
    voted = open_proposal(title="Buy a cargo bike")
    vote_cast(ballot_id=voted.ballot_id, actor=members[1].user, choice="yes")
    closing_on(waiting, datetime(2031, 3, 9, 17, 30, tzinfo=timezone.get_current_timezone()))
    page = client_for(members[1].user).get(reverse("dashboard")).content.decode()
    panel = page[page.index('data-testid="governance-panel"') :]
    assert "Waiting for your vote" in panel
    assert f'<a href="{waiting.get_absolute_url()}#vote">Plant trees on the roof</a>' in panel
    assert "voting closes 9 March, 17:30" in panel
    also = panel[panel.index("Also open for a vote") :]
    assert "Buy a cargo bike" in also and "you have voted" in also


def test_the_closing_time_reads_in_dutch(
    open_proposal: Callable[..., Proposal], members: list[Any], client_for: Callable[[Any], Any]
) -> None:
    proposal = open_proposal()
    closing_on(proposal, datetime(2031, 3, 9, 17, 30, tzinfo=timezone.get_current_timezone()))
    client = client_for(members[1].user)
    client.cookies["django_language"] = "nl"
    page = client.get(reverse("dashboard")).content.decode()
    assert "Wacht op je stem" in page and "stemming sluit 9 maart, 17:30" in page


def test_a_member_who_voted_on_everything_is_told_so(
    open_proposal: Callable[..., Proposal], members: list[Any]
) -> None:
    proposal = open_proposal()
    vote_cast(ballot_id=proposal.ballot_id, actor=members[2].user, choice="no")
    context = governance_panel_context(members[2].user)
    assert context["waiting"] == []
    assert [(b.title, b.voted) for b in context["others"]] == [(proposal.title, True)]


def test_a_member_not_on_the_roll_sees_the_ballot_but_not_as_waiting(
    open_proposal: Callable[..., Proposal], worker_class: Any
) -> None:
    proposal = open_proposal()
    late = MemberFactory(member_class=worker_class)
    context = governance_panel_context(late.user)
    assert context["waiting"] == []
    (other,) = context["others"]
    assert (other.title, other.on_roll, other.voted) == (proposal.title, False, False)


def test_an_open_election_waits_for_the_members_ballot(staff: Any, members: list[Any]) -> None:
    election = election_create(title="Board 2027", seats=1, method="irv", actor=staff)
    candidate_nominate(election_id=election.pk, actor=members[0].user, statement="I will listen.")
    make_due(election.ballot)
    ballot_open(ballot_id=election.ballot_id)
    (waiting,) = governance_panel_context(members[3].user)["waiting"]
    assert (waiting.title, waiting.is_election, waiting.url) == ("Board 2027", True, election.get_absolute_url())


def test_nothing_open_says_so_and_counts_proposals_in_discussion(
    members: list[Any], client_for: Callable[[Any], Any]
) -> None:
    author = members[0].user
    draft = proposal_create(decision_key=GENERAL_RESOLUTION, payload={}, title="Later", author=author, actor=author)
    proposal_publish(proposal_id=draft.pk, actor=author)
    page = client_for(members[1].user).get(reverse("dashboard")).content.decode()
    assert "Nothing is open for a vote right now." in page
    assert "1 proposal in discussion" in page


def test_closed_and_past_due_ballots_are_not_listed(open_proposal: Callable[..., Proposal], members: list[Any]) -> None:
    proposal = open_proposal()
    closing_on(proposal, timezone.now() - timedelta(minutes=1))
    assert governance_panel_context(members[1].user) == {"waiting": [], "others": [], "discussion_count": 0}


@pytest.mark.parametrize("open_ballots", [1, 6])
def test_the_panel_runs_two_queries_whatever_the_number_of_ballots(
    open_ballots: int,
    open_proposal: Callable[..., Proposal],
    staff: Any,
    members: list[Any],
    django_assert_num_queries: Any,
) -> None:
    for n in range(open_ballots):
        proposal = open_proposal(title=f"Motion {n}")
        vote_cast(ballot_id=proposal.ballot_id, actor=members[1].user, choice="yes")
    election = election_create(title="Board 2027", seats=1, method="irv", actor=staff)
    candidate_nominate(election_id=election.pk, actor=members[0].user, statement="I will listen.")
    make_due(election.ballot)
    ballot_open(ballot_id=election.ballot_id)
    with django_assert_num_queries(2):
        context = governance_panel_context(members[1].user)
    assert len(context["waiting"]) == 1 and len(context["others"]) == open_ballots

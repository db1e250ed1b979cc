"""The demo has a decision in every state, a ballot a demo member closes by voting, and open nominations."""

from typing import Any

import pytest
from django.urls import reverse

from core.demo import demo_user
from governance import demo
from governance.models import Ballot, Election, Proposal
from governance.services.votes import vote_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded() -> None:
    from core import demo as core_demo
    from membership import demo as membership_demo

    core_demo.seed()
    membership_demo.seed()
    demo.seed()
    demo.seed()


def test_the_demo_has_a_decision_in_every_state_once(seeded: None) -> None:
    statuses = {
        title: Proposal.objects.get(title=title).status
        for title in (
            demo.DRAFT_TITLE,
            demo.DISCUSSION_TITLE,
            demo.OPEN_TITLE,
            demo.CLOSABLE_TITLE,
            demo.EXECUTED_TITLE,
            demo.REJECTED_TITLE,
            demo.WITHDRAWN_TITLE,
        )
    }
    assert statuses == {
        demo.DRAFT_TITLE: "draft",
        demo.DISCUSSION_TITLE: "discussion",
        demo.OPEN_TITLE: "voting",
        demo.CLOSABLE_TITLE: "voting",
        demo.EXECUTED_TITLE: "executed",
        demo.REJECTED_TITLE: "rejected",
        demo.WITHDRAWN_TITLE: "withdrawn",
    }
    assert Election.objects.get(title=demo.NOMINATIONS_TITLE).status == Election.Status.NOMINATIONS
    assert Election.objects.get(title=demo.NOMINATIONS_TITLE).candidates.count() == 2


def test_kims_vote_closes_the_small_ballot_early_and_the_page_says_so(seeded: None, client: Any) -> None:
    proposal = Proposal.objects.get(title=demo.CLOSABLE_TITLE)
    assert proposal.ballot.electorate_size == 3
    kim = demo_user("kim@example.org")
    vote_cast(ballot_id=proposal.ballot_id, actor=kim, choice="yes")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PASSED
    assert proposal.ballot.result.closed_early is True
    client.force_login(kim)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert ": everyone on the voter roll had voted." in page


def test_the_past_election_that_closed_early_keeps_its_times_in_order(seeded: None) -> None:
    """The demo moves a counted ballot into the past with what happened in it."""
    ballot = Ballot.objects.get(election__title=demo.ELECTION_TITLE)
    result = ballot.result
    assert ballot.opens_at <= ballot.opened_at <= result.closed_at
    if result.closed_early:
        assert result.closed_at < ballot.closes_at
    assert result.closed_at == ballot.closed_at


def test_kim_sees_her_draft_and_the_small_ballot_waiting_on_her_dashboard(seeded: None, client: Any) -> None:
    client.force_login(demo_user("kim@example.org"))
    dashboard = client.get(reverse("dashboard")).content.decode()
    waiting = dashboard[dashboard.index("Waiting for your vote") :]
    assert demo.CLOSABLE_TITLE in waiting
    assert demo.DRAFT_TITLE in client.get(reverse("governance:proposal_list")).content.decode()

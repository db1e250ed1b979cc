"""Governance pages: allowed, forbidden, exact messages for bad input, and fixed query counts on lists."""

from typing import Any

import pytest
from django.urls import reverse

from governance.builtin import GENERAL_RESOLUTION
from governance.models import Proposal, Vote
from governance.services.elections import election_create
from governance.services.proposals import proposal_create_for_decision, proposal_publish
from governance.services.votes import vote_cast
from tests.factories import UserFactory
from tests.governance.conftest import close_now

pytestmark = pytest.mark.django_db


def test_a_member_drafts_a_proposal_from_the_page(members: list[Any], client_for: Any) -> None:
    client = client_for(members[0].user)
    response = client.post(
        reverse("governance:proposal_new"),
        {"decision_key": GENERAL_RESOLUTION, "title": "Four-day week", "body": "Try it for a year.", "details": ""},
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response.url == proposal.get_absolute_url()
    assert proposal.status == Proposal.Status.DRAFT


def test_a_non_member_sees_why_they_cannot_propose(client_for: Any, members: list[Any]) -> None:
    client = client_for(UserFactory())
    response = client.post(
        reverse("governance:proposal_new"), {"decision_key": GENERAL_RESOLUTION, "title": "Hi", "details": ""}
    )
    # Refused by the permission table: the 403 page gives the reason.
    assert response.status_code == 403
    assert "Only active members can do this." in response.content.decode()
    assert not Proposal.objects.exists()


def test_an_unverified_user_is_sent_to_verify_before_proposing(client_for: Any) -> None:
    response = client_for(UserFactory(verified=False)).get(reverse("governance:proposal_new"))
    assert response.status_code == 302 and response.url == reverse("account_email")


def test_a_member_votes_from_the_page_and_sees_the_live_turnout(
    open_proposal: Any, members: list[Any], client_for: Any
) -> None:
    proposal = open_proposal()
    client = client_for(members[1].user)
    response = client.post(reverse("governance:proposal_vote", args=[proposal.pk]), {"choice": "yes", "reason": "Fair"})
    assert response.status_code == 302
    assert Vote.objects.get(ballot=proposal.ballot).choice == "yes"
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "1 / 5" in page
    assert "You voted: Yes." in page


def test_a_vote_with_no_choice_gets_an_exact_message(open_proposal: Any, members: list[Any], client_for: Any) -> None:
    proposal = open_proposal()
    client = client_for(members[1].user)
    response = client.post(reverse("governance:proposal_vote", args=[proposal.pk]), {"choice": ""}, follow=True)
    assert "Choose yes, no or abstain." in response.content.decode()


def test_someone_off_the_roll_is_told_so_when_voting(open_proposal: Any, client_for: Any) -> None:
    proposal = open_proposal()
    response = client_for(UserFactory()).post(
        reverse("governance:proposal_vote", args=[proposal.pk]), {"choice": "yes"}, follow=True
    )
    assert "Only active members can do this." in response.content.decode()


def test_a_draft_is_hidden_from_everyone_but_its_author(members: list[Any], client_for: Any) -> None:
    proposal = proposal_create_for_decision(
        key=GENERAL_RESOLUTION, payload={}, title="Secret plan", author=members[0].user
    )
    assert client_for(members[1].user).get(proposal.get_absolute_url()).status_code == 404
    assert client_for(members[0].user).get(proposal.get_absolute_url()).status_code == 200


def test_the_list_page_runs_a_fixed_number_of_queries(
    members: list[Any], client: Any, django_assert_max_num_queries: Any
) -> None:
    def publish(n: int) -> None:
        for i in range(n):
            proposal = proposal_create_for_decision(
                key=GENERAL_RESOLUTION, payload={}, title=f"Motion {i}", author=members[0].user
            )
            proposal_publish(proposal_id=proposal.pk, actor=members[0].user)

    publish(2)
    url = reverse("governance:proposal_list") + "?show=all"
    with django_assert_max_num_queries(3) as few:
        assert client.get(url).status_code == 200
    publish(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_minutes_record_the_whole_result(open_proposal: Any, members: list[Any], client: Any) -> None:
    proposal = open_proposal()
    for member, choice in zip(members, ["yes", "yes", "no", "abstain"], strict=False):
        vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice=choice)
    close_now(proposal)
    page = client.get(reverse("governance:proposal_minutes", args=[proposal.pk])).content.decode()
    for text in ["Eligible voters", "Notice given", "Rule version", "The motion passed.", "Worker"]:
        assert text in page


def test_minutes_do_not_exist_before_close(open_proposal: Any, client: Any) -> None:
    proposal = open_proposal()
    assert client.get(reverse("governance:proposal_minutes", args=[proposal.pk])).status_code == 404


def test_secret_ballot_page_says_what_is_and_is_not_protected(
    open_proposal: Any, members: list[Any], rules: Any, client_for: Any
) -> None:
    rules("general", secret=True)
    proposal = open_proposal()
    page = client_for(members[1].user).get(proposal.get_absolute_url()).content.decode()
    assert "What is protected, and what is not" in page
    assert "Not protected:" in page


def test_only_the_board_calls_elections(members: list[Any], client_for: Any, staff: Any) -> None:
    assert client_for(members[0].user).get(reverse("governance:election_new")).status_code == 404
    response = client_for(staff).post(
        reverse("governance:election_new"), {"title": "Board 2026", "seats": 2, "method": "irv", "description": ""}
    )
    assert "Instant-runoff fills one seat; use STV for several." in response.content.decode()
    response = client_for(staff).post(
        reverse("governance:election_new"), {"title": "Board 2026", "seats": 2, "method": "stv-scottish"}
    )
    assert response.status_code == 302


def test_the_rules_page_lists_every_version(client: Any, rules: Any) -> None:
    rules("general", quorum_numerator=1, quorum_denominator=3)
    page = client.get(reverse("governance:rules")).content.decode()
    assert "General resolutions (v2)" in page and "General resolutions (v1)" in page


def test_election_list_runs_a_fixed_number_of_queries(
    staff: Any, client: Any, django_assert_max_num_queries: Any
) -> None:
    election_create(title="A", seats=1, method="irv", actor=staff)
    with django_assert_max_num_queries(3) as few:
        client.get(reverse("governance:election_list"))
    for title in "BCDEF":
        election_create(title=title, seats=1, method="irv", actor=staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("governance:election_list")).status_code == 200

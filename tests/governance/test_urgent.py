"""The urgent procedure: the board shortens notice and voting for the decision types the rules list."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError, NotAllowed
from governance.builtin import BYLAW_AMENDMENT, GENERAL_RESOLUTION
from governance.exceptions import ErrorCode
from governance.models import Proposal, RuleSet
from governance.services.ballots import ballot_open
from governance.services.proposals import proposal_create, proposal_publish
from governance.services.rules import ruleset_create_version
from tests.factories import MemberFactory, UserFactory
from tests.governance.conftest import close_now, make_due

pytestmark = pytest.mark.django_db

URGENT_STATEMENT = (
    "Urgent procedure: notice shortened to 1 day (usually 7) and voting to 3 days (usually 7), "
    "under article 9 of the bylaws."
)


@pytest.fixture
def urgent_rules(rules: Callable[..., RuleSet]) -> RuleSet:
    """General resolutions may be urgent, under article 9."""
    return rules(urgent_decision_keys=[GENERAL_RESOLUTION], urgent_article="9")


@pytest.fixture
def board_member(worker_class: Any) -> Any:
    return MemberFactory(member_class=worker_class, user=UserFactory(staff_roles=["board"]))


def draft(author: Any, key: str = GENERAL_RESOLUTION, payload: dict | None = None) -> Proposal:
    return proposal_create(
        decision_key=key, payload=payload or {}, title="Repair the server now", author=author, actor=author
    )


def test_the_board_publishes_a_listed_decision_with_the_shorter_windows(
    urgent_rules: RuleSet, board_member: Any
) -> None:
    before = timezone.now()
    proposal = proposal_publish(proposal_id=draft(board_member.user).pk, actor=board_member.user, urgent=True)
    ballot = proposal.ballot
    assert ballot.urgent is True
    assert timedelta(days=1) <= ballot.opens_at - before < timedelta(days=1, minutes=1)
    assert ballot.closes_at - ballot.opens_at == timedelta(days=3)


def test_without_urgent_the_usual_windows_apply(urgent_rules: RuleSet, board_member: Any) -> None:
    proposal = proposal_publish(proposal_id=draft(board_member.user).pk, actor=board_member.user)
    assert proposal.ballot.urgent is False
    assert proposal.ballot.closes_at - proposal.ballot.opens_at == timedelta(days=7)


def test_a_member_not_on_the_board_cannot_use_the_urgent_procedure(urgent_rules: RuleSet, members: list[Any]) -> None:
    proposal = draft(members[0].user)
    with pytest.raises(NotAllowed) as refused:
        proposal_publish(proposal_id=proposal.pk, actor=members[0].user, urgent=True)
    assert refused.value.code == ErrorCode.BOARD_ONLY
    assert refused.value.message == "Only the board can use the urgent procedure."
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.DRAFT


def test_the_board_cannot_use_it_for_a_type_the_rules_do_not_list(board_member: Any) -> None:
    proposal = draft(board_member.user)
    with pytest.raises(ApplicationError) as refused:
        proposal_publish(proposal_id=proposal.pk, actor=board_member.user, urgent=True)
    assert refused.value.code == ErrorCode.URGENT_NOT_ALLOWED
    assert refused.value.message == "The rules allow no urgent procedure for this kind of decision."


def test_an_urgent_opening_date_must_still_respect_the_shorter_notice(urgent_rules: RuleSet, board_member: Any) -> None:
    proposal = draft(board_member.user)
    with pytest.raises(ApplicationError) as refused:
        proposal_publish(
            proposal_id=proposal.pk,
            actor=board_member.user,
            urgent=True,
            opens_at=timezone.now() + timedelta(hours=2),
        )
    assert refused.value.code == ErrorCode.NOTICE_TOO_SHORT
    assert "the rules require 1 day's notice." in refused.value.message


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"urgent_decision_keys": ["no.such.type"]}, "no.such.type is not a decision type decided under these rules."),
        (
            {"urgent_decision_keys": [BYLAW_AMENDMENT]},
            f"{BYLAW_AMENDMENT} is not a decision type decided under these rules.",
        ),
        (
            {"urgent_decision_keys": [GENERAL_RESOLUTION], "urgent_voting_days": 10},
            "The urgent procedure cannot vote for longer than the usual one.",
        ),
        (
            {"urgent_decision_keys": [GENERAL_RESOLUTION], "urgent_notice_days": 8},
            "The urgent procedure cannot give longer notice than the usual one.",
        ),
        ({"urgent_voting_days": 0}, "Voting must stay open for at least one day."),
    ],
)
def test_bad_urgent_rules_get_an_exact_message(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ApplicationError) as refused:
        ruleset_create_version(key="general", changes=changes, actor=None)
    assert refused.value.message == message
    assert refused.value.code == ErrorCode.INVALID_RULES


def test_the_publish_form_offers_urgent_only_to_the_board_for_listed_types(
    urgent_rules: RuleSet, board_member: Any, members: list[Any], client_for: Callable[[Any], Any]
) -> None:
    mine = client_for(board_member.user).get(draft(board_member.user).get_absolute_url()).content.decode()
    assert 'name="urgent"' in mine
    assert (
        "Notice of 1 day instead of 7, then voting for 3 days instead of 7. Article 9 of the bylaws allows it." in mine
    )
    theirs = client_for(members[0].user).get(draft(members[0].user).get_absolute_url()).content.decode()
    assert 'name="urgent"' not in theirs
    bylaw = draft(board_member.user, BYLAW_AMENDMENT, {"article": "3", "text": "New text."})
    assert 'name="urgent"' not in client_for(board_member.user).get(bylaw.get_absolute_url()).content.decode()


def test_the_board_publishes_urgently_from_the_page_and_the_page_and_minutes_say_so(
    urgent_rules: RuleSet, board_member: Any, members: list[Any], client_for: Callable[[Any], Any]
) -> None:
    proposal = draft(board_member.user)
    client = client_for(board_member.user)
    response = client.post(reverse("governance:proposal_publish", args=[proposal.pk]), {"urgent": "on"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DISCUSSION and proposal.ballot.urgent
    assert URGENT_STATEMENT in client_for(members[1].user).get(proposal.get_absolute_url()).content.decode()
    make_due(proposal.ballot)
    ballot_open(ballot_id=proposal.ballot_id)
    close_now(proposal)
    minutes = client.get(reverse("governance:proposal_minutes", args=[proposal.pk])).content.decode()
    assert URGENT_STATEMENT in minutes


def test_a_member_posting_urgent_from_the_page_is_told_why_not(
    urgent_rules: RuleSet, members: list[Any], client_for: Callable[[Any], Any]
) -> None:
    proposal = draft(members[0].user)
    response = client_for(members[0].user).post(
        reverse("governance:proposal_publish", args=[proposal.pk]), {"urgent": "on"}, follow=True
    )
    assert "Only the board can use the urgent procedure." in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.DRAFT


def test_the_statement_reads_in_dutch(
    urgent_rules: RuleSet, board_member: Any, members: list[Any], client_for: Callable[[Any], Any]
) -> None:
    proposal = proposal_publish(proposal_id=draft(board_member.user).pk, actor=board_member.user, urgent=True)
    client = client_for(members[1].user)
    client.cookies["django_language"] = "nl"
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert (
        "Spoedprocedure: aankondigingstermijn verkort tot 1 dag (gewoonlijk 7) en stemperiode tot 3 dagen "
        "(gewoonlijk 7), op grond van artikel 9 van de statuten." in page
    )


def test_the_api_publishes_urgently_for_the_board(
    urgent_rules: RuleSet, board_member: Any, client_for: Callable[[Any], Any]
) -> None:
    proposal = draft(board_member.user)
    response = client_for(board_member.user).post(
        reverse("api-governance-proposal-publish", args=[proposal.pk]),
        {"urgent": True},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["urgent"] is True and body["status"] == "discussion"


def test_the_api_refuses_urgent_to_a_member_not_on_the_board(
    urgent_rules: RuleSet, members: list[Any], client_for: Callable[[Any], Any]
) -> None:
    proposal = draft(members[0].user)
    response = client_for(members[0].user).post(
        reverse("api-governance-proposal-publish", args=[proposal.pk]),
        {"urgent": True},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == ErrorCode.BOARD_ONLY
    assert response.json()["message"] == "Only the board can use the urgent procedure."


def test_the_rules_page_lists_the_urgent_procedure(urgent_rules: RuleSet, client: Any) -> None:
    page = client.get(reverse("governance:rules")).content.decode()
    assert "the board may give 1 day's notice and hold the vote for 3 days (article 9): General resolution" in page

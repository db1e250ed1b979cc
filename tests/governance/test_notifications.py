"""Members are told, in the app and by email, as each chose per kind: proposals, voting, results, elections."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from core.models import Notification, NotificationChannel, NotificationSetting
from governance import notifications as kinds
from governance.builtin import BYLAW_AMENDMENT, GENERAL_RESOLUTION
from governance.models import Ballot, Proposal
from governance.services.ballots import ballot_close, ballot_open
from governance.services.elections import candidate_nominate, election_create, election_vote_cast
from governance.services.proposals import proposal_create_for_decision, proposal_publish
from governance.services.votes import vote_cast
from tests.governance.conftest import make_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def capture(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Run what the services queue after commit (the emails), as a committed transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def publish(author: Any, capture: Callable[..., Any], *, key: str = GENERAL_RESOLUTION, **payload: Any) -> Proposal:
    with capture():
        proposal = proposal_create_for_decision(key=key, payload=payload, title="Plant a tree", author=author)
        return proposal_publish(proposal_id=proposal.pk, actor=author)


def open_voting(proposal: Proposal, capture: Callable[..., Any]) -> None:
    make_due(proposal.ballot)
    with capture():
        ballot_open(ballot_id=proposal.ballot_id)


def close_voting(proposal: Proposal, capture: Callable[..., Any]) -> Proposal:
    make_due(proposal.ballot, opening=False)
    with capture():
        ballot_close(ballot_id=proposal.ballot_id)
    proposal.refresh_from_db()
    return proposal


def emails_to(user: Any) -> list[EmailMessage]:
    return [message for message in mail.outbox if message.to == [user.email]]


def only_email_to(user: Any) -> EmailMessage:
    (message,) = emails_to(user)
    return message


def assert_unsubscribable(message: EmailMessage) -> None:
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def choose_app_only(client: Any, kind: str) -> None:
    """Set one kind to "in the app only" on the settings page, as a member would.

    The browser posts each select's selected option, or its first when none is selected: for "every
    kind at once" that is the empty "as chosen for each kind below", which keeps the per-kind choices.
    """
    page = client.get(reverse("notification-settings"))
    form = page.context["form"]
    data = {name: form[name].value() or field.choices[0][0] for name, field in form.fields.items()}
    assert data["every_kind"] == "", "the page must not preselect one channel for every kind"
    data["kind__" + kind.replace(".", "__")] = NotificationChannel.APP
    assert client.post(reverse("notification-settings"), data).status_code == 302


def test_a_member_is_told_in_the_app_and_by_email_when_voting_opens_and_when_the_result_is_in(
    members: list[Any], capture: Callable[..., Any], client_for: Any
) -> None:
    voter = members[1].user
    proposal = publish(members[0].user, capture)
    mail.outbox.clear()
    open_voting(proposal, capture)

    opened = Notification.objects.get(user=voter, kind=kinds.VOTING_OPENED)
    assert opened.in_app and opened.email and opened.emailed_at is not None
    assert opened.url == proposal.get_absolute_url()
    message = only_email_to(voter)
    assert "Voting on “Plant a tree” is open until" in message.subject
    assert settings.SITE_URL.rstrip("/") + proposal.get_absolute_url() in message.body
    assert_unsubscribable(message)
    assert Notification.objects.filter(kind=kinds.VOTING_OPENED).count() == len(members)

    for member in members[:3]:
        vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice="yes")
    mail.outbox.clear()
    assert close_voting(proposal, capture).status == Proposal.Status.PASSED

    passed = Notification.objects.get(user=voter, kind=kinds.PROPOSAL_PASSED)
    assert passed.in_app and passed.url == proposal.get_absolute_url()
    message = only_email_to(voter)
    assert "“Plant a tree” passed: 3 for, 0 against, 0 abstaining." in message.subject
    assert_unsubscribable(message)
    page = client_for(voter).get(reverse("notifications")).content.decode()
    assert "“Plant a tree” passed: 3 for, 0 against, 0 abstaining." in page
    assert f'href="{proposal.get_absolute_url()}"' in page


def test_a_member_who_chose_the_app_only_gets_no_email_for_that_kind(
    members: list[Any], capture: Callable[..., Any], client_for: Any
) -> None:
    voter = members[1].user
    client = client_for(voter)
    choose_app_only(client, kinds.VOTING_OPENED)
    choose_app_only(client, kinds.PROPOSAL_PASSED)
    proposal = publish(members[0].user, capture)
    mail.outbox.clear()
    open_voting(proposal, capture)
    assert Notification.objects.get(user=voter, kind=kinds.VOTING_OPENED).in_app
    assert emails_to(voter) == []
    assert emails_to(members[2].user) != [], "the others still get their email"
    for member in members[:3]:
        vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice="yes")
    close_voting(proposal, capture)
    notice = Notification.objects.get(user=voter, kind=kinds.PROPOSAL_PASSED)
    assert notice.in_app and not notice.email
    assert emails_to(voter) == []


def test_the_emails_one_click_unsubscribe_turns_email_off_for_that_kind(
    members: list[Any], capture: Callable[..., Any], client: Any
) -> None:
    voter = members[1].user
    first = publish(members[0].user, capture)
    mail.outbox.clear()
    open_voting(first, capture)
    url = only_email_to(voter).extra_headers["List-Unsubscribe"].strip("<>")
    assert client.post(urlparse(url).path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    setting = NotificationSetting.objects.get(user=voter, kind=kinds.VOTING_OPENED)
    assert setting.channel == NotificationChannel.APP

    second = publish(members[0].user, capture)
    mail.outbox.clear()
    open_voting(second, capture)
    assert Notification.objects.filter(user=voter, kind=kinds.VOTING_OPENED).count() == 2
    assert emails_to(voter) == []


def test_publishing_tells_the_other_members_that_the_proposal_is_open_for_discussion(
    members: list[Any], capture: Callable[..., Any]
) -> None:
    mail.outbox.clear()
    proposal = publish(members[0].user, capture)
    told = set(Notification.objects.filter(kind=kinds.PROPOSAL_PUBLISHED).values_list("user_id", flat=True))
    assert told == {member.user_id for member in members[1:]}
    assert emails_to(members[0].user) == []
    message = only_email_to(members[1].user)
    assert "“Plant a tree” is proposed and open for discussion; voting opens on" in message.subject
    assert proposal.get_absolute_url() in message.body


def test_a_proposal_that_fails_tells_the_roll_it_did_not_pass(members: list[Any], capture: Callable[..., Any]) -> None:
    proposal = publish(members[0].user, capture)
    open_voting(proposal, capture)
    for member, choice in zip(members, ["yes", "no", "no"], strict=False):
        vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice=choice)
    mail.outbox.clear()
    assert close_voting(proposal, capture).status == Proposal.Status.REJECTED
    assert not Notification.objects.filter(kind=kinds.PROPOSAL_PASSED).exists()
    assert Notification.objects.filter(kind=kinds.PROPOSAL_NOT_PASSED).count() == len(members)
    assert (
        "“Plant a tree” did not pass: 1 for, 2 against, 0 abstaining; 3 of 5 members voted."
        in only_email_to(members[4].user).subject
    )


def test_carrying_out_a_passed_decision_tells_the_roll(members: list[Any], capture: Callable[..., Any]) -> None:
    proposal = publish(members[0].user, capture, key=BYLAW_AMENDMENT, article="12", text="Meetings are online.")
    open_voting(proposal, capture)
    # One member does not vote, so the ballot closes on time here (an early close is in test_early_close).
    for member in members[:-1]:
        vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice="yes")
    assert close_voting(proposal, capture).status == Proposal.Status.EXECUTED
    notice = Notification.objects.get(user=members[2].user, kind=kinds.DECISION_CARRIED_OUT)
    assert notice.url == proposal.get_absolute_url()
    assert notice.data == {"title": "Plant a tree"}


def test_members_are_told_when_an_election_is_called_and_when_it_is_counted(
    staff: Any, members: list[Any], capture: Callable[..., Any]
) -> None:
    mail.outbox.clear()
    with capture():
        election = election_create(title="Board 2027", seats=1, method="irv", actor=staff)
    assert Notification.objects.filter(kind=kinds.ELECTION_CALLED).count() == len(members)
    message = only_email_to(members[3].user)
    assert "The board calls an election: “Board 2027”. Members can stand until" in message.subject
    assert election.get_absolute_url() in message.body
    candidate = candidate_nominate(election_id=election.pk, actor=members[0].user, statement="I care.")
    now = timezone.now()
    Ballot.objects.filter(pk=election.ballot_id).update(
        opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=1)
    )
    with capture():
        ballot_open(ballot_id=election.ballot_id)
    opened = Notification.objects.get(user=members[1].user, kind=kinds.NOMINATIONS_CLOSED)
    assert opened.url == election.get_absolute_url()
    assert opened.data["candidates"] == 1
    assert not Notification.objects.filter(kind=kinds.VOTING_OPENED).exists()
    election_vote_cast(election_id=election.pk, actor=members[1].user, ranking=[candidate.pk])
    Ballot.objects.filter(pk=election.ballot_id).update(closes_at=timezone.now() - timedelta(seconds=1))
    mail.outbox.clear()
    with capture():
        ballot_close(ballot_id=election.ballot_id)
    assert Notification.objects.filter(kind=kinds.ELECTION_COUNTED).count() == len(members)
    assert "The votes in “Board 2027” are counted" in only_email_to(members[4].user).subject


def test_the_settings_page_lists_the_governance_notices_under_their_topic(members: list[Any], client_for: Any) -> None:
    body = client_for(members[0].user).get(reverse("notification-settings")).content.decode()
    assert "<legend>Decisions and elections</legend>" in body
    assert "Voting opens on a proposal or an election I can vote on" in body

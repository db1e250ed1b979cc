"""Reminders go out once, a day before close, to members on the roll who have not voted: in the app and by email."""

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from core.models import Notification
from governance.models import Ballot
from governance.notifications import VOTING_CLOSES_SOON
from governance.services.votes import vote_cast
from governance.tasks import send_closing_reminders

pytestmark = pytest.mark.django_db


def test_members_who_have_not_voted_are_reminded_once_a_day_before_close(
    open_proposal: Any, members: list[Any]
) -> None:
    proposal = open_proposal()
    vote_cast(ballot_id=proposal.ballot_id, actor=members[1].user, choice="yes")
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert send_closing_reminders() == 0
    Ballot.objects.filter(pk=proposal.ballot_id).update(closes_at=timezone.now() + timedelta(hours=20))
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert send_closing_reminders() == 4
        assert send_closing_reminders() == 0
    reminded = Notification.objects.filter(kind=VOTING_CLOSES_SOON)
    assert sorted(reminded.values_list("user_id", flat=True)) == sorted(
        m.user_id for m in members if m.pk != members[1].pk
    )
    assert all(n.in_app and n.url == proposal.get_absolute_url() for n in reminded)
    assert len(mail.outbox) == 4
    assert members[1].user.email not in {m.to[0] for m in mail.outbox}
    message = mail.outbox[0]
    assert f"Voting on “{proposal.title}” closes on" in message.subject
    assert "you have not voted yet" in message.subject
    assert settings.SITE_URL.rstrip("/") + proposal.get_absolute_url() in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_reminder_is_in_the_members_language(open_proposal: Any, members: list[Any]) -> None:
    members[2].user.preferred_language = "nl"
    members[2].user.save(update_fields=["preferred_language"])
    proposal = open_proposal()
    Ballot.objects.filter(pk=proposal.ballot_id).update(closes_at=timezone.now() + timedelta(hours=20))
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        send_closing_reminders()
    dutch = next(m for m in mail.outbox if m.to == [members[2].user.email])
    english = next(m for m in mail.outbox if m.to == [members[3].user.email])
    assert f"De stemming over “{proposal.title}” sluit op" in dutch.subject
    assert f"Voting on “{proposal.title}” closes on" in english.subject

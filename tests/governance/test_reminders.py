"""Reminders go out once, a day before close, to members on the roll who have not voted."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from governance.models import Ballot
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
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert send_closing_reminders() == 4
        assert send_closing_reminders() == 0
    assert len(mail.outbox) == 4
    assert members[1].user.email not in {m.to[0] for m in mail.outbox}
    assert mail.outbox[0].subject == f"Voting closes soon: {proposal.title}"
    assert proposal.get_absolute_url() in mail.outbox[0].body

"""An election's recorded count names no one; the results page shows each candidate's name as it is now."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Ballot, Election
from governance.services.ballots import ballot_close, ballot_open
from governance.services.elections import candidate_nominate, election_create, election_vote_cast
from membership.models import User

pytestmark = pytest.mark.django_db


def _counted(staff: Any, members: list[Any]) -> Election:
    election = election_create(title="Chair", seats=1, method="irv", actor=staff)
    a, b = (candidate_nominate(election_id=election.pk, actor=m.user, statement="I care.") for m in members[:2])
    now = timezone.now()
    Ballot.objects.filter(pk=election.ballot_id).update(
        opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=1)
    )
    ballot_open(ballot_id=election.ballot_id)
    for member, ranking in zip(members, [[a.pk], [a.pk], [b.pk]], strict=False):
        election_vote_cast(election_id=election.pk, actor=member.user, ranking=ranking)
    Ballot.objects.filter(pk=election.ballot_id).update(closes_at=timezone.now() - timedelta(seconds=1))
    ballot_close(ballot_id=election.ballot_id)
    election.refresh_from_db()
    return election


def test_the_recorded_count_holds_candidate_keys_and_no_names(staff: Any, members: list[Any]) -> None:
    election = _counted(staff, members)
    details = json.dumps(election.ballot.result.details)
    assert all(m.user.display_name not in details and m.user.email not in details for m in members)
    winner = election.candidates.get(elected=True)
    assert election.ballot.result.details["election"]["winners"] == [f"#{winner.pk}"]


def test_the_results_page_shows_the_winner_by_their_current_name(
    staff: Any, members: list[Any], client_for: Any
) -> None:
    election = _counted(staff, members)
    User.objects.filter(pk=members[0].user_id).update(display_name="Renamed Winner")
    response = client_for(members[2].user).get(reverse("governance:election_detail", args=[election.pk]))
    assert response.status_code == 200
    assert "Elected, in order: <strong>Renamed Winner</strong>" in response.content.decode()

"""Elections: self-nomination, ranked secret ballots, the count by the engine, and an anonymised BLT file."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from core.exceptions import ApplicationError, Conflict
from governance.models import Ballot, Candidate, Election, Participation
from governance.selectors import election_blt
from governance.services.ballots import ballot_close, ballot_open
from governance.services.elections import candidate_nominate, election_create, election_vote_cast

pytestmark = pytest.mark.django_db


def _open(election: Election) -> None:
    now = timezone.now()
    Ballot.objects.filter(pk=election.ballot_id).update(
        opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=1)
    )
    ballot_open(ballot_id=election.ballot_id)


def _close(election: Election) -> None:
    Ballot.objects.filter(pk=election.ballot_id).update(closes_at=timezone.now() - timedelta(seconds=1))
    ballot_close(ballot_id=election.ballot_id)


def test_an_irv_election_runs_from_nomination_to_count(staff: Any, members: list[Any]) -> None:
    election = election_create(title="Chair 2026", seats=1, method="irv", actor=staff)
    a, b, c = (candidate_nominate(election_id=election.pk, actor=m.user, statement="I care.") for m in members[:3])
    _open(election)
    with pytest.raises(Conflict):
        candidate_nominate(election_id=election.pk, actor=members[3].user, statement="Late")
    for member, ranking in zip(members, [[a.pk, b.pk], [a.pk], [b.pk, a.pk], [c.pk, b.pk], [b.pk, c.pk]], strict=True):
        election_vote_cast(election_id=election.pk, actor=member.user, ranking=ranking)
    with pytest.raises(Conflict):
        election_vote_cast(election_id=election.pk, actor=members[0].user, ranking=[b.pk])
    _close(election)
    election.refresh_from_db()
    assert election.status == Election.Status.COUNTED
    winner = Candidate.objects.get(elected=True)
    assert winner.pk == b.pk
    rounds = election.ballot.result.details["election"]["rounds"]
    assert len(rounds) == 2
    assert Participation.objects.filter(ballot=election.ballot).count() == 5


def test_a_ranking_naming_a_candidate_twice_is_refused(staff: Any, members: list[Any]) -> None:
    election = election_create(title="Board", seats=2, method="stv-scottish", actor=staff)
    a = candidate_nominate(election_id=election.pk, actor=members[0].user, statement="Me")
    _open(election)
    with pytest.raises(ApplicationError) as err:
        election_vote_cast(election_id=election.pk, actor=members[1].user, ranking=[a.pk, a.pk])
    assert err.value.message == "Rank each standing candidate at most once."


def test_the_blt_export_groups_rankings_and_names_no_voter(staff: Any, members: list[Any]) -> None:
    election = election_create(title="Board", seats=1, method="irv", actor=staff)
    a, b = (candidate_nominate(election_id=election.pk, actor=m.user, statement="Me") for m in members[:2])
    _open(election)
    for member, ranking in zip(members[:3], [[a.pk, b.pk], [b.pk], [a.pk, b.pk]], strict=True):
        election_vote_cast(election_id=election.pk, actor=member.user, ranking=ranking)
    _close(election)
    lines = election_blt(election=election).splitlines()
    assert lines[:4] == ["2 1", "2 1 2 0", "1 2 0", "0"]
    assert lines[-1] == '"Board"'
    assert all(m.user.email not in "\n".join(lines) for m in members)


def test_an_election_with_no_candidates_is_cancelled_at_opening(staff: Any, members: list[Any]) -> None:
    election = election_create(title="Board", seats=1, method="irv", actor=staff)
    _open(election)
    election.refresh_from_db()
    assert election.status == Election.Status.CANCELLED


def test_an_election_nobody_voted_in_closes_with_nobody_elected(staff: Any, members: list[Any], client: Any) -> None:
    """Voting closes with no ballot cast: the election is counted as nobody elected, and its page says why."""
    election = election_create(title="Treasurer", seats=1, method="stv-scottish", actor=staff)
    candidate_nominate(election_id=election.pk, actor=members[0].user, statement="I can count.")
    _open(election)
    _close(election)
    election.refresh_from_db()
    assert election.status == Election.Status.COUNTED
    assert not Candidate.objects.filter(election=election, elected=True).exists()
    assert election.ballot.result.outcome == "nobody_elected"
    client.force_login(members[1].user)
    page = client.get(election.get_absolute_url()).content.decode()
    assert "Nobody was elected." in page
    assert "No member cast a valid ballot before voting closed." in page

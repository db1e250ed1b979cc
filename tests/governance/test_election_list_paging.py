"""The elections and an election's candidates come a page at a time, at the same cost however many there are;
the ballot still offers every standing candidate."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Ballot
from governance.services.ballots import ballot_open
from governance.services.elections import candidate_nominate, election_create
from governance.views.elections import CANDIDATES_PER_PAGE, ELECTIONS_PER_PAGE
from tests.factories import MemberFactory
from tests.queries import settled_queries

pytestmark = pytest.mark.django_db


def test_every_election_stays_reachable_at_a_fixed_cost(client: Any, staff: Any) -> None:
    url = reverse("governance:election_list")

    def call(first: int, count: int) -> None:
        for n in range(first, first + count):
            election_create(title=f"Board election {n:03d}", seats=2, method="stv-scottish", actor=staff)

    call(0, 3)
    few = settled_queries(client, url)
    call(3, ELECTIONS_PER_PAGE + 2)
    assert settled_queries(client, url) == few

    first = client.get(url).content.decode()
    assert first.count('class="gov-item"') == ELECTIONS_PER_PAGE and "Board election 000" not in first
    assert 'aria-label="Pages of elections"' in first and 'href="?elections=2" rel="next"' in first
    second = client.get(url, {"elections": 2}).content.decode()
    assert "Board election 000" in second and second.count('class="gov-item"') == 5
    dutch = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'aria-label="Pagina\'s met verkiezingen"' in dutch


def test_candidates_come_a_page_at_a_time_and_the_ballot_lists_them_all(
    client_for: Any, staff: Any, worker_class: Any
) -> None:
    election = election_create(title="Board", seats=2, method="stv-scottish", actor=staff)
    url = reverse("governance:election_detail", args=[election.pk])
    viewer = client_for(MemberFactory(member_class=worker_class).user)

    def stand(first: int, count: int) -> None:
        for n in range(first, first + count):
            member = MemberFactory(member_class=worker_class)
            candidate_nominate(election_id=election.pk, actor=member.user, statement=f"Statement number {n:03d}")

    stand(0, 3)
    few = settled_queries(viewer, url)
    stand(3, CANDIDATES_PER_PAGE + 2)
    assert settled_queries(viewer, url) == few

    first = viewer.get(url).content.decode()
    assert first.count("Statement number ") == CANDIDATES_PER_PAGE and "Statement number 024" not in first
    assert 'aria-label="Pages of candidates"' in first and 'href="?candidates=2" rel="next"' in first
    second = viewer.get(url, {"candidates": 2}).content.decode()
    assert "Statement number 024" in second and "Statement number 000" not in second
    assert second.count("Statement number ") == 5

    # Voting: a ballot cannot be split across pages, so it ranks every standing candidate.
    Ballot.objects.filter(pk=election.ballot_id).update(
        opens_at=timezone.now() - timedelta(minutes=1), closes_at=timezone.now() + timedelta(days=1)
    )
    ballot_open(ballot_id=election.ballot_id)
    ballot = viewer.get(url).content.decode()
    assert ballot.count('<select name="rank-') == CANDIDATES_PER_PAGE + 5
    assert ballot.count("Statement number ") == CANDIDATES_PER_PAGE

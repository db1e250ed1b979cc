"""A decision's page shows named votes and comments a page at a time, at the same cost however many there are."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import Proposal
from governance.services.proposals import proposal_comment
from governance.services.votes import vote_cast
from governance.views.proposals import COMMENTS_PER_PAGE, VOTES_PER_PAGE
from tests.factories import MemberFactory
from tests.governance.conftest import close_now

pytestmark = pytest.mark.django_db


def _decided(open_proposal: Any, voters: list[Any], comments: int, title: str) -> Proposal:
    proposal = open_proposal(title=title)
    for n in range(comments):
        proposal_comment(proposal_id=proposal.pk, body=f"Comment number {n:03d}", actor=voters[n % len(voters)].user)
    for member in voters:
        vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice="yes", reason=f"Reason of {member.pk}")
    return close_now(proposal)


def _queries(client: Any, url: str) -> int:
    client.get(url)  # warm the per-process caches (rules, navigation)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_named_votes_and_comments_come_a_page_at_a_time_at_a_fixed_cost(
    members: list[Any], worker_class: Any, open_proposal: Any, client: Any
) -> None:
    many = members + [MemberFactory(member_class=worker_class) for _ in range(VOTES_PER_PAGE + 5 - len(members))]
    small = _decided(open_proposal, many[:3], 3, "A small decision")
    large = _decided(open_proposal, many, COMMENTS_PER_PAGE + 5, "A large decision")
    client.force_login(many[0].user)
    small_url = reverse("governance:proposal_detail", args=[small.pk])
    large_url = reverse("governance:proposal_detail", args=[large.pk])
    assert _queries(client, large_url) == _queries(client, small_url)

    first = client.get(large_url).content.decode()
    assert first.count("Reason of ") == VOTES_PER_PAGE
    assert "Comment number 000" in first and f"Comment number {COMMENTS_PER_PAGE:03d}" not in first
    assert 'aria-label="Pages of votes"' in first and 'aria-label="Pages of comments"' in first
    # Each pager keeps the other's place.
    second = client.get(large_url, {"votes": 2, "comments": 2}).content.decode()
    assert second.count("Reason of ") == 5
    assert f"Comment number {COMMENTS_PER_PAGE + 4:03d}" in second and "Comment number 000" not in second
    assert 'href="?comments=2&amp;votes=1" rel="prev"' in second
    assert 'href="?votes=2&amp;comments=1" rel="prev"' in second
    dutch = client.get(large_url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'aria-label="Pagina\'s met stemmen"' in dutch and 'aria-label="Pagina\'s met reacties"' in dutch

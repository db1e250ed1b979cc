"""The decisions list shows a page of decisions at a time, at the same cost however many there are."""

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from governance.builtin import GENERAL_RESOLUTION
from governance.services.proposals import proposal_create_for_decision, proposal_publish
from governance.views.proposals import LIST_PAGE_SIZE


def _publish(members: list[Any], start: int, count: int) -> None:
    for i in range(start, start + count):
        proposal = proposal_create_for_decision(
            key=GENERAL_RESOLUTION, payload={}, title=f"Motion number {i:03d}", author=members[0].user
        )
        proposal_publish(proposal_id=proposal.pk, actor=members[0].user)


def test_a_long_list_is_split_into_pages_that_keep_the_filter(members: list[Any], client: Any) -> None:
    _publish(members, 0, LIST_PAGE_SIZE + 5)
    url = reverse("governance:proposal_list")
    first = client.get(url + "?show=active").content.decode()
    # Newest first: the last five published are on page one, the first five only on page two.
    assert "Motion number 024" in first and "Motion number 004" not in first
    assert first.count('class="gov-item"') == LIST_PAGE_SIZE
    assert 'href="?show=active&amp;page=2" rel="next"' in first
    assert "Page 1 of 2" in first
    second = client.get(url + "?show=active&page=2").content.decode()
    assert second.count('class="gov-item"') == 5
    assert "Motion number 000" in second and "Motion number 024" not in second
    assert 'href="?show=active&amp;page=1" rel="prev"' in second
    # A page number out of range shows the last page instead of an error.
    assert client.get(url + "?show=active&page=99").status_code == 200


def test_the_pager_speaks_dutch(members: list[Any], client: Any) -> None:
    _publish(members, 0, LIST_PAGE_SIZE + 1)
    with translation.override("nl"):
        page = client.get(reverse("governance:proposal_list"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Pagina 1 van 2" in page and "Volgende" in page


def test_the_list_costs_the_same_queries_for_2_and_for_35_decisions(
    members: list[Any], client: Any, django_assert_num_queries: Any
) -> None:
    client.force_login(members[1].user)
    url = reverse("governance:proposal_list") + "?show=all"
    _publish(members, 0, 2)
    client.get(url)  # warm the per-process caches (rules, site settings)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _publish(members, 2, 33)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('class="gov-item"') == LIST_PAGE_SIZE

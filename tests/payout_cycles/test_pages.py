"""Every page: allowed, forbidden, bad input with the exact message; list pages pin their queries."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from payouts.cycles.models import CycleStatus, PayoutCycle
from payouts.cycles.services import cycle_compute_start, cycle_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(
    second_staff: Any, coop: Any, staff: Any, last_month: Any, django_capture_on_commit_callbacks: Any
) -> PayoutCycle:
    cycle = cycle_open(period_start=last_month[0], period_end=last_month[1], actor=staff)
    with django_capture_on_commit_callbacks(execute=True):
        cycle_compute_start(cycle_id=cycle.pk, actor=second_staff)
    return PayoutCycle.objects.get(pk=cycle.pk)


def test_admin_opens_a_cycle(client_for: Any, staff: Any, coop: Any, last_month: Any) -> None:
    response = client_for(staff).post(
        reverse("payout_cycles:cycle_list"),
        {"period_start": last_month[0].isoformat(), "period_end": last_month[1].isoformat()},
    )
    cycle = PayoutCycle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("payout_cycles:cycle_detail", args=[cycle.pk])


def test_opening_a_cycle_with_the_period_backwards_is_refused(client_for: Any, staff: Any, policy: Any) -> None:
    response = client_for(staff).post(
        reverse("payout_cycles:cycle_list"), {"period_start": "2024-02-01", "period_end": "2024-01-01"}
    )
    assert response.status_code == 400
    assert "The period must end after it starts." in response.content.decode()
    assert not PayoutCycle.objects.exists()


@pytest.mark.parametrize("name", ["payout_cycles:cycle_list", "payout_cycles:earnings"])
def test_admin_pages_are_forbidden_to_members(client_for: Any, member: Any, name: str) -> None:
    assert client_for(member.user).get(reverse(name)).status_code == 403


def test_cycle_page_shows_totals_chart_and_statements(client_for: Any, staff: Any, computed: Any) -> None:
    response = client_for(staff).get(reverse("payout_cycles:cycle_detail", args=[computed.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "bar-w-" in html and "Approve this allocation" in html and computed.allocation_hash in html
    assert 'style="' not in html


def test_cycle_pages_forbidden_to_members(client_for: Any, computed: Any, coop: Any) -> None:
    c = client_for(coop["quiet"].user)
    assert c.get(reverse("payout_cycles:cycle_detail", args=[computed.pk])).status_code == 403
    assert c.post(reverse("payout_cycles:cycle_action", args=[computed.pk, "approve"])).status_code == 403


def test_list_pages_run_a_fixed_number_of_queries(client_for: Any, staff: Any, computed: Any, coop: Any) -> None:
    admin, member = client_for(staff), client_for(coop["quiet"].user)
    pages = [
        (admin, reverse("payout_cycles:cycle_list")),
        (admin, reverse("payout_cycles:cycle_detail", args=[computed.pk])),
        (member, reverse("payout_cycles:my_cycles")),
    ]
    counts = []
    for c, url in pages:
        with CaptureQueriesContext(connection) as queries:
            assert c.get(url).status_code == 200
        counts.append(len(queries))
    # The detail page of a computed cycle also reads who computed it (four eyes: that person is not offered
    # the approval); every page reads the header's notification count; each list page counts its rows for
    # its pager (the oldest cycles stay reachable).
    assert counts == [7, 11, 7], counts


def test_approve_with_a_stale_hash_is_refused_with_the_message(client_for: Any, staff: Any, computed: Any) -> None:
    response = client_for(staff).post(
        reverse("payout_cycles:cycle_action", args=[computed.pk, "approve"]), {"allocation_hash": "a" * 64}, follow=True
    )
    assert "The allocation changed since it was reviewed: review it again." in response.content.decode()
    assert PayoutCycle.objects.get(pk=computed.pk).status == CycleStatus.COMPUTED


def test_member_reads_their_statement_with_the_computation(client_for: Any, computed: Any, coop: Any) -> None:
    row = computed.allocations.get(member=coop["freelancers"][0])
    response = client_for(row.member.user).get(reverse("payout_cycles:my_statement", args=[computed.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Written notice of allocation" in html and "Redemption terms" in html
    from payouts.cycles.selectors.notice import notice

    assert notice(row).headline in unescape(html)


def test_a_member_cannot_read_a_cycle_they_have_no_part_in(client_for: Any, computed: Any) -> None:
    from tests.factories import MemberFactory

    outsider = MemberFactory()
    assert client_for(outsider.user).get(reverse("payout_cycles:my_statement", args=[computed.pk])).status_code == 404


def test_progress_fragment_asks_htmx_to_reload_when_done(client_for: Any, staff: Any, computed: Any) -> None:
    url = reverse("payout_cycles:cycle_progress", args=[computed.pk])
    response = client_for(staff).get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200 and response["HX-Refresh"] == "true"


def test_pages_speak_dutch(client_for: Any, computed: Any, coop: Any) -> None:
    c = client_for(coop["quiet"].user)
    c.cookies["django_language"] = "nl"
    html = c.get(reverse("payout_cycles:my_statement", args=[computed.pk])).content.decode()
    assert "Schriftelijke kennisgeving van toewijzing" in html

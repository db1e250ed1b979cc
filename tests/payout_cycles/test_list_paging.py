"""The cycle lists page through every row (the oldest stay reachable) at the same cost however many there are."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from payouts.cycles.models import CycleAllocation, CycleStatus, EarningsPayout, PayoutCycle
from payouts.cycles.views.admin import CYCLES_PER_PAGE, RUNS_PER_PAGE
from payouts.cycles.views.member import PER_PAGE
from tests.queries import settled_queries

pytestmark = pytest.mark.django_db


def _month(n: int) -> date:
    return date(2000 + n // 12, n % 12 + 1, 1)


def _cycles(policy: Any, first: int, count: int, member: Any = None) -> list[PayoutCycle]:
    """Paid monthly cycles from month `first` on (month 0 is January 2000), each with the member's share."""
    cycles = PayoutCycle.objects.bulk_create(
        PayoutCycle(
            policy=policy,
            period_start=_month(n),
            period_end=_month(n + 1),
            currency="EUR",
            status=CycleStatus.PAID,
            surplus_cents=100_000,
        )
        for n in range(first, first + count)
    )
    if member is not None:
        CycleAllocation.objects.bulk_create(
            CycleAllocation(cycle=c, member=member, allocated_cents=300, cash_cents=100, retained_cents=200)
            for c in cycles
        )
    return cycles


def test_the_cycle_list_pages_through_every_cycle_at_a_fixed_cost(client_for: Any, staff: Any, policy: Any) -> None:
    client, url = client_for(staff), reverse("payout_cycles:cycle_list")
    oldest = _cycles(policy, 0, 3)[0]
    few = settled_queries(client, url)
    _cycles(policy, 3, CYCLES_PER_PAGE + 2)
    assert settled_queries(client, url) == few

    oldest_link = f'href="{reverse("payout_cycles:cycle_detail", args=[oldest.pk])}"'
    first = client.get(url).content.decode()
    assert first.count('class="badge status-paid"') == CYCLES_PER_PAGE and oldest_link not in first
    assert 'aria-label="Pages of cycles"' in first and 'href="?cycles=2" rel="next"' in first
    second = client.get(url, {"cycles": 2}).content.decode()
    assert oldest_link in second and second.count('class="badge status-paid"') == 5
    dutch = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'aria-label="Pagina\'s met rondes"' in dutch


def test_earnings_payouts_page_through_every_run_at_a_fixed_cost(client_for: Any, staff: Any) -> None:
    client, url = client_for(staff), reverse("payout_cycles:earnings")

    def runs(first: int, count: int) -> None:
        EarningsPayout.objects.bulk_create(
            EarningsPayout(key=f"run-{n}", trigger="request", currency="EUR", withdrawal_batch_id=100 + n)
            for n in range(first, first + count)
        )

    runs(0, 3)
    few = settled_queries(client, url)
    runs(3, RUNS_PER_PAGE + 2)
    assert settled_queries(client, url) == few

    first = client.get(url).content.decode()
    assert "<td>100</td>" not in first and f"<td>{100 + RUNS_PER_PAGE + 4}</td>" in first
    assert 'aria-label="Pages of earnings payouts"' in first
    second = client.get(url, {"runs": 2}).content.decode()
    assert "<td>100</td>" in second and "<td>104</td>" in second and "<td>105</td>" not in second


def test_a_members_statements_and_past_cycles_page_separately_at_a_fixed_cost(
    client_for: Any, member: Any, policy: Any
) -> None:
    client, url = client_for(member.user), reverse("payout_cycles:my_cycles")
    oldest = _cycles(policy, 0, 3, member)[0]
    few = settled_queries(client, url)
    _cycles(policy, 3, PER_PAGE + 2, member)
    assert settled_queries(client, url) == few

    statement = f'href="{reverse("payout_cycles:my_statement", args=[oldest.pk])}"'
    first = client.get(url).content.decode()
    assert statement not in first and "January 2000" not in first
    assert 'aria-label="Pages of your statements"' in first and 'aria-label="Pages of past payout cycles"' in first
    # Each pager keeps the other's place.
    page = client.get(url, {"allocations": 2}).content.decode()
    assert statement in page and page.count("January 2000") == 1  # the statement, not the past cycle
    assert 'href="?allocations=2&amp;cycles=2" rel="next"' in page
    both = client.get(url, {"allocations": 2, "cycles": 2}).content.decode()
    assert both.count("January 2000") == 2
    assert 'href="?cycles=2&amp;allocations=1" rel="prev"' in both
    assert 'href="?allocations=2&amp;cycles=1" rel="prev"' in both

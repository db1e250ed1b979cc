"""The written notice of allocation leads with a plain summary that matches the engine to the cent.

And the cycle page says where the cycle stands and what happens next, at every status.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from core.money import Money
from membership.models import Member
from payouts.cycles.models import CycleAllocation, CycleStatus, PayoutCycle
from payouts.cycles.selectors.notice import notice
from payouts.cycles.services import (
    cycle_approve,
    cycle_compute,
    cycle_compute_start,
    cycle_execute,
    cycle_execute_start,
    cycle_open,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _computed(period: Any, staff: Any) -> PayoutCycle:
    cycle = cycle_open(period_start=period[0], period_end=period[1], actor=staff)
    cycle_compute_start(cycle_id=cycle.pk, actor=staff)
    return cycle_compute(cycle_id=cycle.pk)


def _paid(cycle: PayoutCycle, staff: Any) -> PayoutCycle:
    # Four eyes: a second administrator approves what `staff` computed.
    approver = UserFactory(is_staff=True, is_superuser=True)
    cycle_approve(cycle_id=cycle.pk, allocation_hash=cycle.allocation_hash, actor=approver)
    cycle_execute_start(cycle_id=cycle.pk, actor=staff)
    return cycle_execute(cycle_id=cycle.pk)


def _money(cents: int, cycle: PayoutCycle) -> str:
    return Money(cents, cycle.currency).format()


@pytest.fixture
def demo_cycle(last_month: Any) -> PayoutCycle:
    """Last month's cycle on the demo data, computed and paid, as a newcomer would run it."""
    call_command("seed_demo", verbosity=0)
    staff = UserFactory(is_staff=True, is_superuser=True)
    cycle = _computed(last_month, staff)
    assert cycle.status == CycleStatus.COMPUTED, cycle.failure_reason
    return _paid(cycle, staff)


def test_every_demo_members_summary_states_the_engines_exact_amounts(demo_cycle: PayoutCycle) -> None:
    rows = list(demo_cycle.allocations.select_related("cycle__policy", "member__user"))
    assert len(rows) == Member.objects.filter(status=Member.Status.ACTIVE).count()
    for row in rows:
        written = notice(row)
        expected = (
            f"You receive {_money(row.allocated_cents, demo_cycle)} from the coop's surplus for "
            f"{written.period}: {_money(row.cash_cents, demo_cycle)} paid out to you and "
            f"{_money(row.retained_cents, demo_cycle)} kept in your capital account."
        )
        assert written.headline == expected
        assert sum(reason.cents for reason in written.reasons) == row.allocated_cents
        assert [reason.cents for reason in written.reasons] == [part for part in row.parts if part is not None]


def test_the_notice_leads_with_the_summary_then_the_chart_then_the_folded_computation(
    demo_cycle: PayoutCycle, client_for: Any
) -> None:
    row = demo_cycle.allocations.select_related("member__user").order_by("-allocated_cents").first()
    html = unescape(
        client_for(row.member.user).get(reverse("payout_cycles:my_statement", args=[demo_cycle.pk])).content.decode()
    )

    summary, chart, details = (
        html.index('data-testid="notice-summary"'),
        html.index("<svg", html.index("<main")),  # the chart (the header's bell is an SVG too)
        html.index('<details class="computation"'),
    )
    assert html.index("<h1") < summary < chart < details
    assert f"You receive {_money(row.allocated_cents, demo_cycle)}" in html
    assert "Why this amount:" in html and "your contracts brought in" in html
    assert "<script" not in html.split("<main", 1)[1] and 'style="' not in html
    # Euros and plain percentages: no fractions of cents, no eight-decimal percentages.
    assert not re.search(r"\d+/\d+ cents|\d+\.0{3,}%|exactly \d+/\d+", html)
    assert "20%" in html and "Rounding:" in html and "largest remainder" in html


def test_a_paid_cycle_page_states_when_it_was_paid_and_shows_no_next_step(
    demo_cycle: PayoutCycle, client_for: Any
) -> None:
    staff = UserFactory(is_staff=True, is_superuser=True)
    html = client_for(staff).get(reverse("payout_cycles:cycle_detail", args=[demo_cycle.pk])).content.decode()
    assert "Paid out on" in html and "members&#x27; parts are paid or credited" in html
    assert "Next step" not in html and "members done" not in html


def test_every_status_before_paid_says_what_happens_next(
    coop: Any, staff: Any, second_staff: Any, last_month: Any, client_for: Any
) -> None:
    cycle = cycle_open(period_start=last_month[0], period_end=last_month[1], actor=staff)
    admin = client_for(staff)

    def page() -> str:
        return unescape(admin.get(reverse("payout_cycles:cycle_detail", args=[cycle.pk])).content.decode())

    assert "Compute the allocation from the ledger." in page()
    cycle_compute_start(cycle_id=cycle.pk, actor=staff)
    cycle_compute(cycle_id=cycle.pk)
    assert "Check the statements, then approve the allocation." in page()
    cycle.refresh_from_db()
    cycle_approve(cycle_id=cycle.pk, allocation_hash=cycle.allocation_hash, actor=second_staff)
    html = page()
    assert "Pay it out." in html and f"by {second_staff.display_name}" in html

    member = client_for(coop["freelancers"][0].user)
    statement = unescape(member.get(reverse("payout_cycles:my_statement", args=[cycle.pk])).content.decode())
    assert "Next: the cycle is paid out." in statement


def test_a_member_statement_before_approval_says_nothing_is_paid_yet(
    coop: Any, staff: Any, last_month: Any, client_for: Any
) -> None:
    cycle = _computed(last_month, staff)
    row = CycleAllocation.objects.get(cycle=cycle, member=coop["freelancers"][0])
    html = unescape(
        client_for(row.member.user).get(reverse("payout_cycles:my_statement", args=[cycle.pk])).content.decode()
    )
    assert f"is {_money(row.allocated_cents, cycle)}: {_money(row.cash_cents, cycle)} to be paid out to you" in html
    assert "Next: the board checks and approves this allocation." in html


def test_the_notice_reads_in_dutch(coop: Any, staff: Any, last_month: Any, client_for: Any) -> None:
    cycle = _computed(last_month, staff)
    row = CycleAllocation.objects.get(cycle=cycle, member=coop["freelancers"][0])
    client = client_for(row.member.user)
    client.cookies["django_language"] = "nl"
    html = unescape(client.get(reverse("payout_cycles:my_statement", args=[cycle.pk])).content.decode())
    with translation.override("nl"):
        amount = _money(row.allocated_cents, cycle)
    assert "Jouw deel van het overschot van de coöperatie over" in html and amount in html
    assert "Waarom dit bedrag:" in html

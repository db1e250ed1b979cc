"""In Chromium: an admin opens, computes, reviews and approves a cycle; a member reads their notice."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from payouts import ledger
from payouts.cycles.models import CycleStatus, PayoutCycle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.payout_cycles.urls"),
]


def _login(page: Any, user: Any) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email:").fill(user.email)
    page.get_by_label("Password:").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")


def test_admin_runs_a_cycle_and_a_member_reads_the_statement(page: Any, coop: Any, last_month: Any) -> None:
    from tests.factories import UserFactory

    staff = UserFactory(is_staff=True)
    capital_before = {m.pk: ledger.member_capital(m.pk)["retained_cents"] for m in coop["members"]}

    _login(page, staff)
    page.goto("/payouts/cycles/")
    page.fill("input[name=period_start]", last_month[0].isoformat())
    page.fill("input[name=period_end]", last_month[1].isoformat())
    page.get_by_role("button", name="Open cycle").click()
    page.get_by_role("button", name="Compute").click()
    progress = page.locator("#cycle-progress")
    progress.get_by_text("4 of 4 members done").wait_for()
    assert progress.get_attribute("data-status") == "computed"
    assert page.locator(".bar-chart .bar-row").count() == 3 + 4
    assert page.locator(".statements-table tbody tr").count() == 4

    page.locator(".statements-table tbody tr a").first.click()
    page.get_by_role("heading", name="How your part was computed").wait_for()
    page.go_back()
    page.get_by_role("button", name="Approve this allocation").click()
    page.get_by_text("The allocation is approved.").wait_for()
    page.get_by_role("button", name="Execute: pay out").click()
    page.locator("#cycle-progress[data-status=paid]").wait_for()

    cycle = PayoutCycle.objects.get()
    assert cycle.status == CycleStatus.PAID
    page.context.clear_cookies()
    member = coop["freelancers"][0]
    row = cycle.allocations.get(member=member)
    _login(page, member.user)
    page.goto("/profit-shares/")
    page.locator("table a").first.click()
    page.get_by_role("heading", name="Written notice of allocation").wait_for()
    assert page.locator(".notice-retained").inner_text().replace("\u00a0", " ") == f"€{row.retained_cents / 100:,.2f}"
    assert page.locator(".computation-steps > li").count() >= 5
    assert page.locator(".redemption-terms").inner_text().startswith("Retained amounts")

    call_command("ledger_check")
    for m in coop["members"]:
        retained = cycle.allocations.get(member=m).retained_cents
        assert ledger.member_capital(m.pk)["retained_cents"] == capital_before[m.pk] + retained

"""In Chromium, on the demo data: four eyes on last month's cycle. The admin opens and computes it and
cannot approve it alone; finance computes it again, the admin approves it and cannot pay it out too;
finance pays it out after a confirmation with the totals. A member reads their written notice; the
books balance and capital grew by the retained parts."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from core.demo import DEMO_PASSWORD
from membership.models import Member
from payouts import ledger
from payouts.cycles.models import CycleStatus, PayoutCycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email:").fill(email)
    page.get_by_label("Password:").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")


def test_admin_runs_last_months_cycle_on_demo_data_and_a_member_reads_the_notice(page: Any, last_month: Any) -> None:
    call_command("seed_demo", verbosity=0)
    members = list(Member.objects.filter(status=Member.Status.ACTIVE).order_by("pk"))
    count = len(members)
    capital_before = {m.pk: ledger.member_capital(m.pk)["retained_cents"] for m in members}

    _login(page, "admin@example.org")
    page.goto("/payouts/cycles/")
    page.fill("input[name=period_start]", last_month[0].isoformat())
    page.fill("input[name=period_end]", last_month[1].isoformat())
    page.get_by_role("button", name="Open cycle").click()
    page.get_by_role("button", name="Compute").click()
    progress = page.locator("#cycle-progress")
    page.locator("#cycle-progress[data-status=computed]").wait_for()
    assert "Nothing is paid before the allocation is approved." in progress.inner_text()
    cycle = PayoutCycle.objects.get(period_start=last_month[0])  # the demo has an approved cycle before it
    detail_url = page.url
    # The chart: a bar for each fund and each patronage class that had members.
    assert page.locator(".bar-chart .bar-row").count() == cycle.funds.count() + len(cycle.class_pots)
    assert page.locator(".statements-table tbody tr").count() == count

    page.locator(".statements-table tbody tr a").first.click()
    page.get_by_role("heading", name="How your part was computed").wait_for()
    page.go_back()
    # Alone: whoever computed is not offered the approval, and is told why; the confirmation (reached
    # by its address) shows the totals, and approving anyway is refused with the reason.
    assert "someone else from the board approves it" in page.get_by_test_id("four-eyes").inner_text()
    assert page.get_by_role("link", name="Approve this allocation").count() == 0
    page.goto(detail_url + "approve/")
    totals = page.get_by_test_id("confirm-totals").inner_text()
    assert "Distributable" in totals and "Paid in cash now" in totals and str(count) in totals
    page.get_by_role("button", name="Approve the allocation").click()
    page.get_by_text("You computed this allocation, so someone else must approve it").wait_for()
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.COMPUTED

    # Finance (not the board) computes it again; then the admin may approve it.
    page.context.clear_cookies()
    _login(page, "finance@example.org")
    page.goto(detail_url)
    page.get_by_role("button", name="Compute again").click()
    page.locator("#cycle-progress[data-status=computed]").wait_for()
    page.context.clear_cookies()
    _login(page, "admin@example.org")
    page.goto(detail_url)
    page.get_by_role("link", name="Approve this allocation").click()
    page.get_by_role("button", name="Approve the allocation").click()
    page.get_by_text("The allocation is approved.").wait_for()
    # ... and who approved cannot pay it out too.
    assert page.get_by_role("link", name="Execute: pay out").count() == 0
    page.goto(detail_url + "execute/")
    page.get_by_role("button", name="Pay out now").click()
    page.get_by_text("You approved this allocation, so someone else from finance must pay it out.").wait_for()
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.APPROVED

    # Finance pays it out, after a confirmation that shows what moves.
    page.context.clear_cookies()
    _login(page, "finance@example.org")
    page.goto(detail_url)
    page.get_by_role("link", name="Execute: pay out").click()
    cycle.refresh_from_db()
    totals = page.get_by_test_id("confirm-totals").inner_text().replace("\u00a0", " ")
    cash = sum(r.cash_cents for r in cycle.allocations.all())
    retained = sum(r.retained_cents for r in cycle.allocations.all())
    assert f"€{cash / 100:,.2f}" in totals and f"€{retained / 100:,.2f}" in totals and str(count) in totals
    assert cycle.status == CycleStatus.APPROVED  # nothing is sent before the confirmation
    page.get_by_role("button", name="Pay out now").click()
    page.locator("#cycle-progress[data-status=paid]").wait_for()

    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.PAID
    page.context.clear_cookies()
    ada = Member.objects.get(user__email="ada@example.org")
    row = cycle.allocations.get(member=ada)
    assert row.retained_cents > 0
    _login(page, "ada@example.org")
    page.goto("/profit-shares/")
    page.locator("table a").first.click()
    page.get_by_role("heading", name="Written notice of allocation").wait_for()
    summary = page.get_by_test_id("notice-summary").inner_text().replace("\u00a0", " ")
    assert summary.startswith(f"You receive €{row.allocated_cents / 100:,.2f} from the coop's surplus")
    assert page.locator(".notice-retained").inner_text().replace("\u00a0", " ") == f"€{row.retained_cents / 100:,.2f}"
    assert page.locator(".computation-steps > li").count() >= 5
    assert page.locator(".redemption-terms").inner_text().startswith("Retained amounts")

    call_command("ledger_check")
    for m in members:
        retained = cycle.allocations.get(member=m).retained_cents
        assert ledger.member_capital(m.pk)["retained_cents"] == capital_before[m.pk] + retained

"""The membership journey in Chromium: apply, pay the share by bank transfer, get admitted, see the register.

A freelancer applies, a finance admin records the bank transfer on the payouts finance page (which
posts the share through the ledger), an admin admits, and the new member sees their number, the
member register and their capital account. A staff look at the record shows in the access log.
"""

from datetime import date
from typing import Any

import pytest

from membership.models import BylawsVersion, Member
from tests.factories import MemberClassFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


def log_in(page: Any, user: Any) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/dashboard/")


@pytest.fixture
def coop(transactional_db: Any) -> dict[str, Any]:
    BylawsVersion.objects.create(
        version="2025.1", text="Article 1. One member, one vote.", effective_on=date(2025, 1, 1)
    )
    worker = MemberClassFactory(slug="worker", name="Worker members", share_price_cents=5000, shares_required=2)
    elder = MemberFactory(member_class=worker, member_number=1, user__display_name="Elder Member")
    return {
        "freelancer": UserFactory(display_name="Noor Freelancer", is_freelancer=True),
        "finance": UserFactory(display_name="Femke Finance", is_staff=True, is_superuser=True),
        "admin": UserFactory(display_name="Anna Admin", is_staff=True, is_superuser=True),
        "elder": elder,
    }


def test_freelancer_applies_pays_by_bank_transfer_is_admitted_and_sees_register_and_capital(
    page: Any, coop: dict[str, Any]
) -> None:
    freelancer = coop["freelancer"]

    log_in(page, freelancer)
    page.locator(".nav-menu summary", has_text="Cooperative").click()
    page.get_by_role("link", name="Membership").first.click()
    page.get_by_role("link", name="Apply for membership").click()
    page.get_by_label("Worker members (€100.00)").check()
    page.get_by_label("Why do you want to become a member?").fill("I want to own the platform I work on.")
    page.get_by_label("I have read the bylaws and accept them").check()
    page.get_by_role("button", name="Send my application").click()
    page.get_by_text("Thank you. Your application is in.").wait_for()
    reference = page.locator("#payment-reference").inner_text().strip()
    assert reference

    log_in(page, coop["finance"])
    page.goto("/money/finance/payments/")
    page.get_by_label("Reference as on the bank statement").fill(reference)
    page.get_by_label("Amount received (€)").fill("100.00")
    page.get_by_role("button", name="Record payment").click()
    page.get_by_text(f"The payment was matched to {reference}.").wait_for()

    log_in(page, coop["admin"])
    page.goto("/membership/staff/applications/")
    page.get_by_role("cell", name="Paid").wait_for()
    page.get_by_role("button", name="Admit").click()
    page.get_by_text("Admitted as member 2.").wait_for()
    page.locator(".nav-menu summary", has_text="Cooperative").click()
    page.get_by_role("link", name="Member register").first.click()
    page.get_by_role("link", name="Noor Freelancer").click()
    page.get_by_role("heading", name="Member record: Noor Freelancer").wait_for()

    log_in(page, freelancer)
    page.goto("/membership/")
    assert page.locator("#member-number").inner_text() == "2"
    assert page.locator("#member-status").inner_text() == "Active"
    page.get_by_role("link", name="The member register").click()
    register = page.locator("table.register")
    assert register.get_by_role("cell", name="Noor Freelancer").is_visible()
    assert register.get_by_role("cell", name="Elder Member").is_visible()
    page.goto("/membership/")
    page.get_by_role("link", name="Your capital account").click()
    assert page.locator("#capital-shares").inner_text() == "€100.00"
    assert page.locator("table.statement tbody tr").count() == 1

    page.goto("/privacy/access-log/")
    page.get_by_role("cell", name="Anna Admin").wait_for()
    assert Member.objects.get(user=freelancer).member_number == 2

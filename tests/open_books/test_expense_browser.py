"""In Chromium: a member of finance claims an expense with its receipt and cannot approve it; a second
person from finance approves it; the books and ledger_check agree; the reimbursement is paid in the
next withdrawal batch."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from payouts import ledger
from payouts.models import Withdrawal
from payouts.open_books.demo import receipt_png
from payouts.open_books.models import ExpenseClaim
from payouts.open_books.selectors.accounts import annual_accounts
from tests.factories import MemberFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def _login(page: Any, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email:").fill(email)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")


def test_a_claim_is_approved_by_a_second_person_and_paid_in_the_next_batch(
    page: Any, media: Any, tmp_path: Any
) -> None:
    from payouts.payments.withdrawals import payout_account_set

    ledger.income_record(
        amount_cents=50_000, currency="EUR", provider="bank_transfer", memo="Grant", actor=None, key="test:grant"
    )
    claimant = MemberFactory(user=UserFactory(email="femke@example.net", is_staff=True, staff_roles=["finance"])).user
    payout_account_set(user=claimant, iban="NL91ABNA0417164300", holder_name="Femke", actor=claimant)
    UserFactory(email="joris@example.net", is_staff=True, staff_roles=["finance"])
    receipt = tmp_path / "train-ticket.png"
    receipt.write_bytes(receipt_png("train"))
    year = timezone.localdate().year
    costs_before = annual_accounts(year).costs_cents

    _login(page, "femke@example.net")
    page.goto("/money/expenses/new/")
    page.get_by_label("Cost category").select_option("travel")
    page.get_by_label("What it was for").fill("Train to the platform co-op meetup")
    page.get_by_label("Amount (€)").fill("64.20")
    page.get_by_label("Receipt or invoice").set_input_files(str(receipt))
    page.get_by_role("button", name="Submit the expense").click()
    page.get_by_text("Your expense was submitted.").wait_for()
    detail = page.url
    # Finance, but the claimant: told why, offered no approval, and refused when trying anyway.
    assert "someone else from finance decides" in page.get_by_test_id("four-eyes").inner_text()
    assert page.get_by_role("button", name="Approve and book").count() == 0
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    refused = page.request.post(detail + "approve/", form={"csrfmiddlewaretoken": token}, headers={"Referer": detail})
    assert refused.status == 403
    claim = ExpenseClaim.objects.get()
    assert claim.status == ExpenseClaim.Status.SUBMITTED

    _login(page, "joris@example.net")
    page.goto(detail)
    page.get_by_role("button", name="Approve and book").click()
    page.get_by_text("The expense is approved and booked.").wait_for()
    assert "Waiting for the next withdrawal batch." in page.get_by_test_id("reimbursement").inner_text()
    # The books and the ledger agree.
    assert annual_accounts(year).costs_cents == costs_before + 6_420
    call_command("ledger_check", verbosity=0)
    page.goto(f"/money/open-books/accounts/{year}/")
    assert "Travel" in page.locator("#income-heading + svg, section[aria-labelledby=income-heading]").first.inner_text()

    # The next withdrawal batch pays it.
    page.goto("/money/finance/withdrawals/")
    page.get_by_role("button", name="Create payment batch").click()
    page.get_by_role("button", name="Create payment batch").click()
    withdrawal = Withdrawal.objects.get(pk=ExpenseClaim.objects.get().withdrawal_id)
    assert withdrawal.batch is not None and withdrawal.amount_cents == 6_420 and withdrawal.user == claimant
    page.goto(detail)
    assert "In the withdrawal batch paid on" in page.get_by_test_id("reimbursement").inner_text()

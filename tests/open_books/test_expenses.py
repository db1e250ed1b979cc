"""Expense claims and supplier invoices: receipts checked, four eyes, booked through the ledger,
reimbursed through the withdrawal batches."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from core.exceptions import ApplicationError, BadTransition, Forbidden
from payouts import ledger
from payouts.models import Withdrawal
from payouts.open_books.exceptions import ErrorCode
from payouts.open_books.models import ExpenseClaim
from payouts.open_books.selectors.accounts import annual_accounts
from payouts.open_books.services.expenses import expense_approve, expense_reject, expense_withdraw
from tests.open_books.conftest import png

pytestmark = pytest.mark.django_db


def test_a_receipt_of_another_type_than_its_name_says_is_refused(submit: Any) -> None:
    fake = SimpleUploadedFile("receipt.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    with pytest.raises(ApplicationError) as refused:
        submit(receipt=fake)
    assert refused.value.code == ErrorCode.RECEIPT_TYPE
    assert refused.value.message == "This file is not the PDF, PNG or JPEG its name says it is."
    assert not ExpenseClaim.objects.exists()


def test_a_receipt_that_is_no_pdf_or_image_is_refused(submit: Any) -> None:
    with pytest.raises(ApplicationError) as refused:
        submit(receipt=SimpleUploadedFile("receipt.svg", b"<svg/>", content_type="image/svg+xml"))
    assert refused.value.message == "A receipt must be a PDF, PNG or JPEG file."


def test_a_receipt_over_the_size_limit_is_refused(submit: Any, settings: Any) -> None:
    settings.OPEN_BOOKS_RECEIPT_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024), content_type="application/pdf")
    with pytest.raises(ApplicationError) as refused:
        submit(receipt=big)
    assert refused.value.code == ErrorCode.RECEIPT_TOO_LARGE
    assert refused.value.message == "A receipt may be at most 1 MB."


def test_an_expense_without_a_receipt_is_refused(submit: Any) -> None:
    with pytest.raises(ApplicationError) as refused:
        submit(receipt=None)
    assert refused.value.message == "Attach the receipt or invoice (PDF, PNG or JPEG)."


def test_a_receipt_is_stored_under_a_name_of_its_own(submit: Any) -> None:
    claim = submit(receipt=png("../../etc/passwd.png"))
    assert "passwd" not in claim.receipt.name and claim.receipt.name.endswith(".png")
    assert claim.receipt_name == "passwd.png" or claim.receipt_name.endswith("passwd.png")
    assert claim.receipt_type == "image/png"


def test_the_claimant_cannot_approve_their_own_expense(submit: Any, claimant: Any, fee_income: int) -> None:
    from django.contrib.auth.models import Group

    claimant.groups.add(Group.objects.get_or_create(name="finance")[0])
    claim = submit()
    with pytest.raises(Forbidden) as refused:
        expense_approve(claim_id=claim.pk, actor=claimant)
    assert refused.value.code == ErrorCode.OWN_CLAIM
    claim.refresh_from_db()
    assert claim.status == ExpenseClaim.Status.SUBMITTED
    assert not ledger.Batch.objects.filter(idempotency_key=f"expense:{claim.pk}:approve").exists()


def test_approval_books_the_cost_and_queues_the_reimbursement(
    submit: Any, claimant: Any, finance: Any, fee_income: int
) -> None:
    claim = submit()
    expense_approve(claim_id=claim.pk, actor=finance)
    claim.refresh_from_db()
    assert claim.status == ExpenseClaim.Status.APPROVED and claim.approved_by == finance
    withdrawal = Withdrawal.objects.get(pk=claim.withdrawal_id)
    assert (withdrawal.user_id, withdrawal.amount_cents, withdrawal.status) == (
        claimant.pk,
        6_420,
        Withdrawal.Status.REQUESTED,
    )
    accounts = annual_accounts(timezone.localdate().year)
    assert {"category": "travel", "amount_cents": 6_420} in accounts.costs
    assert accounts.surplus_cents == 100_000 - 6_420
    call_command("ledger_check", verbosity=0)


def test_an_invoice_is_paid_to_the_supplier_from_the_bank(
    submit: Any, finance: Any, finance_too: Any, fee_income: int
) -> None:
    claim = submit(actor=finance, kind="invoice", supplier_name="Groene Servers BV", category="hosting")
    expense_approve(claim_id=claim.pk, actor=finance_too)
    claim.refresh_from_db()
    assert claim.withdrawal_id is None
    batch = ledger.Batch.objects.get(idempotency_key=claim.batch_key)
    purposes = sorted(p.to_account.purpose for p in batch.postings.select_related("to_account"))
    assert purposes == ["expense", "provider_clearing"]


def test_a_member_cannot_book_a_supplier_invoice(submit: Any) -> None:
    with pytest.raises(Forbidden):
        submit(kind="invoice", supplier_name="Anyone BV")


def test_a_decided_expense_cannot_be_decided_again(
    submit: Any, finance: Any, finance_too: Any, fee_income: int
) -> None:
    claim = submit()
    expense_approve(claim_id=claim.pk, actor=finance)
    with pytest.raises(BadTransition):
        expense_approve(claim_id=claim.pk, actor=finance_too)
    with pytest.raises(BadTransition):
        expense_reject(claim_id=claim.pk, actor=finance_too, reason="Too late.")
    assert ledger.Batch.objects.filter(idempotency_key=f"expense:{claim.pk}:approve").count() == 1


def test_turning_down_needs_a_reason_and_books_nothing(submit: Any, finance: Any) -> None:
    claim = submit()
    with pytest.raises(ApplicationError) as refused:
        expense_reject(claim_id=claim.pk, actor=finance, reason="  ")
    assert refused.value.message == "Say in at most 300 characters why it is turned down."
    expense_reject(claim_id=claim.pk, actor=finance, reason="Not a coop expense.")
    claim.refresh_from_db()
    assert claim.status == ExpenseClaim.Status.REJECTED and claim.rejection_reason == "Not a coop expense."
    assert not ledger.Batch.objects.filter(kind="expense").exists()


def test_the_claimant_may_withdraw_a_waiting_expense_and_nobody_else(submit: Any, finance: Any) -> None:
    claim = submit()
    with pytest.raises(Forbidden):
        expense_withdraw(claim_id=claim.pk, actor=finance)
    expense_withdraw(claim_id=claim.pk, actor=claim.claimant)
    claim.refresh_from_db()
    assert claim.status == ExpenseClaim.Status.WITHDRAWN
    assert list(claim.status_changes.values_list("to_status", flat=True)) == ["submitted", "withdrawn"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount_cents": 0}, "Enter an amount above zero and at most €100,000.00."),
        ({"category": "yachts"}, "Choose one of the cost categories."),
        ({"description": " "}, "Say in at most 300 characters what it was for."),
        ({"spent_on": date(2999, 1, 1)}, "Enter the date on the receipt; it cannot be in the future."),
    ],
)
def test_bad_input_is_refused_with_its_message(submit: Any, overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ApplicationError) as refused:
        submit(**overrides)
    assert refused.value.message == message
    assert not ExpenseClaim.objects.exists()


def test_a_claim_without_a_payout_account_is_refused(submit: Any, claimant: Any) -> None:
    from payouts.models import PayoutAccount

    PayoutAccount.objects.filter(user=claimant).delete()
    with pytest.raises(ApplicationError) as refused:
        submit()
    assert refused.value.code == ErrorCode.NO_PAYOUT_ACCOUNT


def test_the_expense_pager_keeps_the_chosen_status(submit: Any, finance: Any, client: Any, monkeypatch: Any) -> None:
    from django.urls import reverse

    from payouts.open_books.views import expenses

    monkeypatch.setattr(expenses, "PAGE_SIZE", 2)
    for _ in range(3):
        submit()
    client.force_login(finance)
    url = reverse("open_books:expense_list")
    body = client.get(url, {"status": "submitted"}).content.decode()
    assert "?status=submitted&amp;page=2" in body
    unfiltered = client.get(url).content.decode()
    assert "?page=2" in unfiltered and "status=&amp;" not in unfiltered

"""Expense claims and supplier invoices: submit with a receipt, approve or reject (four eyes), withdraw.

Lock order: the claim, then the ledger accounts (in batch_post), then the withdrawal it creates.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, Forbidden
from core.money import Money, default_currency
from core.permissions import authorize
from core.services import audit_log
from core.transitions import transition
from payouts import ledger
from payouts.models import PayoutAccount
from payouts.open_books.exceptions import ErrorCode
from payouts.open_books.models import CostCategory, ExpenseClaim
from payouts.open_books.notifications import expense_decided_notify, expense_submitted_notify

if TYPE_CHECKING:
    from membership.models import User

# What a receipt may be: the extension, the type it is served as, and how its first bytes start
# (checked, so a renamed file of another type is refused).
RECEIPT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
MAX_AMOUNT_CENTS = 10_000_000
# The bank transfer provider: supplier invoices are paid from the coop's bank account.
INVOICE_PROVIDER = "bank_transfer"


def _invalid(message: str, code: str, field: str) -> ApplicationError:
    return ApplicationError(message, code=code, detail={field: [message]})


def receipt_check(receipt: Any) -> tuple[str, str]:
    """Return the receipt's extension and content type, or refuse it (size, extension, contents)."""
    if receipt is None:
        raise _invalid(_("Attach the receipt or invoice (PDF, PNG or JPEG)."), ErrorCode.RECEIPT_MISSING, "receipt")
    limit = settings.OPEN_BOOKS_RECEIPT_MAX_BYTES
    if receipt.size is None or receipt.size > limit:
        raise _invalid(
            _("A receipt may be at most %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
            ErrorCode.RECEIPT_TOO_LARGE,
            "receipt",
        )
    extension = (receipt.name or "").rsplit(".", 1)[-1].lower() if "." in (receipt.name or "") else ""
    if extension not in RECEIPT_TYPES:
        raise _invalid(_("A receipt must be a PDF, PNG or JPEG file."), ErrorCode.RECEIPT_TYPE, "receipt")
    content_type, magics = RECEIPT_TYPES[extension]
    receipt.seek(0)
    head = receipt.read(16)
    receipt.seek(0)
    if not any(head.startswith(magic) for magic in magics):
        raise _invalid(
            _("This file is not the PDF, PNG or JPEG its name says it is."), ErrorCode.RECEIPT_TYPE, "receipt"
        )
    return extension, content_type


def _clean(
    *, kind: str, category: str, description: str, amount_cents: Any, spent_on: Any, supplier_name: str
) -> tuple[str, str]:
    if kind not in ExpenseClaim.Kind.values:
        raise _invalid(_("Choose an expense claim or a supplier invoice."), ErrorCode.BAD_CATEGORY, "kind")
    if category not in CostCategory.values:
        raise _invalid(_("Choose one of the cost categories."), ErrorCode.BAD_CATEGORY, "category")
    description = " ".join(str(description or "").split())
    if not description or len(description) > 300:
        raise _invalid(_("Say in at most 300 characters what it was for."), ErrorCode.BAD_DESCRIPTION, "description")
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or not 0 < amount_cents <= MAX_AMOUNT_CENTS:
        raise _invalid(
            _("Enter an amount above zero and at most %(max)s.")
            % {"max": Money(MAX_AMOUNT_CENTS, default_currency()).format()},
            ErrorCode.BAD_AMOUNT,
            "amount",
        )
    if not isinstance(spent_on, date) or spent_on > timezone.localdate() or spent_on.year < 2000:
        raise _invalid(_("Enter the date on the receipt; it cannot be in the future."), ErrorCode.BAD_YEAR, "spent_on")
    supplier_name = " ".join(str(supplier_name or "").split())
    if kind == ExpenseClaim.Kind.INVOICE and not 0 < len(supplier_name) <= 120:
        raise _invalid(_("Name the supplier who sent the invoice."), ErrorCode.BAD_SUPPLIER, "supplier_name")
    return description, supplier_name if kind == ExpenseClaim.Kind.INVOICE else ""


@transaction.atomic
def expense_submit(
    *,
    actor: User,
    kind: str,
    category: str,
    description: str,
    amount_cents: int,
    spent_on: date,
    receipt: File[bytes] | None,
    supplier_name: str = "",
) -> ExpenseClaim:
    """Submit an expense to reimburse (a claim) or a supplier's invoice to pay, with its receipt."""
    authorize(actor, "expense.invoice" if kind == ExpenseClaim.Kind.INVOICE else "expense.submit")
    description, supplier_name = _clean(
        kind=kind,
        category=category,
        description=description,
        amount_cents=amount_cents,
        spent_on=spent_on,
        supplier_name=supplier_name,
    )
    extension, content_type = receipt_check(receipt)
    if kind == ExpenseClaim.Kind.CLAIM and not PayoutAccount.objects.filter(user=actor).exists():
        raise _invalid(
            _("Add the bank account to reimburse you to first (Earnings, payout account)."),
            ErrorCode.NO_PAYOUT_ACCOUNT,
            "receipt",
        )
    original = (receipt.name or "").rsplit("/", 1)[-1][:200] if receipt is not None else ""
    claim = ExpenseClaim(
        kind=kind,
        claimant=actor,
        supplier_name=supplier_name,
        category=category,
        description=description,
        amount_cents=amount_cents,
        currency=default_currency(),
        spent_on=spent_on,
        receipt_name=original,
        receipt_type=content_type,
    )
    # Stored under a random name: the uploaded name is only ever shown, never used as a path.
    assert receipt is not None
    claim.receipt.save(f"{secrets.token_hex(16)}.{extension}", receipt, save=False)
    claim.save()
    claim.status_changes.create(from_status="", to_status=claim.status, actor=actor)
    audit_log(
        actor=actor,
        action="expense.submitted",
        target=claim,
        subject=actor,
        data={"kind": kind, "category": category, "amount_cents": amount_cents},
    )
    expense_submitted_notify(claim)
    return claim


def _lock(claim_id: int) -> ExpenseClaim:
    claim = ExpenseClaim.objects.select_for_update().filter(pk=claim_id).first()
    if claim is None:
        raise ApplicationError(_("There is no such expense."), code="not_found", status_code=404)
    return claim


def _refuse_own(claim: ExpenseClaim, actor: User) -> None:
    if claim.claimant_id == actor.pk:
        raise Forbidden(
            _("You submitted this expense, so someone else from finance must decide on it."),
            code=ErrorCode.OWN_CLAIM,
        )


@transaction.atomic
def expense_approve(*, claim_id: int, actor: User) -> ExpenseClaim:
    """Approve an expense someone else submitted: book it, and queue a claim's reimbursement.

    A claim's amount goes to the claimant's balance and a withdrawal of it joins the next
    withdrawal batch; an invoice is paid to the supplier from the bank account.
    """
    claim = _lock(claim_id)
    authorize(actor, "expense.approve", claim)
    _refuse_own(claim, actor)
    if claim.status != ExpenseClaim.Status.SUBMITTED:
        # Decided already (a second click, a concurrent approval): the kernel's refusal, before any posting.
        transition(claim, ExpenseClaim.Status.APPROVED, actor=actor)
    key = f"expense:{claim.pk}:approve"
    is_claim = claim.kind == ExpenseClaim.Kind.CLAIM
    ledger.expense_record(
        amount_cents=claim.amount_cents,
        currency=claim.currency,
        category=claim.category,
        provider=INVOICE_PROVIDER,
        memo=_("Expense %(id)s: %(category)s") % {"id": claim.pk, "category": claim.get_category_display()},
        actor=actor,
        key=key,
        payee_user_id=claim.claimant_id if is_claim else None,
    )
    if is_claim:
        claim.withdrawal = _reimbursement(claim)
    claim.approved_by = actor
    claim.decided_at = timezone.now()
    claim.batch_key = key
    transition(
        claim,
        ExpenseClaim.Status.APPROVED,
        actor=actor,
        update_fields=("approved_by", "decided_at", "batch_key", "withdrawal"),
        subject=claim.claimant,
    )
    expense_decided_notify(claim)
    return claim


def _reimbursement(claim: ExpenseClaim) -> Any:
    """Ask for the claim's amount to be paid out in the next withdrawal batch, as the platform.

    The amount stays on the claimant's balance, for them to withdraw from their earnings page, when
    it is under the smallest withdrawal or a withdrawal is refused for now (a payout the law asks
    details for first): the expense is booked all the same.
    """
    from payouts.payments.withdrawals import withdrawal_create

    if claim.amount_cents < settings.PAYOUTS_WITHDRAWAL_MIN_CENTS:
        return None
    try:
        return withdrawal_create(
            user=claim.claimant, amount_cents=claim.amount_cents, actor=None, currency=claim.currency
        )
    except ApplicationError:
        # withdrawal_create is atomic: its savepoint is rolled back, the approval goes on.
        return None


@transaction.atomic
def expense_reject(*, claim_id: int, actor: User, reason: str) -> ExpenseClaim:
    """Turn down an expense someone else submitted, with the reason they are told."""
    claim = _lock(claim_id)
    authorize(actor, "expense.approve", claim)
    _refuse_own(claim, actor)
    reason = " ".join(str(reason or "").split())
    if not reason or len(reason) > 300:
        raise _invalid(_("Say in at most 300 characters why it is turned down."), ErrorCode.BAD_DESCRIPTION, "reason")
    claim.approved_by = actor
    claim.decided_at = timezone.now()
    claim.rejection_reason = reason
    transition(
        claim,
        ExpenseClaim.Status.REJECTED,
        actor=actor,
        update_fields=("approved_by", "decided_at", "rejection_reason"),
        history_data={"reason": reason},
        subject=claim.claimant,
    )
    expense_decided_notify(claim)
    return claim


@transaction.atomic
def expense_withdraw(*, claim_id: int, actor: User) -> ExpenseClaim:
    """Take back one's own expense before anyone decided on it."""
    claim = _lock(claim_id)
    authorize(actor, "expense.withdraw", claim)
    transition(claim, ExpenseClaim.Status.WITHDRAWN, actor=actor)
    return claim

"""Expense claims and supplier invoices: the list, the form, one expense with its decision, the receipt."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.exceptions import ApplicationError, Forbidden
from core.permissions import authorize, can, verified_email_required
from core.transitions import can_transition
from payouts.open_books.forms import ExpenseForm, RejectForm
from payouts.open_books.models import ExpenseClaim
from payouts.open_books.selectors import books as selectors
from payouts.open_books.services.expenses import expense_approve, expense_reject, expense_submit, expense_withdraw
from payouts.views.common import add_error

PAGE_SIZE = 20


@login_required
@require_GET
def expense_list(request: HttpRequest) -> HttpResponse:
    """One's own expenses; finance and the board see everyone's, the waiting ones first if asked."""
    authorize(request.user, "expense.submit")
    everyone = can(request.user, "expense.list")
    status = request.GET.get("status", "")
    if status not in ExpenseClaim.Status.values:
        status = ""
    rows = selectors.expenses_for(request.user, everyone=everyone, status=status or None)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "everyone": everyone,
        "status": status,
        # The pager keeps the chosen status: page 2 of the waiting claims, not of all of them.
        "query": urlencode({"status": status}) if status else "",
        "statuses": ExpenseClaim.Status.choices,
        "waiting": selectors.waiting_count() if everyone else None,
    }
    return render(request, "open_books/expense_list.html", context)


@verified_email_required
@require_http_methods(["GET", "POST"])
def expense_new(request: HttpRequest) -> HttpResponse:
    authorize(request.user, "expense.submit")
    can_invoice = can(request.user, "expense.invoice")
    form = ExpenseForm(request.POST or None, request.FILES or None, can_invoice=can_invoice)
    status = 200
    if request.method == "POST":
        status = 400
        if request.POST.get("kind") == ExpenseClaim.Kind.INVOICE:
            authorize(request.user, "expense.invoice")
        if form.is_valid():
            data = form.cleaned_data
            try:
                claim = expense_submit(
                    actor=request.user,  # type: ignore[arg-type]
                    kind=data.get("kind") or ExpenseClaim.Kind.CLAIM,
                    category=data["category"],
                    description=data["description"],
                    amount_cents=data["amount"],
                    spent_on=data["spent_on"],
                    receipt=data["receipt"],
                    supplier_name=data.get("supplier_name") or "",
                )
            except ApplicationError as exc:
                add_error(form, exc)
            else:
                messages.success(request, _("Your expense was submitted. Someone from finance will decide on it."))
                return redirect("open_books:expense_detail", pk=claim.pk)
    return render(request, "open_books/expense_form.html", {"form": form}, status=status)


def _claim_for(request: HttpRequest, pk: int) -> ExpenseClaim:
    claim = selectors.expense_of(pk)
    if claim is None:
        raise Http404
    authorize(request.user, "expense.view", claim)
    return claim


def _detail(
    request: HttpRequest, claim: ExpenseClaim, *, reject_form: RejectForm | None = None, status: int = 200
) -> HttpResponse:
    waiting = claim.status == ExpenseClaim.Status.SUBMITTED
    may_decide = waiting and can(request.user, "expense.approve", claim)
    context: dict[str, Any] = {
        "claim": claim,
        "own": claim.claimant_id == request.user.pk,
        "may_decide": may_decide and claim.claimant_id != request.user.pk,
        "may_withdraw": can_transition(claim, ExpenseClaim.Status.WITHDRAWN)
        and can(request.user, "expense.withdraw", claim),
        "reject_form": reject_form or RejectForm(),
        "history": claim.status_changes.select_related("actor").order_by("created_at", "pk"),
    }
    return render(request, "open_books/expense_detail.html", context, status=status)


@login_required
@require_GET
def expense_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _claim_for(request, pk))


@verified_email_required
@require_POST
def expense_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_for(request, pk)
    try:
        expense_approve(claim_id=claim.pk, actor=request.user)  # type: ignore[arg-type]
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _detail(request, claim, status=exc.status_code)
    messages.success(request, _("The expense is approved and booked."))
    return redirect("open_books:expense_detail", pk=claim.pk)


@verified_email_required
@require_POST
def expense_reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_for(request, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            expense_reject(claim_id=claim.pk, actor=request.user, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        except Forbidden:
            raise
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("The expense is turned down; its claimant is told why."))
            return redirect("open_books:expense_detail", pk=claim.pk)
    return _detail(request, claim, reject_form=form, status=400)


@verified_email_required
@require_POST
def expense_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_for(request, pk)
    try:
        expense_withdraw(claim_id=claim.pk, actor=request.user)  # type: ignore[arg-type]
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _detail(request, claim, status=exc.status_code)
    messages.success(request, _("You withdrew the expense."))
    return redirect("open_books:expense_detail", pk=claim.pk)


def receipt_response(claim: ExpenseClaim) -> FileResponse:
    """Serve a receipt as a download with the type checked at upload, never rendered in the site's origin."""
    try:
        handle = claim.receipt.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    extension = claim.receipt.name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle, as_attachment=True, filename=f"receipt-{claim.pk}.{extension}", content_type=claim.receipt_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def expense_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    from membership.services.privacy import access_log_record

    claim = _claim_for(request, pk)
    response = receipt_response(claim)
    # Finance opening someone's receipt shows on that person's access log (their own opens do not).
    access_log_record(
        accessor=request.user,  # type: ignore[arg-type]
        subject_ids=[claim.claimant_id],
        action="exported",
        context=f"Expense {claim.pk}: receipt",
    )
    return response

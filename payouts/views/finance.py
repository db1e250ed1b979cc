"""Finance pages for staff: incoming bank payments and suspense, withdrawals to pay out."""

from django.contrib import messages
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.exceptions import ApplicationError
from core.money import default_currency
from core.pagination import paged_lists
from payouts import selectors
from payouts.forms import BankPaymentForm, SuspenseApplyForm, WithdrawalBatchForm, WithdrawalFailForm
from payouts.models import BankPayment, Withdrawal, WithdrawalBatch
from payouts.payments.sepa import batch_csv, batch_sepa_xml
from payouts.payments.services import bank_payment_record, suspense_apply, suspense_refund
from payouts.payments.withdrawals import (
    batch_execution_date_check,
    withdrawal_batch_create,
    withdrawal_batch_settle,
    withdrawal_fail,
)
from payouts.views.common import add_error, finance_required

# Each list on the finance pages comes LIST_LIMIT rows at a time, each pager keeping the others' places.
LIST_LIMIT = 50


def _payments_page(
    request: HttpRequest,
    *,
    form: BankPaymentForm | None = None,
    apply_form: SuspenseApplyForm | None = None,
    apply_for: int | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form or BankPaymentForm(),
        "apply_form": apply_form or SuspenseApplyForm(),
        "apply_for": apply_for,
        **paged_lists(
            request,
            LIST_LIMIT,
            suspense=selectors.bank_payments(status=BankPayment.Status.IN_SUSPENSE),
            open_requests=selectors.open_payment_requests(),
            recent=selectors.bank_payments(),
        ),
    }
    return render(request, "payouts/finance/payments.html", context, status=status)


@finance_required
def payments(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _payments_page(request)
    form = BankPaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            payment = bank_payment_record(
                reference=data["reference"],
                amount_cents=data["amount"],
                currency=default_currency(),
                received_on=data["received_on"],
                actor=request.user,
                note=data["note"],
                bank_transaction_id=data["bank_transaction_id"],
            )
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            if payment.status == BankPayment.Status.MATCHED:
                messages.success(request, _("The payment was matched to %(ref)s.") % {"ref": payment.payment_request})
            else:
                messages.warning(request, _("The payment was recorded; part or all of it is in suspense."))
            return redirect("payouts:finance_payments")
    return _payments_page(request, form=form, status=400)


@finance_required
@require_POST
def payment_apply(request: HttpRequest, pk: int) -> HttpResponse:
    payment = get_object_or_404(BankPayment, pk=pk)
    form = SuspenseApplyForm(request.POST)
    if form.is_valid():
        try:
            suspense_apply(bank_payment_id=payment.pk, reference=form.cleaned_data["reference"], actor=request.user)
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("The amount in suspense was applied."))
            return redirect("payouts:finance_payments")
    return _payments_page(request, apply_form=form, apply_for=payment.pk, status=400)


@finance_required
@require_POST
def payment_refund(request: HttpRequest, pk: int) -> HttpResponse:
    payment = get_object_or_404(BankPayment, pk=pk)
    try:
        suspense_refund(bank_payment_id=payment.pk, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The amount in suspense is recorded as paid back."))
    return redirect("payouts:finance_payments")


def _withdrawals_page(
    request: HttpRequest, *, form: WithdrawalBatchForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        **paged_lists(
            request,
            LIST_LIMIT,
            requested=selectors.withdrawals(status=Withdrawal.Status.REQUESTED),
            batches=selectors.withdrawal_batches(),
            exported=selectors.withdrawals(status=Withdrawal.Status.EXPORTED),
        ),
        "form": form or WithdrawalBatchForm(),
        "fail_form": WithdrawalFailForm(),
    }
    return render(request, "payouts/finance/withdrawals.html", context, status=status)


@finance_required
@require_GET
def withdrawals(request: HttpRequest) -> HttpResponse:
    return _withdrawals_page(request)


@finance_required
@require_POST
def batch_create(request: HttpRequest) -> HttpResponse:
    form = WithdrawalBatchForm(request.POST)
    if form.is_valid() and not request.POST.get("confirmed"):
        try:
            batch_execution_date_check(form.cleaned_data["execution_date"])
        except ApplicationError as exc:
            add_error(form, exc)
            return _withdrawals_page(request, form=form, status=400)
        # Confirm first, with what the batch will hold: how many withdrawals, their total, the date.
        totals = list(
            Withdrawal.objects.filter(status=Withdrawal.Status.REQUESTED)
            .values("currency")
            .annotate(count=Count("pk"), total_cents=Sum("amount_cents"))
            .order_by("currency")
        )
        if len(totals) == 1:  # none, or mixed currencies: the service refuses with the reason
            context = {"form": form, "totals": totals[0], "execution_date": form.cleaned_data["execution_date"]}
            return render(request, "payouts/finance/batch_create_confirm.html", context)
    if form.is_valid():
        try:
            batch = withdrawal_batch_create(actor=request.user, execution_date=form.cleaned_data["execution_date"])
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("Batch %(id)s is ready: download the SEPA file for the bank.") % {"id": batch})
            return redirect("payouts:finance_withdrawals")
    return _withdrawals_page(request, form=form, status=400)


@finance_required
@require_GET
def batch_sepa(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(WithdrawalBatch, pk=pk)
    try:
        document = batch_sepa_xml(batch)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("payouts:finance_withdrawals")
    response = HttpResponse(document, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{batch.message_id}.xml"'
    return response


@finance_required
@require_GET
def batch_csv_download(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(WithdrawalBatch, pk=pk)
    response = HttpResponse(batch_csv(batch), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{batch.message_id}.csv"'
    return response


@finance_required
@require_http_methods(["GET", "POST"])
def batch_settle(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(WithdrawalBatch.objects.select_related("created_by"), pk=pk)
    if request.method == "GET":
        # Confirm first, with the batch's count and total; someone other than its creator confirms.
        totals = batch.withdrawals.exclude(status=Withdrawal.Status.FAILED).aggregate(
            count=Count("pk"), total_cents=Coalesce(Sum("amount_cents"), 0)
        )
        return render(request, "payouts/finance/batch_confirm.html", {"batch": batch, "totals": totals})
    try:
        withdrawal_batch_settle(batch_id=batch.pk, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Batch %(id)s is marked as paid.") % {"id": batch})
    return redirect("payouts:finance_withdrawals")


@finance_required
@require_POST
def withdrawal_failed(request: HttpRequest, pk: int) -> HttpResponse:
    withdrawal = get_object_or_404(Withdrawal, pk=pk)
    form = WithdrawalFailForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the withdrawal failed."))
        return redirect("payouts:finance_withdrawals")
    try:
        withdrawal_fail(withdrawal_id=withdrawal.pk, reason=form.cleaned_data["reason"], actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The withdrawal failed; the money is back in the freelancer's balance."))
    return redirect("payouts:finance_withdrawals")

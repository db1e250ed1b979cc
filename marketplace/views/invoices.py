"""Invoice pages: business details, my invoices, one invoice with its PDF and XML, finance's list."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.permissions import authorize, can, page_permission
from marketplace.invoicing.forms import BusinessDetailsForm
from marketplace.invoicing.pdf import invoice_pdf, title_of
from marketplace.invoicing.ubl import invoice_xml
from marketplace.models import Invoice
from marketplace.selectors.invoices import business_details_of, invoice_by_number, invoices_all, invoices_of_user
from marketplace.services.business import business_details_save
from marketplace.services.refunds import milestone_refund_released as milestone_refund_released_service
from marketplace.services.refunds import refund_take_back
from marketplace.views._helpers import SignedInRequest, paginate, perform

INVOICES_PER_PAGE = 25


@login_required
@require_http_methods(["GET", "POST"])
def business_details(request: SignedInRequest) -> HttpResponse:
    """Enter business details once (and agree to self-billing); invoices waiting for them are issued."""
    details = business_details_of(user=request.user)
    form = BusinessDetailsForm(request.POST or None, details=details)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if perform(
            request,
            lambda: business_details_save(actor=request.user, **data),
            _("Your business details are saved."),
            form,
        ):
            return redirect("marketplace:business-details")
    return render(request, "marketplace/invoices/business_details.html", {"form": form, "details": details})


@login_required
@require_GET
def invoice_list(request: SignedInRequest) -> HttpResponse:
    """The documents issued in my name or to me, newest first, a page at a time."""
    page = paginate(request, invoices_of_user(user=request.user), per_page=INVOICES_PER_PAGE)
    return render(
        request,
        "marketplace/invoices/invoice_list.html",
        {"page": page, "details": business_details_of(user=request.user)},
    )


def _invoice_for(request: SignedInRequest, number: str) -> Invoice:
    invoice = invoice_by_number(number=number)
    if invoice is None:
        raise Http404
    authorize(request.user, "invoice.view", invoice)
    return invoice


@login_required
@require_GET
def invoice_detail(request: SignedInRequest, number: str) -> HttpResponse:
    invoice = _invoice_for(request, number)
    refundable = (
        invoice.kind == Invoice.Kind.WORK
        and invoice.milestone.status == "released"
        and can(request.user, "milestone.refund_released")
    )
    return render(
        request,
        "marketplace/invoices/invoice_detail.html",
        {
            "invoice": invoice,
            "title": title_of(invoice),
            "lines": list(invoice.lines.all()),
            "credit_notes": list(invoice.credit_notes.all()),
            "refund_form": RefundAfterReleaseForm() if refundable else None,
            "take_back": refund_take_back(milestone=invoice.milestone) if refundable else None,
        },
    )


@login_required
@require_GET
def invoice_download_pdf(request: SignedInRequest, number: str) -> HttpResponse:
    """The PDF in the reader's language, or the one asked for (?language=en or nl)."""
    invoice = _invoice_for(request, number)
    languages = {code for code, _name in settings.LANGUAGES}
    language = request.GET.get("language", "")
    if language not in languages:
        language = (translation.get_language() or "en")[:2]
    response = HttpResponse(invoice_pdf(invoice, language=language), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
    return response


@login_required
@require_GET
def invoice_download_xml(request: SignedInRequest, number: str) -> HttpResponse:
    """The EN 16931 UBL e-invoice, for accounting software."""
    invoice = _invoice_for(request, number)
    response = HttpResponse(invoice_xml(invoice, coop_name=settings.COOP_LEGAL_NAME), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.xml"'
    return response


@page_permission("invoice.list_all")
@require_GET
def finance_invoice_list(request: SignedInRequest) -> HttpResponse:
    """Every invoice and credit note, newest first, a page at a time (finance)."""
    page = paginate(request, invoices_all(), per_page=INVOICES_PER_PAGE)
    return render(request, "marketplace/invoices/finance_invoice_list.html", {"page": page})


class RefundAfterReleaseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why the money goes back"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Both parties read this. Credit notes for the invoices of this milestone follow."),
    )


@page_permission("milestone.refund_released")
@require_POST
def milestone_refund_released(request: SignedInRequest, milestone_id: int) -> HttpResponse:
    """Finance pays a released milestone back to the client; credit notes correct its invoices."""
    form = RefundAfterReleaseForm(request.POST)
    back = request.POST.get("next", "")
    invoice = Invoice.objects.filter(milestone_id=milestone_id, kind=Invoice.Kind.WORK).first()
    target = (
        reverse("marketplace:invoice-detail", args=[invoice.number])
        if invoice
        else reverse("marketplace:finance-invoices")
    )
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = target
    if form.is_valid():
        perform(
            request,
            lambda: milestone_refund_released_service(
                milestone_id=milestone_id, actor=request.user, reason=form.cleaned_data["reason"]
            ),
            _("The milestone is paid back to the client; credit notes are being issued."),
        )
    else:
        messages.error(request, _("Say why the money goes back."))
    return redirect(back or target)

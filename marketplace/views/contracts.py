from datetime import timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.exceptions import ApplicationError, Forbidden
from core.exceptions import ErrorCode as CoreErrorCode
from core.money import Money, default_currency
from core.permissions import can
from marketplace.forms import DeliveryForm, MilestoneForm, NoteForm, ResponseForm, ReviewForm, TimesheetForm
from marketplace.models import MILESTONE_IN_ESCROW, DeliveryFile, Milestone
from marketplace.selectors.contracts import (
    contract_get_for,
    contract_milestones,
    contract_of_party,
    contract_page_get_for,
    contract_timesheets,
    contracts_for_user,
    fee_policies,
    milestone_page_details,
    visible_reviews,
)
from marketplace.selectors.invoices import business_details_of, invoices_of_contract
from marketplace.services import escrow
from marketplace.services import milestones as milestone_services
from marketplace.services import reviews as review_services
from marketplace.services import timesheets as timesheet_services
from marketplace.services.contracts import contract_end_by_party
from marketplace.services.fees import fee_policy_in_force
from marketplace.views._helpers import SignedInRequest, file_download, paginate, perform
from payouts.ledger import freelancer_held
from payouts.payments.providers import enabled_providers

MILESTONES_PER_PAGE = 20
TIMESHEETS_PER_PAGE = 20  # weeks
CONTRACT_INVOICES = 20


@lru_cache(maxsize=32)
def _blank_form_html(form_class: type[forms.Form], language: str, currency: str) -> str:
    return str(form_class().as_div())


def blank_form_html(form_class: type[forms.Form]) -> SafeString:
    """An empty form's fields as HTML, rendered once per language and currency (its labels name the currency).

    The contract page always offers its forms empty (a refusal comes back as a message), and
    rendering their fields through Django's widget templates cost more than a page of milestones
    (issue 18).
    """
    html = _blank_form_html(form_class, get_language() or settings.LANGUAGE_CODE, default_currency())
    return mark_safe(html)  # noqa: S308 - our own empty form's rendering, stored as rendered


@login_required
@require_GET
def contract_list(request: SignedInRequest) -> HttpResponse:
    page = paginate(request, contracts_for_user(user=request.user))
    return render(request, "marketplace/contract_list.html", {"page": page})


@login_required
@require_GET
def contract_detail(request: SignedInRequest, contract_id: int) -> HttpResponse:
    """Everything about one contract, for its two parties: milestones, money, fee, hours, reviews."""
    contract = contract_page_get_for(contract_id=contract_id, user=request.user)
    party = contract.party_of(request.user.pk)
    # A page of milestones at a time, so a long contract costs the same few queries as a short one;
    # each comes with how it is being paid, if it is on its way into escrow (`paid_by`).
    paginator = Paginator(contract_milestones(contract=contract), MILESTONES_PER_PAGE)
    paginator.count = contract.milestone_count  # counted with the contract: no query of its own
    page = paginator.get_page(request.GET.get("page"))
    # An hourly contract's weeks page on their own (?weeks=), each pager keeping the other's place.
    weeks = (
        Paginator(contract_timesheets(contract=contract), TIMESHEETS_PER_PAGE).get_page(request.GET.get("weeks"))
        if contract.is_hourly
        else None
    )
    milestones = list(page.object_list)
    details = milestone_page_details(milestone_ids=[m.pk for m in milestones])
    status_labels = dict(Milestone.Status.choices)
    rows = []
    for milestone in milestones:
        net, fee = escrow.fee_split(amount_cents=milestone.amount_cents, contract=contract)
        rows.append(
            {
                "milestone": milestone,
                "status_label": status_labels.get(milestone.status, milestone.status),
                # Formatted here (the formatter is cached per language): cheaper than the template's filter.
                "amount": Money(milestone.amount_cents, contract.currency).format(),
                "net": Money(net, contract.currency).format(),
                "fee": Money(fee, contract.currency).format(),
                "in_escrow": milestone.status in MILESTONE_IN_ESCROW,
                "paid_by": milestone.paid_by or "",  # type: ignore[attr-defined]  # from contract_milestones
                # Read here, not in the template: a milestone without one raises, and the template
                # engine's handling of that costs more than the rest of the row.
                "dispute": getattr(milestone, "dispute", None),
                "has_timesheet": getattr(milestone, "timesheet", None) is not None,
                "deliveries": details.deliveries.get(milestone.pk, ()),
                "changes_asked": details.changes_asked.get(milestone.pk, ()),
            }
        )
    reviews = visible_reviews(contract=contract, user=request.user)
    # The newest documents of the contract; more are on the invoices page (one query either way).
    # The table shows the documents' own columns: not their milestones, corrected documents or the
    # issuer's and recipient's details (JSON, read per row).
    documents = (
        invoices_of_contract(contract=contract, user=request.user).select_related(None).defer("issuer", "recipient")
    )
    contract_invoices = list(documents[: CONTRACT_INVOICES + 1])
    my_review = next((r for r in contract.reviews.all() if r.author_id == request.user.pk), None)
    context = {
        "contract": contract,
        "party": party,
        "contract_invoices": contract_invoices[:CONTRACT_INVOICES],
        "contract_invoices_more": len(contract_invoices) > CONTRACT_INVOICES,
        # Asked only when there is no invoice yet: the page then suggests entering them.
        "has_business_details": bool(contract_invoices) or business_details_of(user=request.user) is not None,
        "rows": rows,
        "page": page,
        "weeks": weeks,
        "timesheets": list(weeks.object_list) if weeks is not None else [],
        "weeks_query": urlencode({"weeks": weeks.number}) if weeks is not None and weeks.number > 1 else "",
        "page_query": urlencode({"page": page.number}) if page.number > 1 else "",
        "reviews": reviews,
        "my_review": my_review,
        "hidden_review_waiting": any(
            r.revealed_at is None and r.author_id != request.user.pk for r in contract.reviews.all()
        ),
        "milestone_form": blank_form_html(MilestoneForm),
        "card_payments": any(provider.key == "stripe" for provider in enabled_providers()),
        "timesheet_form": blank_form_html(TimesheetForm),
        "balance": freelancer_held(request.user.pk, contract.currency) if party == "freelancer" else None,
        "thread": getattr(contract, "thread", None),
    }
    return render(request, "marketplace/contract_detail.html", context)


@login_required
@require_POST
def milestone_add(request: SignedInRequest, contract_id: int) -> HttpResponse:
    form = MilestoneForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        perform(
            request,
            lambda: milestone_services.milestone_add(
                contract_id=contract_id,
                actor=request.user,
                title=data["title"],
                amount_cents=data["amount"],
                due_date=data["due_date"],
                estimated_hours=data["estimated_hours"],
            ),
            _("The milestone is added."),
        )
    else:
        perform(request, lambda: _raise_form(form), "")
    return redirect("marketplace:contract-detail", contract_id=contract_id)


def _raise_form(form: object) -> None:
    from core.exceptions import ApplicationError

    errors = [str(e) for errors in form.errors.values() for e in errors]  # type: ignore[attr-defined]
    raise ApplicationError("; ".join(errors), code=CoreErrorCode.INVALID)


@login_required
@require_POST
def contract_end_view(request: SignedInRequest, contract_id: int) -> HttpResponse:
    perform(
        request,
        lambda: contract_end_by_party(contract_id=contract_id, actor=request.user),
        _("The contract has ended."),
    )
    return redirect("marketplace:contract-detail", contract_id=contract_id)


def _milestone_contract(milestone_id: int) -> int:
    return get_object_or_404(Milestone.objects.only("contract_id"), pk=milestone_id).contract_id


MILESTONE_ACTIONS = {
    "fund": (
        lambda milestone_id, actor: milestone_services.milestone_fund(milestone_id=milestone_id, actor=actor),
        gettext_lazy("Transfer the amount with the payment reference shown; the milestone is funded once it arrives."),
    ),
    "approve": (
        lambda milestone_id, actor: milestone_services.milestone_approve(milestone_id=milestone_id, actor=actor),
        gettext_lazy("You approved the work: the payment is released to the freelancer."),
    ),
    "refund": (
        lambda milestone_id, actor: milestone_services.milestone_refund(milestone_id=milestone_id, actor=actor),
        gettext_lazy("The money goes back to the client."),
    ),
    "cancel": (
        lambda milestone_id, actor: milestone_services.milestone_cancel(milestone_id=milestone_id, actor=actor),
        gettext_lazy("The milestone is cancelled."),
    ),
}


@login_required
@require_POST
def milestone_action(request: SignedInRequest, milestone_id: int, action: str) -> HttpResponse:
    milestone_id = int(milestone_id)  # re_path passes strings
    contract_id = _milestone_contract(milestone_id)
    service, success = MILESTONE_ACTIONS[action]
    perform(request, lambda: service(milestone_id, request.user), str(success))
    return redirect("marketplace:contract-detail", contract_id=contract_id)


@login_required
@require_POST
def milestone_fund_card(request: SignedInRequest, milestone_id: int) -> HttpResponse:
    """Fund a milestone by card: the payment page sends the client on to Stripe Checkout."""
    contract_id = _milestone_contract(milestone_id)
    funded: list[Any] = []

    def fund() -> None:
        funded.append(
            milestone_services.milestone_fund(milestone_id=milestone_id, actor=request.user, provider="stripe")
        )

    if perform(request, fund, _("Pay by card on this page; the milestone is funded once Stripe confirms the payment.")):
        _milestone, payment_request = funded[0]
        return redirect("payouts:payment_request", reference=payment_request.reference)
    return redirect("marketplace:contract-detail", contract_id=contract_id)


@login_required
@require_POST
def milestone_request_changes(request: SignedInRequest, milestone_id: int) -> HttpResponse:
    contract_id = _milestone_contract(milestone_id)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    perform(
        request,
        lambda: milestone_services.milestone_request_changes(milestone_id=milestone_id, actor=request.user, note=note),
        _("You asked for changes."),
    )
    return redirect("marketplace:contract-detail", contract_id=contract_id)


@login_required
def milestone_deliver(request: SignedInRequest, milestone_id: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone.objects.select_related("contract"), pk=milestone_id)
    if milestone.contract.freelancer_id != request.user.pk:
        contract_of_party(contract_id=milestone.contract_id, user=request.user)
    form = DeliveryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if perform(
            request,
            lambda: milestone_services.milestone_submit(
                milestone_id=milestone_id, actor=request.user, message=data["message"], files=data["files"]
            ),
            _("Your work is delivered. The client has been told."),
            form,
        ):
            return redirect("marketplace:contract-detail", contract_id=milestone.contract_id)
    return render(request, "marketplace/milestone_deliver.html", {"milestone": milestone, "form": form})


@login_required
@require_GET
def delivery_file_download(request: SignedInRequest, file_id: int) -> HttpResponse:
    stored = get_object_or_404(DeliveryFile.objects.select_related("delivery__milestone__contract"), pk=file_id)
    contract = stored.delivery.milestone.contract
    if contract.party_of(request.user.pk) is None and not (
        can(request.user, "dispute.resolve") and hasattr(stored.delivery.milestone, "dispute")
    ):
        contract_of_party(contract_id=contract.pk, user=request.user)
    return file_download(stored.file, stored.name)


@login_required
@require_POST
def timesheet_submit(request: SignedInRequest, contract_id: int) -> HttpResponse:
    form = TimesheetForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        minutes = int((data["hours"] * 60).to_integral_value())
        perform(
            request,
            lambda: timesheet_services.timesheet_submit(
                contract_id=contract_id,
                actor=request.user,
                week_start=data["week_start"],
                minutes=minutes,
                description=data["description"],
            ),
            _("Your timesheet is sent to the client."),
        )
    else:
        perform(request, lambda: _raise_form(form), "")
    return redirect("marketplace:contract-detail", contract_id=contract_id)


@login_required
@require_POST
def timesheet_decide(request: SignedInRequest, timesheet_id: int, decision: str) -> HttpResponse:
    timesheet_id = int(timesheet_id)  # re_path passes strings
    from marketplace.models import Timesheet

    timesheet = get_object_or_404(Timesheet.objects.only("contract_id"), pk=timesheet_id)
    if decision == "approve":
        perform(
            request,
            lambda: timesheet_services.timesheet_approve(timesheet_id=timesheet_id, actor=request.user),
            _("The hours are approved. Pay them with the reference shown."),
        )
    else:
        form = NoteForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        perform(
            request,
            lambda: timesheet_services.timesheet_reject(timesheet_id=timesheet_id, actor=request.user, note=note),
            _("The timesheet is sent back."),
        )
    return redirect("marketplace:contract-detail", contract_id=timesheet.contract_id)


@login_required
def review_submit(request: SignedInRequest, contract_id: int) -> HttpResponse:
    """Write this side's review once; afterwards the page shows what was written instead of the form."""
    contract = contract_get_for(contract_id=contract_id, user=request.user)
    my_review = next((r for r in contract.reviews.all() if r.author_id == request.user.pk), None)
    if my_review is not None:
        # Until the other side reviews, the periodic reveal shows both once the first review is BLIND_DAYS old.
        reveals_at = my_review.created_at + timedelta(days=review_services.BLIND_DAYS)
        context = {"contract": contract, "my_review": my_review, "reveals_at": reveals_at}
        return render(request, "marketplace/review_form.html", context, status=200 if request.method == "GET" else 409)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = review_services.review_submit(
                contract_id=contract_id,
                actor=request.user,
                text=data["text"],
                rating_quality=data["rating_quality"],
                rating_communication=data["rating_communication"],
                rating_reliability=data["rating_reliability"],
            )
        except Forbidden:
            raise
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            # The second review reveals both inside the service, on rows other than the one returned.
            review.refresh_from_db(fields=["revealed_at"])
            if review.revealed_at is not None:
                messages.success(request, _("Thank you. Both of you have reviewed, so both reviews are now visible."))
            else:
                messages.success(
                    request, _("Thank you. Your review appears when the other side has reviewed too, or after 14 days.")
                )
            return redirect("marketplace:contract-detail", contract_id=contract_id)
    return render(request, "marketplace/review_form.html", {"contract": contract, "form": form})


@login_required
@require_POST
def review_respond(request: SignedInRequest, review_id: int) -> HttpResponse:
    from marketplace.models import Review

    review = get_object_or_404(Review.objects.only("contract_id"), pk=review_id)
    form = ResponseForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    perform(
        request,
        lambda: review_services.review_respond(review_id=review_id, actor=request.user, text=text),
        _("Your response is published."),
    )
    return redirect("marketplace:contract-detail", contract_id=review.contract_id)


# Every members' decision on the fee adds a version: the history comes a page at a time, the oldest reachable.
FEE_POLICIES_PER_PAGE = 50


@require_GET
def fee_policy_page(request: HttpRequest) -> HttpResponse:
    """The fee in force, its history, and where the fee goes: open books for everyone."""
    current = fee_policy_in_force()
    example = None
    if current is not None:
        amount = 100_000
        net, fee = escrow.fee_split_terms(
            amount_cents=amount,
            percent=Decimal(current.percent),
            min_cents=current.min_cents,
            max_cents=current.max_cents,
        )
        example = {
            "amount": Money(amount, current.currency),
            "net": Money(net, current.currency),
            "fee": Money(fee, current.currency),
        }
    return render(
        request,
        "marketplace/fees.html",
        {"current": current, "policies": paginate(request, fee_policies(), FEE_POLICIES_PER_PAGE), "example": example},
    )

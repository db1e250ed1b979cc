"""The freelancer's earnings page, its two forms, and the payer's payment instructions."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.exceptions import ApplicationError
from core.money import default_currency
from core.pagination import paged_lists
from core.permissions import can, verified_email_required
from payouts import selectors
from payouts.earnings import earnings_rows
from payouts.forms import PayoutAccountForm, WithdrawalForm
from payouts.ledger import freelancer_balances
from payouts.payments.providers import get_provider
from payouts.payments.withdrawals import payout_account_set, withdrawal_create
from payouts.views.common import add_error

PAGE_SIZE = 25
WITHDRAWALS_PER_PAGE = 10


def _earnings(
    request: HttpRequest,
    *,
    withdrawal_form: WithdrawalForm | None = None,
    account_form: PayoutAccountForm | None = None,
    status: int = 200,
    fix_url: str = "",
) -> HttpResponse:
    user = request.user
    account = selectors.payout_account_for(user.pk)
    if account_form is None:
        initial = {"holder_name": account.holder_name, "iban": account.iban, "bic": account.bic} if account else {}
        account_form = PayoutAccountForm(initial=initial)
    postings = selectors.earnings_postings(user.pk)
    # The history and the withdrawals each come a page at a time, each pager keeping the other's place.
    history = paged_lists(request, PAGE_SIZE, keep=["withdrawals"], page=postings)
    page = history["page"]
    balances = freelancer_balances(user.pk)
    context = {
        "balances": balances,
        "currency": default_currency(),
        **history,
        "history": earnings_rows(postings, list(page.object_list), page.start_index() - 1, user.pk, balances),
        **paged_lists(request, WITHDRAWALS_PER_PAGE, keep=["page"], withdrawals=selectors.user_withdrawals(user.pk)),
        "payout_account": account,
        "withdrawal_form": withdrawal_form or WithdrawalForm(),
        "account_form": account_form,
        "minimum_cents": settings.PAYOUTS_WITHDRAWAL_MIN_CENTS,
        # A refusal that names the page where it can be put right (DAC7 tax details) links to it.
        "fix_url": fix_url,
    }
    return render(request, "payouts/earnings.html", context, status=status)


@login_required
@require_GET
def earnings(request: HttpRequest) -> HttpResponse:
    return _earnings(request)


@verified_email_required
@require_POST
def withdrawal_request(request: HttpRequest) -> HttpResponse:
    form = WithdrawalForm(request.POST)
    fix_url = ""
    if form.is_valid():
        try:
            withdrawal_create(user=request.user, amount_cents=form.cleaned_data["amount"], actor=request.user)
        except ApplicationError as exc:
            add_error(form, exc)
            fix_url = str(exc.detail.get("url", ""))
        else:
            messages.success(request, _("Your withdrawal was requested. Finance pays withdrawals out in batches."))
            return redirect("payouts:earnings")
    return _earnings(request, withdrawal_form=form, status=400, fix_url=fix_url)


@verified_email_required
@require_POST
def payout_account(request: HttpRequest) -> HttpResponse:
    form = PayoutAccountForm(request.POST)
    if form.is_valid():
        try:
            payout_account_set(user=request.user, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_error(form, exc)
        else:
            messages.success(request, _("Your payout account was saved."))
            return redirect("payouts:earnings")
    return _earnings(request, account_form=form, status=400)


@login_required
@require_GET
def payment_request(request: HttpRequest, reference: str) -> HttpResponse:
    """Show the payer how to pay a request (the bank details and the reference to quote)."""
    found = selectors.payment_request_for(reference)
    if found is None:
        raise Http404
    if not can(request.user, "payment_request.view", found):
        raise PermissionDenied
    try:
        instructions = get_provider(found.provider).payment_instructions(found)
    except ApplicationError:
        instructions = None
    return render(request, "payouts/payment_request.html", {"payment_request": found, "instructions": instructions})

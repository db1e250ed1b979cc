"""The admin's pages: the cycle list, a cycle with its progress, chart and statements, earnings payouts."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from core.exceptions import ApplicationError, Forbidden
from core.pagination import paged_lists
from core.permissions import page_permission
from payouts.cycles import selectors, services
from payouts.cycles.exceptions import ErrorCode
from payouts.cycles.forms import ApproveForm, CycleOpenForm
from payouts.cycles.views.common import add_error, cycles_staff_required

STATEMENTS_PER_PAGE = 50
# The cycle list and the earnings payouts grow every period: a page at a time, the oldest still reachable.
CYCLES_PER_PAGE = 50
RUNS_PER_PAGE = 50


@cycles_staff_required
@require_http_methods(["GET", "POST"])
def cycle_list(request: HttpRequest) -> HttpResponse:
    form = CycleOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_open(
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                actor=request.user,
            )
        except Forbidden:
            raise
        except ApplicationError as error:
            add_error(form, error)
        else:
            messages.success(request, _("The cycle is open. Compute it when you are ready."))
            return redirect("payout_cycles:cycle_detail", cycle_id=cycle.pk)
    context = {
        **paged_lists(request, CYCLES_PER_PAGE, cycles=selectors.cycle_list()),
        "form": form,
        "policy": services.surplus_policy_current(),
    }
    return render(request, "payout_cycles/cycle_list.html", context, status=400 if form.errors else 200)


def _cycle_or_404(cycle_id: int):
    cycle = selectors.cycle_detail(cycle_id)
    if cycle is None:
        raise Http404
    return cycle


@cycles_staff_required
def cycle_detail(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle_or_404(cycle_id)
    page = Paginator(selectors.cycle_allocations(cycle), STATEMENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "cycle": cycle,
        "bars": selectors.distribution(cycle),
        "page": page,
        "approve_form": ApproveForm(initial={"allocation_hash": cycle.allocation_hash}),
    }
    # Four eyes: nobody is offered a step they would be refused; they are told who must take it.
    computer = services.computed_by(cycle) if cycle.status == "computed" else None
    context["computed_by_me"] = computer is not None and computer.pk == request.user.pk
    context["approved_by_me"] = cycle.status == "approved" and cycle.approved_by_id == request.user.pk
    if context["computed_by_me"] and not cycle.policy.requires_member_vote:
        context["four_eyes"] = _("You computed this allocation: someone else from the board approves it.")
    elif context["approved_by_me"]:
        context["four_eyes"] = _("You approved this allocation: someone else from finance pays it out.")
    return render(request, "payout_cycles/cycle_detail.html", context)


@cycles_staff_required
def cycle_progress(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = _cycle_or_404(cycle_id)
    response = render(request, "payout_cycles/_progress.html", {"cycle": cycle})
    if request.htmx and not cycle.is_running:
        # The work is over: reload the page so its totals, statements and actions show.
        response["HX-Refresh"] = "true"
    return response


ACTIONS = {
    "compute": (services.cycle_compute_start, gettext_lazy("Computing the cycle.")),
    "vote": (services.cycle_vote_request, gettext_lazy("The allocation is put to the members as a proposal.")),
    "execute": (services.cycle_execute_start, gettext_lazy("Paying the cycle out.")),
}


# The steps that move or commit money: each first shows a confirmation page with the totals.
# Lazy: these are read per request, in the reader's language.
CONFIRM = {
    "approve": (
        gettext_lazy("Approve this allocation"),
        gettext_lazy("Approve the allocation"),
        gettext_lazy(
            "Approving fixes what each member receives. Someone other than the person who computed it approves it."
        ),
    ),
    "vote": (
        gettext_lazy("Put this allocation to the members' vote"),
        gettext_lazy("Put to the members' vote"),
        gettext_lazy("The members decide on exactly this allocation; it is paid only if they approve it."),
    ),
    "execute": (
        gettext_lazy("Pay this cycle out"),
        gettext_lazy("Pay out now"),
        gettext_lazy(
            "Paying out books the retained parts as members' capital and pays the cash parts. "
            "Someone other than the person who approved it pays it out."
        ),
    ),
}


def _confirm(request: HttpRequest, cycle, action: str) -> HttpResponse:
    title, button, explanation = CONFIRM[action]
    context = {
        "cycle": cycle,
        "action": action,
        "title": title,
        "button": button,
        "explanation": explanation,
        "totals": selectors.allocation_totals(cycle),
        "computed_by": services.computed_by(cycle),
        "approve_form": ApproveForm(initial={"allocation_hash": cycle.allocation_hash}),
    }
    return render(request, "payout_cycles/cycle_confirm.html", context)


@cycles_staff_required
@require_http_methods(["GET", "POST"])
def cycle_action(request: HttpRequest, cycle_id: int, action: str) -> HttpResponse:
    cycle = _cycle_or_404(cycle_id)
    if request.method == "GET":
        if action not in CONFIRM:
            raise Http404
        ready = {
            "approve": cycle.status == "computed",
            "vote": cycle.status == "computed" and not cycle.approval_proposal_id,
            "execute": cycle.status == "approved" or (cycle.status == "failed" and cycle.failed_from == "executing"),
        }
        if not ready[action]:
            # A stale link (another person took this step meanwhile): back to the cycle as it is now.
            return redirect("payout_cycles:cycle_detail", cycle_id=cycle_id)
        return _confirm(request, cycle, action)
    try:
        if action == "approve":
            form = ApproveForm(request.POST)
            if not form.is_valid():
                raise ApplicationError(_("The allocation hash is missing."), code=ErrorCode.ALLOCATION_HASH_MISSING)
            services.cycle_approve(
                cycle_id=cycle_id, allocation_hash=form.cleaned_data["allocation_hash"], actor=request.user
            )
            done = _("The allocation is approved.")
        elif action in ACTIONS:
            service, done = ACTIONS[action]
            service(cycle_id=cycle_id, actor=request.user)
        else:
            raise Http404
    except Forbidden:
        raise  # the permission table's refusal (finance approving, say): a 403 page
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, str(done))
    return redirect("payout_cycles:cycle_detail", cycle_id=cycle_id)


@cycles_staff_required
def cycle_statement(request: HttpRequest, cycle_id: int, member_id: int) -> HttpResponse:
    cycle = _cycle_or_404(cycle_id)
    row = selectors.cycle_allocations(cycle).filter(member_id=member_id).first()
    if row is None:
        raise Http404
    return render(request, "payout_cycles/statement.html", selectors.statement_context(row))


@page_permission("earnings_payout.run")
@require_http_methods(["GET", "POST"])
def earnings(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            run = services.earnings_payout_run(actor=request.user)
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            count = run.paid_count
            messages.success(
                request,
                ngettext(
                    "%(count)d freelancer is in the payment batch.",
                    "%(count)d freelancers are in the payment batch.",
                    count,
                )
                % {"count": count},
            )
        return redirect("payout_cycles:earnings")
    return render(
        request, "payout_cycles/earnings.html", paged_lists(request, RUNS_PER_PAGE, runs=selectors.earnings_payouts())
    )

"""The member's pages: their profit shares, each statement as a written notice, and past cycles."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from core.pagination import paged_lists
from core.permissions import authorize, can
from payouts.cycles import selectors

PER_PAGE = 50


@login_required
def my_cycles(request: HttpRequest) -> HttpResponse:
    """The person's statements and, for members, the coop's past cycles; 403 (with a way to apply) for others.

    Someone who has left sees the statements of their membership but no longer the coop's figures.
    """
    members_view = can(request.user, "surplus_policy.view")
    if not members_view:
        authorize(request.user, "profit_shares.view", request.user)
    # One statement a period, and the coop's cycles with them: a page at a time, each pager keeping the
    # other's place, so the oldest stay reachable.
    context = {
        **paged_lists(
            request,
            PER_PAGE,
            allocations=selectors.my_allocations(request.user),
            cycles=selectors.past_cycles() if members_view else selectors.past_cycles().none(),
        ),
        "members_view": members_view,
    }
    return render(request, "payout_cycles/my_cycles.html", context)


@login_required
def my_statement(request: HttpRequest, cycle_id: int) -> HttpResponse:
    row = selectors.member_statement(cycle_id=cycle_id, user=request.user)
    if row is None:
        raise Http404
    return render(request, "payout_cycles/statement.html", selectors.statement_context(row))

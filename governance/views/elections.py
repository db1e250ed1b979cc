"""Election pages: list, call (board), nominate, vote by ranking, results by round, BLT export."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.exceptions import ApplicationError, Forbidden
from core.pagination import paged_lists
from core.permissions import can, verified_email_required
from governance import results, selectors
from governance.forms import ElectionForm, NominationForm
from governance.models import Ballot, Election, RuleSet
from governance.services.elections import candidate_nominate, candidate_withdraw, election_create, election_vote_cast
from governance.views.common import SignedInRequest, add_error
from membership.models import Member

ELECTIONS_PER_PAGE = 20
CANDIDATES_PER_PAGE = 20


@require_GET
def election_list(request: HttpRequest) -> HttpResponse:
    rules = RuleSet.objects.filter(key="election").order_by("-version").first()
    ballots_public = rules is not None and rules.visitors_see == RuleSet.VisitorsSee.COUNTS_AFTER_CLOSE
    context = paged_lists(request, ELECTIONS_PER_PAGE, elections=selectors.election_list())
    return render(request, "governance/election_list.html", {**context, "ballots_public": ballots_public})


@login_required
@require_http_methods(["GET", "POST"])
def election_new(request: SignedInRequest) -> HttpResponse:
    if not can(request.user, "election.call"):
        raise Http404
    form = ElectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            election = election_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            add_error(form, error)
        else:
            messages.success(request, _("The election is called. Nominations are open."))
            return redirect(election)
    return render(request, "governance/election_form.html", {"form": form})


@require_GET
def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        election = selectors.election_detail(election_id=pk)
    except Election.DoesNotExist:
        raise Http404 from None
    member = selectors.member_of(request.user)
    view, disclosure = selectors.ballot_view_for(ballot=election.ballot, user=request.user)
    # The ballot offers every standing candidate and the count names them all; the statements, which
    # grow with every nomination, come a page at a time.
    candidates = list(election.candidates.all())
    standing = [c for c in candidates if not c.withdrawn]
    closed = election.ballot.status == Ballot.Status.CLOSED
    result = getattr(election.ballot, "result", None) if closed and disclosure.counts else None
    count = result.details.get("election") if result else None
    explained = results.election_result_text(election=election, result=result, candidates=candidates) if count else None
    return render(
        request,
        "governance/election_detail.html",
        {
            "election": election,
            "ballot": election.ballot,
            "view": view,
            **paged_lists(request, CANDIDATES_PER_PAGE, candidates=selectors.election_candidates(election=election)),
            "standing": standing,
            "rank_range": range(1, len(standing) + 1),
            "my_candidacy": next((c for c in candidates if member and c.member_id == member.pk), None),
            "nomination_form": NominationForm(),
            # Only active members may stand: others are told so instead of meeting a refusal.
            "may_stand": member is not None and member.status == Member.Status.ACTIVE,
            "result": result,
            "count": explained,
            "is_approval": election.method == Election.Method.APPROVAL,
            # The ballot file follows the rules' "what visitors see" (election_blt): members only by default.
            "ballots_public": election.ballot.ruleset.visitors_see == RuleSet.VisitorsSee.COUNTS_AFTER_CLOSE,
        },
    )


def _back(request: HttpRequest, pk: int, action: Callable[[], object], success: str) -> HttpResponse:
    election = get_object_or_404(Election, pk=pk)
    try:
        action()
    except Forbidden:
        raise  # the permission table's refusal: a 403 page, not a message
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(election)


@verified_email_required
@require_POST
def nominate_view(request: SignedInRequest, pk: int) -> HttpResponse:
    form = NominationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a short statement for the members."))
        return redirect("governance:election_detail", pk=pk)
    return _back(
        request,
        pk,
        lambda: candidate_nominate(election_id=pk, actor=request.user, statement=form.cleaned_data["statement"]),
        _("You are standing for election."),
    )


@verified_email_required
@require_POST
def withdraw_view(request: SignedInRequest, pk: int) -> HttpResponse:
    return _back(
        request, pk, lambda: candidate_withdraw(election_id=pk, actor=request.user), _("Your candidacy is withdrawn.")
    )


def ranking_from_post(request: HttpRequest, *, approval: bool) -> list[int]:
    """Read the ballot form: a rank per candidate ("rank-<id>"), or ticked boxes ("approve")."""
    if approval:
        return [int(v) for v in request.POST.getlist("approve") if v.isdigit()]
    ranks: list[tuple[int, int]] = []
    for name, value in request.POST.items():
        if name.startswith("rank-") and name[5:].isdigit() and value.strip().isdigit():
            ranks.append((int(value), int(name[5:])))
    positions = [rank for rank, _pk in ranks]
    if len(set(positions)) != len(positions):
        return [-1]
    return [pk for _rank, pk in sorted(ranks)]


@verified_email_required
@require_POST
def election_vote_view(request: SignedInRequest, pk: int) -> HttpResponse:
    election = get_object_or_404(Election, pk=pk)
    ranking = ranking_from_post(request, approval=election.method == Election.Method.APPROVAL)
    if ranking == [-1]:
        messages.error(request, _("Give each candidate a different rank."))
        return redirect(election)
    return _back(
        request,
        pk,
        lambda: election_vote_cast(election_id=pk, actor=request.user, ranking=ranking),
        _("Your ballot is in. It is stored without your name."),
    )


@require_GET
def election_blt(request: HttpRequest, pk: int) -> HttpResponse:
    election = get_object_or_404(Election.objects.select_related("ballot"), pk=pk)
    if election.ballot.status != Ballot.Status.CLOSED:
        raise Http404
    if not selectors.ballot_disclosure(ballot=election.ballot, user=request.user).counts:
        raise PermissionDenied(_("The rules show the ballots of an election to members only."))
    response = HttpResponse(selectors.election_blt(election=election), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="election-{election.pk}.blt"'
    return response

"""Proposal pages: list, propose, discuss and amend, vote, result and minutes."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.decisions import DecisionType, decision_type
from core.exceptions import ApplicationError, Forbidden
from core.permissions import authorize, verified_email_required
from governance import selectors
from governance.builtin import BYLAW_AMENDMENT, bylaw_diff
from governance.forms import (
    AmendForm,
    CommentForm,
    DecisionTypeForm,
    ProposalForm,
    ProxyForm,
    PublishForm,
    VoteForm,
)
from governance.models import Proposal, Vote
from governance.services.execution import decision_execute
from governance.services.proposals import (
    held_by,
    proposal_amend,
    proposal_comment,
    proposal_create,
    proposal_publish,
    proposal_withdraw,
)
from governance.services.rules import ruleset_current
from governance.services.votes import proxy_appoint, proxy_revoke, vote_cast
from governance.views.common import SignedInRequest, add_error
from membership.models import Member

LIST_FILTERS = ("active", "decided", "all")
LIST_PAGE_SIZE = 20
# A decision page shows named votes and comments a page at a time.
VOTES_PER_PAGE = 50
COMMENTS_PER_PAGE = 50
# The states in which a decision's page says what holds it (the words change once it is withdrawn).
HELD_SHOWN = {Proposal.Status.DRAFT, Proposal.Status.DISCUSSION, Proposal.Status.VOTING, Proposal.Status.WITHDRAWN}


@require_GET
def proposal_list(request: HttpRequest) -> HttpResponse:
    current = request.GET.get("show", "active")
    if current not in LIST_FILTERS:
        current = "active"
    # A page of decisions at a time, so the list costs the same few queries however many there are.
    page = Paginator(selectors.proposal_list(status=None if current == "all" else current), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    drafts = list(selectors.proposal_drafts_of(user=request.user)) if request.user.is_authenticated else []
    return render(
        request,
        "governance/proposal_list.html",
        {
            "proposals": page.object_list,
            "page": page,
            "query": urlencode({"show": current}),
            "drafts": drafts,
            "current": current,
            "filters": LIST_FILTERS,
        },
    )


def _earliest_close_date(decision: DecisionType) -> date:
    """The first day a decision of this type could take effect: after its notice and voting windows."""
    ruleset = ruleset_current(key=decision.rules_key)
    close = timezone.now() + timedelta(days=ruleset.notice_days + ruleset.voting_days)
    return timezone.localdate(close) + timedelta(days=1)


def _chosen_type(key: str) -> DecisionType | None:
    try:
        return decision_type(key) if key else None
    except ApplicationError:
        return None


@verified_email_required
@require_http_methods(["GET", "POST"])
def proposal_new(request: SignedInRequest) -> HttpResponse:
    # A non-member meets the refusal (a 403 with a way to apply) before a form they could not submit.
    authorize(request.user, "motion.create")
    key = request.POST.get("decision_key", "") if request.method == "POST" else request.GET.get("type", "")
    decision = _chosen_type(key)
    type_form = DecisionTypeForm(initial={"type": decision.key if decision else ""})
    if decision is None:
        if request.method == "POST":
            messages.error(request, _("Choose what kind of decision you propose."))
        return render(request, "governance/proposal_form.html", {"type_form": type_form, "form": None})
    form = ProposalForm(
        request.POST or None,
        decision=decision,
        earliest_date=_earliest_close_date(decision),
        initial={"title": request.GET.get("title", "")},
    )
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        try:
            proposal = proposal_create(
                decision_key=decision.key,
                payload=form.cleaned_data["payload"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                author=request.user,
                actor=request.user,
            )
        except Forbidden:
            raise
        except ApplicationError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Your draft is saved. Publish it when it is ready for discussion."))
            return redirect(proposal)
    return _render_form(
        request,
        "governance/proposal_form.html",
        {
            "type_form": type_form,
            "form": form,
            "decision": decision,
            "preview": _preview(decision, form),
            "live_preview": decision.preview is not None,
        },
    )


def _preview(decision: DecisionType, form: ProposalForm | AmendForm) -> dict[str, Any] | None:
    """The decision in words, and what it would do where its type shows that (the surplus policy's
    allocation on last year's figures), when the member asked for a preview and its inputs are valid."""
    if not form.is_bound or "preview" not in form.data:
        return None
    form.is_valid()
    payload = form.cleaned_data.get("payload")
    if payload is None:
        return {"words": "", "html": ""}
    return {
        "words": decision.describe(payload),
        "html": mark_safe(decision.preview(payload)) if decision.preview else "",  # noqa: S308 - the app's template
    }


def _render_form(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """The form page, or only its preview when the page's script asks for it as the member types."""
    if request.method == "POST" and request.headers.get("X-Decision-Preview") == "1":
        return render(request, "governance/includes/decision_preview.html", context)
    return render(request, template, context)


def _detail_context(request: HttpRequest, proposal: Proposal) -> dict:
    member = selectors.member_of(request.user)
    ballot = proposal.ballot
    view, disclosure = selectors.ballot_view_for(ballot=ballot, user=request.user) if ballot else (None, None)
    dtype = decision_type(proposal.decision_key)
    urgent_offer = selectors.urgent_procedure_offer(proposal=proposal, user=request.user) if ballot is None else None
    return {
        "proposal": proposal,
        "decision": dtype,
        "description": dtype.describe(proposal.payload),
        "bylaw_diff": bylaw_diff(proposal.payload) if proposal.decision_key == BYLAW_AMENDMENT else None,
        "ballot": ballot,
        "view": view,
        "rules": ballot.ruleset if ballot else None,
        "result": getattr(ballot, "result", None)
        if ballot and disclosure and disclosure.counts and ballot.status == "closed"
        else None,
        "execution": getattr(proposal, "execution", None),
        "adopted_rules": getattr(proposal, "adopted_rules", None),
        # Named votes and the discussion grow with the membership: a page of each, each pager keeping
        # the other's place (issue 18).
        "open_votes": Paginator(
            selectors.open_votes_for(ballot=ballot, user=request.user)
            if ballot and view and view.counts is not None
            else Vote.objects.none(),
            VOTES_PER_PAGE,
        ).get_page(request.GET.get("votes")),
        "votes_query": urlencode({"comments": request.GET["comments"]}) if request.GET.get("comments") else "",
        "comments": Paginator(selectors.proposal_comments(proposal=proposal), COMMENTS_PER_PAGE).get_page(
            request.GET.get("comments")
        ),
        "comments_query": urlencode({"votes": request.GET["votes"]}) if request.GET.get("votes") else "",
        "vote_form": VoteForm(initial={"choice": view.my_vote.choice if view and view.my_vote else None}),
        "comment_form": CommentForm(),
        "proxy_form": ProxyForm(),
        "is_author": request.user.is_authenticated and proposal.author_id == request.user.pk,
        # A decision the platform opened for something waiting on it: not its author's to amend or withdraw.
        "held_by": held_by(proposal) if proposal.status in HELD_SHOWN else None,
        "member": member,
        "urgent_offer": urgent_offer,
        "publish_form": PublishForm(ruleset=urgent_offer),
    }


def _visible(request: HttpRequest, pk: int) -> Proposal:
    """Return the proposal if the reader may know it exists: someone else's draft is a 404, as no such id."""
    return get_object_or_404(selectors.proposals_visible_to(user=request.user), pk=pk)


@require_GET
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        proposal = selectors.proposal_detail(proposal_id=pk, viewer=request.user)
    except Proposal.DoesNotExist:
        raise Http404 from None
    return render(request, "governance/proposal_detail.html", _detail_context(request, proposal))


def _act(request: HttpRequest, proposal: Proposal, action: Callable[[], object], success: str) -> HttpResponse:
    """Run a service on a proposal; a refusal (a wrong state, say) becomes a message and changes nothing."""
    try:
        action()
    except Forbidden:
        raise  # the permission table's refusal: a 403 page, not a message
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(proposal)


@verified_email_required
@require_POST
def proposal_publish_view(request: SignedInRequest, pk: int) -> HttpResponse:
    proposal = _visible(request, pk)
    form = PublishForm(request.POST)
    urgent = form.is_valid() and form.cleaned_data["urgent"]
    return _act(
        request,
        proposal,
        lambda: proposal_publish(proposal_id=pk, actor=request.user, urgent=urgent),
        _("The proposal is open for discussion. Voting opens after the notice period."),
    )


@verified_email_required
@require_POST
def proposal_withdraw_view(request: SignedInRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        _visible(request, pk),
        lambda: proposal_withdraw(proposal_id=pk, actor=request.user),
        _("Proposal withdrawn."),
    )


@verified_email_required
@require_http_methods(["GET", "POST"])
def proposal_amend_view(request: SignedInRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal, pk=pk, author=request.user)
    held = held_by(proposal)
    if held:
        messages.error(request, held)
        return redirect(proposal)
    decision = decision_type(proposal.decision_key)
    form = AmendForm(
        request.POST or None,
        decision=decision,
        payload=proposal.payload,
        earliest_date=_earliest_close_date(decision),
        initial={"title": proposal.title, "body": proposal.body},
    )
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        try:
            proposal_amend(
                proposal_id=pk,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                payload=form.cleaned_data["payload"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ApplicationError as error:
            add_error(form, error)
        else:
            messages.success(request, _("Amendment saved. Members see every version."))
            return redirect(proposal)
    return _render_form(
        request,
        "governance/proposal_amend.html",
        {
            "form": form,
            "proposal": proposal,
            "decision": decision,
            "preview": _preview(decision, form),
            "live_preview": decision.preview is not None,
        },
    )


@verified_email_required
@require_POST
def proposal_comment_view(request: SignedInRequest, pk: int) -> HttpResponse:
    proposal = _visible(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write something before posting."))
        return redirect(proposal)
    return _act(
        request,
        proposal,
        lambda: proposal_comment(proposal_id=pk, body=form.cleaned_data["body"], actor=request.user),
        _("Comment posted."),
    )


@verified_email_required
@require_POST
def vote_view(request: SignedInRequest, pk: int) -> HttpResponse:
    proposal = _visible(request, pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose yes, no or abstain."))
        return redirect(proposal)
    return _act(
        request,
        proposal,
        lambda: vote_cast(
            ballot_id=proposal.ballot_id,
            actor=request.user,
            choice=form.cleaned_data["choice"],
            reason=form.cleaned_data["reason"],
            on_behalf_of=form.cleaned_data["on_behalf_of"],
        ),
        _("Your vote is recorded."),
    )


@verified_email_required
@require_POST
def proxy_appoint_view(request: SignedInRequest, pk: int) -> HttpResponse:
    proposal = _visible(request, pk)
    form = ProxyForm(request.POST)
    holder = None
    if form.is_valid():
        holder = Member.objects.filter(member_number=form.cleaned_data["holder_member_number"]).first()
    if holder is None:
        messages.error(request, _("Only an active member can be a proxy."))
        return redirect(proposal)
    return _act(
        request,
        proposal,
        lambda: proxy_appoint(ballot_id=proposal.ballot_id, actor=request.user, holder_member_id=holder.pk),
        _("Your proxy is appointed. Your own vote, if you cast one, replaces theirs."),
    )


@verified_email_required
@require_POST
def proxy_revoke_view(request: SignedInRequest, pk: int) -> HttpResponse:
    proposal = _visible(request, pk)
    return _act(
        request,
        proposal,
        lambda: proxy_revoke(ballot_id=proposal.ballot_id, actor=request.user),
        _("Proxy withdrawn."),
    )


@login_required
@require_POST
def execution_retry_view(request: SignedInRequest, pk: int) -> HttpResponse:
    proposal = _visible(request, pk)
    authorize(request.user, "motion.execute")
    return _act(request, proposal, lambda: decision_execute(proposal_id=pk, actor=request.user), _("Tried again."))


@require_GET
def proposal_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(
        selectors.proposals_visible_to(user=request.user).select_related(
            "ballot__result", "ballot__ruleset", "author", "execution"
        ),
        pk=pk,
    )
    result = getattr(proposal.ballot, "result", None) if proposal.ballot_id else None
    if result is None:
        raise Http404
    return render(
        request,
        "governance/minutes.html",
        {
            "proposal": proposal,
            "result": result,
            "rules": proposal.ballot.ruleset,
            "decision": decision_type(proposal.decision_key),
        },
    )

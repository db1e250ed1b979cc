from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.money import cents_to_major, prorate
from core.permissions import authorize, can
from marketplace.forms import DisputeForm, DisputeResponseForm, EvidenceForm, MediatorAppointForm, ResolveForm
from marketplace.models import DisputeEvidence, Mediator, Milestone
from marketplace.selectors.contracts import contract_of_party, dispute_get_for
from marketplace.selectors.mediators import disputes_for_mediator, mediators_active, user_may_decide, user_mediates
from marketplace.services import disputes as dispute_services
from marketplace.services import mediators as mediator_services
from marketplace.views._helpers import SignedInRequest, file_download, paginate, perform


@login_required
def dispute_open(request: SignedInRequest, milestone_id: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone, pk=milestone_id)
    contract = contract_of_party(contract_id=milestone.contract_id, user=request.user)
    form = DisputeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        opened = []
        if perform(
            request,
            lambda: opened.append(
                dispute_services.dispute_open(
                    milestone_id=milestone_id,
                    actor=request.user,
                    reason=data["reason"],
                    statement=data["statement"],
                    files=data["files"],
                )
            ),
            _("The dispute is open. The other side has been asked to respond."),
            form,
        ):
            return redirect("marketplace:dispute-detail", dispute_id=opened[0].pk)
    return render(
        request, "marketplace/dispute_open.html", {"milestone": milestone, "contract": contract, "form": form}
    )


@login_required
@require_GET
def dispute_detail(request: SignedInRequest, dispute_id: int) -> HttpResponse:
    dispute = dispute_get_for(dispute_id=dispute_id, user=request.user)
    contract = dispute.milestone.contract
    half = prorate(dispute.milestone.amount_cents, 1, 2)
    return render(
        request,
        "marketplace/dispute_detail.html",
        {
            "dispute": dispute,
            "contract": contract,
            "party": contract.party_of(request.user.pk),
            "is_respondent": contract.party_of(request.user.pk) is not None and request.user.pk != dispute.opened_by_id,
            "is_mediator": user_may_decide(user=request.user, contract=contract),
            "response_form": DisputeResponseForm(),
            "evidence_form": EvidenceForm(),
            # The suggested split is half each; an odd cent stays with the client who paid.
            "resolve_form": ResolveForm(initial={"release": cents_to_major(half, contract.currency)}),
        },
    )


@login_required
@require_POST
def dispute_respond(request: SignedInRequest, dispute_id: int) -> HttpResponse:
    form = DisputeResponseForm(request.POST, request.FILES)
    response = form.cleaned_data["response"] if form.is_valid() else ""
    files = form.cleaned_data.get("files", []) if form.is_valid() else []
    perform(
        request,
        lambda: dispute_services.dispute_respond(
            dispute_id=dispute_id, actor=request.user, response=response, files=files
        ),
        _("Your response is recorded. A mediator will decide."),
    )
    return redirect("marketplace:dispute-detail", dispute_id=dispute_id)


@login_required
@require_POST
def dispute_evidence(request: SignedInRequest, dispute_id: int) -> HttpResponse:
    form = EvidenceForm(request.POST, request.FILES)
    files = form.cleaned_data.get("files", []) if form.is_valid() else []
    perform(
        request,
        lambda: dispute_services.dispute_evidence_add(dispute_id=dispute_id, actor=request.user, files=files),
        _("The evidence is added."),
    )
    return redirect("marketplace:dispute-detail", dispute_id=dispute_id)


@login_required
@require_POST
def dispute_resolve(request: SignedInRequest, dispute_id: int) -> HttpResponse:
    if not user_mediates(user=request.user):
        raise PermissionDenied
    form = ResolveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        perform(
            request,
            lambda: dispute_services.dispute_resolve(
                dispute_id=dispute_id, actor=request.user, release_cents=data["release"], decision=data["decision"]
            ),
            _("The dispute is decided and the money is split."),
        )
    else:
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        perform(request, lambda: _fail(errors), "")
    return redirect("marketplace:dispute-detail", dispute_id=dispute_id)


def _fail(message: str) -> None:
    from core.exceptions import ApplicationError
    from core.exceptions import ErrorCode as CoreErrorCode

    raise ApplicationError(message, code=CoreErrorCode.INVALID)


@login_required
@require_GET
def evidence_download(request: SignedInRequest, evidence_id: int) -> HttpResponse:
    evidence = get_object_or_404(DisputeEvidence, pk=evidence_id)
    dispute_get_for(dispute_id=evidence.dispute_id, user=request.user)
    return file_download(evidence.file, evidence.name)


@login_required
@require_GET
def mediation(request: SignedInRequest) -> HttpResponse:
    if not user_mediates(user=request.user):
        raise PermissionDenied
    board = can(request.user, "mediator.appoint")
    return render(
        request,
        "marketplace/mediation.html",
        {
            "page": paginate(request, disputes_for_mediator(user=request.user)),
            "is_board": board,
            "mediators": list(mediators_active()) if board else [],
            "appoint_form": MediatorAppointForm() if board else None,
        },
    )


@login_required
@require_POST
def mediator_appoint(request: SignedInRequest) -> HttpResponse:
    """The board appoints a member as mediator directly."""
    authorize(request.user, "mediator.appoint")
    form = MediatorAppointForm(request.POST)
    user = get_user_model().objects.filter(pk=form.cleaned_data["user_id"]).first() if form.is_valid() else None
    if user is None:
        perform(request, lambda: _fail(_("Name a member by their user number.")), "")
    else:
        perform(
            request,
            lambda: mediator_services.mediator_appoint(user=user, actor=request.user, source=Mediator.Source.BOARD),
            _("The member is appointed as mediator."),
        )
    return redirect("marketplace:mediation")


@login_required
@require_POST
def mediator_end(request: SignedInRequest, user_id: int) -> HttpResponse:
    """The board ends a mediator's appointment."""
    authorize(request.user, "mediator.end")
    user = get_object_or_404(get_user_model(), pk=user_id)
    perform(
        request,
        lambda: mediator_services.mediator_end(user=user, actor=request.user, source=Mediator.Source.BOARD),
        _("The mediator's appointment has ended."),
    )
    return redirect("marketplace:mediation")

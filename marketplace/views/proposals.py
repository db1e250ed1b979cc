from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core.money import cents_to_major
from core.permissions import verified_email_required
from marketplace.forms import ProposalForm, ReviseForm
from marketplace.models import Contract, Proposal
from marketplace.selectors.jobs import job_get_for, proposal_get_for, proposal_of, proposals_of_freelancer
from marketplace.services import proposals as proposal_services
from marketplace.views._helpers import SignedInRequest, paginate, perform


def plan_for_page(proposal: Proposal) -> list[dict[str, Any]]:
    """The stored plan with its due dates as dates, for the page to show in the reader's style."""
    return [
        {**item, "due_date": date.fromisoformat(item["due_date"]) if item.get("due_date") else None}
        for item in proposal.milestone_plan
    ]


@verified_email_required
def proposal_create(request: SignedInRequest, job_id: int) -> HttpResponse:
    job = job_get_for(job_id=job_id, user=request.user)
    existing = proposal_of(job=job, user=request.user)
    if existing is not None:
        return redirect("marketplace:proposal-detail", proposal_id=existing.pk)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sent = []

        def submit() -> None:
            sent.append(
                proposal_services.proposal_submit(
                    job_id=job.pk,
                    freelancer=request.user,
                    cover_letter=data["cover_letter"],
                    amount_cents=data["amount"],
                    duration_days=data["duration_days"],
                    milestone_plan=data["milestone_plan"],
                )
            )

        if perform(request, submit, _("Your proposal is sent."), form):
            return redirect("marketplace:proposal-detail", proposal_id=sent[0].pk)
    return render(request, "marketplace/proposal_form.html", {"form": form, "job": job})


@login_required
@require_GET
def proposal_detail(request: SignedInRequest, proposal_id: int) -> HttpResponse:
    proposal = proposal_get_for(proposal_id=proposal_id, user=request.user)
    contract = Contract.objects.filter(proposal=proposal).only("pk").first()
    revise_form = ReviseForm(
        initial={
            "amount": cents_to_major(proposal.amount_cents, proposal.currency),
            "duration_days": proposal.duration_days,
        },
        plan=proposal.milestone_plan,
    )
    return render(
        request,
        "marketplace/proposal_detail.html",
        {
            "proposal": proposal,
            "job": proposal.job,
            "is_client": request.user.pk == proposal.job.client_id,
            "is_freelancer": request.user.pk == proposal.freelancer_id,
            "contract": contract,
            "revise_form": revise_form,
            "plan": plan_for_page(proposal),
        },
    )


@login_required
@require_POST
def proposal_revise(request: SignedInRequest, proposal_id: int) -> HttpResponse:
    form = ReviseForm(request.POST)
    if not form.is_valid():
        proposal = proposal_get_for(proposal_id=proposal_id, user=request.user)
        return render(
            request,
            "marketplace/proposal_detail.html",
            {
                "proposal": proposal,
                "job": proposal.job,
                "is_client": request.user.pk == proposal.job.client_id,
                "is_freelancer": request.user.pk == proposal.freelancer_id,
                "revise_form": form,
                "plan": plan_for_page(proposal),
            },
            status=400,
        )
    data = form.cleaned_data
    perform(
        request,
        lambda: proposal_services.proposal_revise(
            proposal_id=proposal_id,
            actor=request.user,
            amount_cents=data["amount"],
            duration_days=data["duration_days"],
            milestone_plan=data["milestone_plan"],
            note=data["note"],
        ),
        _("The new terms are on the table."),
    )
    return redirect("marketplace:proposal-detail", proposal_id=proposal_id)


PROPOSAL_ACTIONS = {
    "withdraw": (proposal_services.proposal_withdraw, gettext_lazy("Your proposal is withdrawn.")),
    "shortlist": (proposal_services.proposal_shortlist, gettext_lazy("The proposal is on your shortlist.")),
    "decline": (proposal_services.proposal_decline, gettext_lazy("The proposal is declined.")),
    "agree": (proposal_services.proposal_agree, gettext_lazy("You agreed to the counter-offer.")),
}


@login_required
@require_POST
def proposal_action(request: SignedInRequest, proposal_id: int, action: str) -> HttpResponse:
    proposal_id = int(proposal_id)  # re_path passes strings
    service, success = PROPOSAL_ACTIONS[action]
    perform(request, lambda: service(proposal_id=proposal_id, actor=request.user), str(success))
    return redirect("marketplace:proposal-detail", proposal_id=proposal_id)


@login_required
@require_POST
def proposal_accept(request: SignedInRequest, proposal_id: int) -> HttpResponse:
    started = []
    if perform(
        request,
        lambda: started.append(proposal_services.proposal_accept(proposal_id=proposal_id, actor=request.user)),
        _("You hired the freelancer: the contract has started."),
    ):
        return redirect("marketplace:contract-detail", contract_id=started[0].pk)
    return redirect("marketplace:proposal-detail", proposal_id=proposal_id)


@login_required
@require_GET
def my_proposals(request: SignedInRequest) -> HttpResponse:
    page = paginate(request, proposals_of_freelancer(freelancer=request.user))
    return render(request, "marketplace/my_proposals.html", {"page": page})

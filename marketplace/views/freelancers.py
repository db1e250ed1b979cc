"""The directory of freelancers and invitations to propose on a job."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.exceptions import ApplicationError, Forbidden
from marketplace.forms import FreelancerSearchForm, InvitationForm
from marketplace.selectors.freelancers import (
    freelancer_cards,
    freelancer_directory,
    invitations_of,
    open_jobs_of,
)
from marketplace.selectors.profiles import freelancer_profile_public
from marketplace.services import invitations as invitation_services
from marketplace.views._helpers import SignedInRequest, paginate, perform


@require_GET
def freelancer_list(request: HttpRequest) -> HttpResponse:
    """Find freelancers by skill and words; only profiles their owners let this viewer find."""
    form = FreelancerSearchForm(request.GET or None)
    params = form.search_params() if form.is_valid() else {"q": "", "skill": ""}
    page = paginate(request, freelancer_directory(viewer=request.user, **params))
    return render(
        request,
        "marketplace/freelancer_list.html",
        {"form": form, "page": page, "cards": freelancer_cards(page.object_list, viewer=request.user)},
    )


@login_required
def freelancer_invite(request: SignedInRequest, user_id: int) -> HttpResponse:
    """Invite a freelancer to one of the client's open jobs, with an optional message."""
    profile, _visible = freelancer_profile_public(user_id=user_id, viewer=request.user)
    if not invitation_services.freelancer_findable(user_id=user_id) or user_id == request.user.pk:
        raise Http404
    jobs = open_jobs_of(client=request.user)
    form = InvitationForm(request.POST or None, jobs=jobs, initial={"job": request.GET.get("job")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _invitation, created = invitation_services.invitation_send(
                job_id=data["job"].pk, client=request.user, freelancer_id=user_id, message=data["message"]
            )
        except Forbidden:
            raise
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            if created:
                success = _("%(name)s is invited to propose on “%(job)s”.")
            else:
                success = _("%(name)s was already invited to “%(job)s”; nothing was sent twice.")
            messages.success(request, success % {"name": profile.user, "job": data["job"].title})
            return redirect("marketplace:freelancer-public", user_id=user_id)
    return render(
        request,
        "marketplace/freelancer_invite.html",
        {"profile": profile, "person": profile.user, "form": form, "has_jobs": jobs.exists()},
    )


@login_required
@require_GET
def my_invitations(request: SignedInRequest) -> HttpResponse:
    page = paginate(request, invitations_of(freelancer=request.user))
    return render(request, "marketplace/my_invitations.html", {"page": page})


@login_required
@require_POST
def invitation_decline(request: SignedInRequest, invitation_id: int) -> HttpResponse:
    perform(
        request,
        lambda: invitation_services.invitation_decline(invitation_id=invitation_id, freelancer=request.user),
        _("You declined the invitation."),
    )
    return redirect("marketplace:my-invitations")

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.money import cents_to_major
from core.pagination import paged_lists
from marketplace.forms import (
    ClientProfileForm,
    FreelancerProfileForm,
    PortfolioItemForm,
    SavedSearchForm,
    skill_names_from_text,
)
from marketplace.models import ClientProfile, FreelancerProfile, PortfolioItem
from marketplace.selectors.profiles import (
    client_profile_public,
    completed_contracts_of,
    freelancer_profile_public,
    rating_summary,
    revealed_reviews,
    track_record_of,
)
from marketplace.selectors.search import JobSearch
from marketplace.services import profiles as profile_services
from marketplace.services import searches as search_services
from marketplace.services.invitations import freelancer_findable
from marketplace.views._helpers import SignedInRequest, file_download, perform

PUBLIC_LIST_PAGE = 20  # reviews, and completed contracts, on a public profile


def _public_context(request: HttpRequest, *, profile: Any, visible: Any, history: bool) -> dict[str, Any]:
    user_id = profile.user_id
    viewer = request.user
    reviews = revealed_reviews(user_id=user_id)
    contracts = completed_contracts_of(user_id=user_id)
    return {
        "profile": profile,
        "person": profile.user,
        "visible": visible,
        "is_owner": viewer.is_authenticated and viewer.pk == user_id,
        # Reviews and completed work grow with every contract: a page of each, each pager keeping the
        # other's place, so the oldest stay reachable.
        **paged_lists(
            request,
            PUBLIC_LIST_PAGE,
            reviews=reviews if visible.reviews else reviews.none(),
            history=contracts if history else contracts.none(),
        ),
        "summary": rating_summary(user_id=user_id) if visible.reviews else None,
    }


@require_GET
def freelancer_public(request: HttpRequest, user_id: int) -> HttpResponse:
    """A freelancer's public page, showing only what their privacy settings let this viewer see."""
    profile, visible = freelancer_profile_public(user_id=user_id, viewer=request.user)
    context = _public_context(request, profile=profile, visible=visible, history=profile.show_work_history)
    context["record"] = track_record_of(user_id=user_id)
    # Only people others may find can be invited (a profile seen through a contract is not enough).
    context["can_invite"] = (
        request.user.is_authenticated and request.user.pk != user_id and freelancer_findable(user_id=user_id)
    )
    return render(request, "marketplace/freelancer_public.html", context)


@require_GET
def client_public(request: HttpRequest, user_id: int) -> HttpResponse:
    profile, visible = client_profile_public(user_id=user_id, viewer=request.user)
    context = _public_context(request, profile=profile, visible=visible, history=True)
    return render(request, "marketplace/client_public.html", context)


@require_GET
def portfolio_file(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(PortfolioItem.objects.select_related("profile"), pk=item_id)
    freelancer_profile_public(user_id=item.profile.user_id, viewer=request.user)
    return file_download(item.file, item.file.name)


@login_required
def freelancer_profile_edit(request: SignedInRequest) -> HttpResponse:
    profile = FreelancerProfile.objects.filter(user=request.user).prefetch_related("skills", "portfolio_items").first()
    initial = {}
    if profile is not None:
        initial = {
            "skills_text": ", ".join(s.name for s in profile.skills.all()),
            "hourly_rate": cents_to_major(profile.hourly_rate_cents, profile.currency)
            if profile.hourly_rate_cents
            else None,
        }
    form = FreelancerProfileForm(request.POST or None, instance=profile, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        privacy = {flag: data[flag] for flag in profile_services.PRIVACY_FLAGS}
        if perform(
            request,
            lambda: profile_services.freelancer_profile_save(
                user=request.user,
                headline=data["headline"],
                bio=data["bio"],
                skill_names=skill_names_from_text(data["skills_text"]),
                hourly_rate_cents=data["hourly_rate"],
                availability=data["availability"],
                location=data["location"],
                remote=data["remote"],
                languages=data["languages"],
                privacy=privacy,
            ),
            _("Your profile is saved."),
            form,
        ):
            return redirect("marketplace:freelancer-profile-edit")
    return render(
        request,
        "marketplace/freelancer_profile_form.html",
        {"form": form, "profile": profile, "portfolio_form": PortfolioItemForm()},
    )


@login_required
def client_profile_edit(request: SignedInRequest) -> HttpResponse:
    profile = ClientProfile.objects.filter(user=request.user).first()
    form = ClientProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if perform(
            request,
            lambda: profile_services.client_profile_save(user=request.user, **data),
            _("Your profile is saved."),
            form,
        ):
            return redirect("marketplace:client-profile-edit")
    return render(request, "marketplace/client_profile_form.html", {"form": form, "profile": profile})


@login_required
@require_POST
def portfolio_add(request: SignedInRequest) -> HttpResponse:
    form = PortfolioItemForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        perform(
            request,
            lambda: profile_services.portfolio_item_add(
                user=request.user,
                title=data["title"],
                description=data["description"],
                url=data["url"],
                file=data["file"],
            ),
            _("The work is added to your portfolio."),
        )
    else:
        perform(request, lambda: _fail(form), "")
    return redirect("marketplace:freelancer-profile-edit")


def _fail(form: PortfolioItemForm) -> None:
    from core.exceptions import ApplicationError
    from core.exceptions import ErrorCode as CoreErrorCode

    raise ApplicationError("; ".join(str(e) for errs in form.errors.values() for e in errs), code=CoreErrorCode.INVALID)


@login_required
@require_POST
def portfolio_delete(request: SignedInRequest, item_id: int) -> HttpResponse:
    perform(
        request,
        lambda: profile_services.portfolio_item_delete(item_id=item_id, actor=request.user),
        _("The item is removed."),
    )
    return redirect("marketplace:freelancer-profile-edit")


@login_required
def saved_searches(request: SignedInRequest) -> HttpResponse:
    from marketplace.models import SavedSearch

    form = SavedSearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        params = JobSearch.from_params(request.POST).as_params()
        perform(
            request,
            lambda: search_services.saved_search_create(
                user=request.user,
                name=form.cleaned_data["name"],
                params=params,
                email_alerts=form.cleaned_data["email_alerts"],
            ),
            _("The search is saved."),
        )
        return redirect("marketplace:saved-searches")
    rows = SavedSearch.objects.filter(user=request.user).order_by("name")
    items = [{"saved": s, "query": urlencode(JobSearch.from_params(s.params).as_params())} for s in rows]
    return render(request, "marketplace/saved_searches.html", {"items": items, "form": form})


@login_required
@require_POST
def saved_search_delete(request: SignedInRequest, saved_search_id: int) -> HttpResponse:
    perform(
        request,
        lambda: search_services.saved_search_delete(saved_search_id=saved_search_id, actor=request.user),
        _("The saved search is deleted."),
    )
    return redirect("marketplace:saved-searches")

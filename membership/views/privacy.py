"""Data sovereignty pages: the privacy page, settings, download my data, deletion, the access log."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.exceptions import ApplicationError
from core.pagination import paged_lists
from membership import selectors, services
from membership.forms import DeleteAccountForm, PrivacySettingsForm
from membership.models import DataExport
from membership.views.common import form_error

ACCESS_LOG_PER_PAGE = 50
EXPORTS_PER_PAGE = 10


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "membership/privacy/index.html", {"entries": selectors.personal_data_catalogue()})


@login_required
@require_http_methods(["GET", "POST"])
def privacy_settings(request: HttpRequest) -> HttpResponse:
    current = selectors.privacy_settings_for(request.user)
    form = PrivacySettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.privacy_settings_update(
                user=request.user,
                actor=request.user,
                **{name: form.cleaned_data[name] for name in PrivacySettingsForm.Meta.fields},
            )
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Your privacy settings are saved."))
            return redirect("membership:privacy_settings")
    return render(request, "membership/privacy/settings.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def data_exports(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            services.data_export_request(user=request.user, actor=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("We are collecting your data. This page shows how far we are."))
        return redirect("membership:data_exports")
    # An archive a request: the older ones come a page at a time instead of dropping off the page.
    return render(
        request,
        "membership/privacy/exports.html",
        paged_lists(request, EXPORTS_PER_PAGE, exports=selectors.data_exports_for(request.user)),
    )


@never_cache
@login_required
@require_GET
def data_export_status(request: HttpRequest, export_id: int) -> HttpResponse:
    """The status fragment HTMX polls while an export is being built."""
    export = selectors.data_export_for_owner(request.user, export_id)
    if export is None:
        raise Http404
    response = render(request, "membership/privacy/export_status.html", {"export": export})
    if not export.in_progress:
        # Tell HTMX to stop polling: the fragment is final.
        response["HX-Trigger"] = "exportDone"
    return response


@never_cache
@login_required
@require_GET
def data_export_download(request: HttpRequest, export_id: int) -> HttpResponse:
    export = selectors.data_export_for_owner(request.user, export_id)
    if export is None or export.status != DataExport.Status.READY or not export.file:
        raise Http404
    if export.expires_at <= timezone.now():
        raise Http404
    stamp = export.finished_at.strftime("%Y%m%d")
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=f"my-data-{stamp}.zip")


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    member = selectors.member_for_user(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete(user=request.user, actor=request.user)
        except ApplicationError as error:
            form_error(form, error)
        else:
            logout(request)
            messages.success(request, _("Your account is deleted. Thank you for having been part of the coop."))
            return redirect("home")
    return render(request, "membership/privacy/delete.html", {"form": form, "member": member})


@login_required
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    """Every access to the reader's personal data, newest first, a page at a time (older ones stay reachable)."""
    page = Paginator(selectors.access_log_for(request.user), ACCESS_LOG_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "membership/privacy/access_log.html", {"page": page})

"""Pages for applicants and members: apply, my membership, the register, the capital account, leaving."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.exceptions import ApplicationError
from core.permissions import authorize, verified_email_required
from core.ports import PaymentRequestInfo, payment_requests
from membership import selectors, services
from membership.exceptions import ErrorCode
from membership.forms import ApplicationForm, ConfirmForm
from membership.models import BylawsVersion, Member
from membership.views.common import form_error


@login_required
@require_GET
def membership_home(request: HttpRequest) -> HttpResponse:
    member = selectors.member_for_user(request.user)
    policy = selectors.membership_policy()
    context = {
        "member": member,
        "policy": policy,
        "resign_form": ConfirmForm(),
        "share_payment": _share_payment(member),
        "blockers": services.admission_blockers(member, policy) if member and member.status == "applicant" else [],
    }
    return render(request, "membership/home.html", context)


def _share_payment(member: Member | None) -> PaymentRequestInfo | None:
    """Return the share payment request and how to pay it, while it is the current application's."""
    if member is None or not member.share_payment_reference:
        return None
    return payment_requests.get().info(member.share_payment_reference)


@require_GET
def bylaws(request: HttpRequest) -> HttpResponse:
    return render(request, "membership/bylaws.html", {"bylaws": selectors.bylaws_current()})


@verified_email_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    current = selectors.bylaws_current()
    member = selectors.member_for_user(request.user)
    if member is not None and member.status != Member.Status.EXITED:
        return redirect("membership:home")
    form = ApplicationForm(request.POST or None, initial={"bylaws_version": current.pk if current else None})
    if request.method == "POST" and form.is_valid():
        version = BylawsVersion.objects.filter(pk=form.cleaned_data["bylaws_version"]).first()
        try:
            if version is None:
                raise ApplicationError(
                    _("The bylaws have changed since you opened the form. Please read and accept the current version."),
                    code=ErrorCode.BYLAWS_OUTDATED,
                )
            services.member_apply(
                user=request.user,
                member_class=form.cleaned_data["member_class"],
                motivation=form.cleaned_data["motivation"],
                bylaws_version=version,
                actor=request.user,
            )
        except ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Thank you. Your application is in."))
            return redirect("membership:home")
    return render(request, "membership/apply.html", {"form": form, "bylaws": current})


@login_required
@require_POST
def application_withdraw(request: HttpRequest) -> HttpResponse:
    try:
        services.member_application_withdraw(user=request.user, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("membership:home")


@login_required
@require_POST
def resign(request: HttpRequest) -> HttpResponse:
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm."))
        return redirect("membership:home")
    try:
        member = services.member_resign(user=request.user, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Your resignation is in. Your membership ends on %(date)s.") % {"date": member.exit_effective_on},
        )
    return redirect("membership:home")


@login_required
@require_POST
def resignation_withdraw(request: HttpRequest) -> HttpResponse:
    try:
        services.member_resignation_withdraw(user=request.user, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your resignation is withdrawn. You stay a member."))
    return redirect("membership:home")


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    authorize(request.user, "register.view")
    return render(request, "membership/register.html", {"rows": selectors.member_register_rows(request.user)})


@login_required
@require_GET
def capital(request: HttpRequest) -> HttpResponse:
    member = selectors.member_for_user(request.user)
    if member is None:
        raise PermissionDenied
    return render(
        request, "membership/capital.html", {"member": member, "statement": selectors.capital_statement(member)}
    )

"""The board's pages: applications, a member's record, the legal register export."""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.exceptions import ApplicationError
from core.permissions import page_permission
from membership import selectors, services
from membership.forms import ReasonForm
from membership.models import AccessLogEntry, MembershipPolicy
from membership.views.common import board_required

APPLICATIONS_PER_PAGE = 50


@board_required
@require_GET
def applications(request: HttpRequest) -> HttpResponse:
    """Open applications, oldest first, a page at a time, each with what still stands in its way."""
    policy = selectors.membership_policy()
    page = Paginator(selectors.applications_open(), APPLICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(member, services.admission_blockers(member, policy)) for member in page.object_list]
    return render(
        request,
        "membership/staff/applications.html",
        {
            "rows": rows,
            "page": page,
            "policy": policy,
            "by_vote": policy.admission == MembershipPolicy.Admission.VOTE,
        },
    )


def _act(request: HttpRequest, action: str, member_id: int) -> HttpResponse:
    form = ReasonForm(request.POST) if action in {"reject", "suspend", "expel"} else None
    if form is not None and not form.is_valid():
        messages.error(request, _("Give a reason."))
        return redirect(request.POST.get("next") or "membership:staff_applications")
    reason = form.cleaned_data["reason"] if form is not None else ""
    try:
        if action == "admit":
            member = services.member_admit(member_id=member_id, actor=request.user)
            messages.success(request, _("Admitted as member %(number)s.") % {"number": member.member_number})
        elif action == "propose":
            services.member_admission_propose(member_id=member_id, actor=request.user)
            messages.success(request, _("The application is now up for the members' vote."))
        elif action == "reject":
            services.member_application_reject(member_id=member_id, actor=request.user, reason=reason)
            messages.success(request, _("The application was turned down."))
        elif action == "suspend":
            services.member_suspend(member_id=member_id, actor=request.user, reason=reason)
            messages.success(request, _("The member is suspended."))
        elif action == "reinstate":
            services.member_reinstate(member_id=member_id, actor=request.user)
            messages.success(request, _("The member is reinstated."))
        elif action == "expel":
            services.member_expulsion_propose(member_id=member_id, actor=request.user, reason=reason)
            messages.success(request, _("The expulsion is now up for the members' vote."))
        else:
            raise Http404
    except ApplicationError as error:
        messages.error(request, error.message)
    next_url = request.POST.get("next", "")
    return redirect(
        next_url if next_url.startswith("/") and not next_url.startswith("//") else "membership:staff_applications"
    )


@board_required
@require_POST
def member_action(request: HttpRequest, member_id: int, action: str) -> HttpResponse:
    return _act(request, action, member_id)


@board_required
@require_GET
def member_record(request: HttpRequest, member_id: int) -> HttpResponse:
    member = selectors.member_record(member_id)
    if member is None:
        raise Http404
    services.access_log_record(
        accessor=request.user,
        subject_ids=[member.user_id],
        action=AccessLogEntry.Action.VIEWED,
        context="staff:member_record",
    )
    return render(
        request,
        "membership/staff/member.html",
        {"member": member, "statement": selectors.capital_statement(member), "reason_form": ReasonForm()},
    )


REGISTER_COLUMNS = [
    "member_number",
    "name",
    "email",
    "member_class",
    "status",
    "shares",
    "share_price_cents",
    "currency",
    "joined_at",
    "resigned_at",
    "exit_effective_on",
    "exited_at",
    "bylaws_version",
    "bylaws_accepted_at",
    "status_history",
]


def _cell(value: object) -> object:
    # Spreadsheets run cells that start with these as formulas; a name must never be one.
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return value


@page_permission("register.export")
@require_GET
def register_export(request: HttpRequest) -> HttpResponse:
    """Return the complete legal register as CSV, and log it as an export of every person in it."""
    members = list(selectors.legal_register().exclude(member_number__isnull=True))
    services.access_log_record(
        accessor=request.user,
        subject_ids=[m.user_id for m in members],
        action=AccessLogEntry.Action.EXPORTED,
        context="staff:register_export",
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="member-register-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(REGISTER_COLUMNS)
    for m in members:
        acceptance = m.bylaws_acceptance
        history = "; ".join(
            f"{c.created_at.isoformat()} {c.from_status or '-'}>{c.to_status}" for c in m.status_changes.all()
        )
        writer.writerow(
            _cell(value)
            for value in [
                m.member_number,
                m.user.display_name,
                m.user.email,
                m.member_class.name,
                m.status,
                m.shares,
                m.member_class.share_price_cents,
                m.member_class.currency,
                m.joined_at.isoformat() if m.joined_at else "",
                m.resignation_requested_at.isoformat() if m.resignation_requested_at else "",
                m.exit_effective_on.isoformat() if m.exit_effective_on else "",
                m.exited_at.isoformat() if m.exited_at else "",
                acceptance.bylaws_version.version if acceptance else "",
                acceptance.accepted_at.isoformat() if acceptance else "",
                history,
            ]
        )
    return response

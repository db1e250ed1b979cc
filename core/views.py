"""Site-wide pages: home, dashboard, health check and error pages."""

from typing import Any

from celery import current_app
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import notifications as notification_services
from core import outbox
from core.dashboard import panels_for, public_panels
from core.exceptions import ApplicationError, Forbidden
from core.forms import NotificationSettingsForm
from core.selectors import notifications_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"panels": public_panels()})


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "core/dashboard.html", {"panels": panels_for(request.user)})


def _broker_status() -> str:
    if not settings.CELERY_BROKER_URL:
        return "in-process"
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # any transport failure means "down"
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _outbox_status() -> dict[str, int | None]:
    age = outbox.backlog_age()
    return {"backlog": outbox.backlog(), "oldest_seconds": None if age is None else int(age.total_seconds())}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Report whether the database and the Celery broker answer, and what the outbox holds back.

    The outbox's backlog does not change the status: a broker outage already answers 503, and a
    backlog that grows while the broker is "ok" means no worker or beat consumes (see the README).
    """
    checks: dict[str, Any] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # the check's purpose is to report any failure
        checks["database"] = f"error: {exc.__class__.__name__}"
    checks["broker"] = _broker_status()
    checks["outbox"] = _outbox_status() if checks["database"] == "ok" else "unknown"
    healthy = checks["database"] == "ok" and checks["broker"] in {"ok", "in-process"}
    checks["status"] = "ok" if healthy else "error"
    return JsonResponse(checks, status=200 if healthy else 503)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Explain a form refused by the CSRF check (CSRF_FAILURE_VIEW) in the site's own page.

    Usually the page was open too long, or the person signed in or out in another tab: reloading
    gives the form a fresh token. Django's reason is for the log (django.security.csrf), not the
    reader; only a missing cookie changes what to do.
    """
    from django.middleware.csrf import REASON_NO_CSRF_COOKIE
    from django.utils.http import url_has_allowed_host_and_scheme

    referer = request.META.get("HTTP_REFERER", "")
    back = referer if url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()) else ""
    context = {"back": back, "no_cookie": reason == REASON_NO_CSRF_COOKIE}
    return render(request, "403_csrf.html", context, status=403)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    # A refusal by the permission table says why (its message is written for the person refused).
    reason = exception.message if isinstance(exception, Forbidden) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(user=request.user), 25).get_page(request.GET.get("page"))
    items = [{"n": n, "text": notification_services.notification_text(n)} for n in page.object_list]
    return render(request, "core/notifications.html", {"page": page, "items": items})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    notification_services.notifications_mark_read(user=request.user)
    return redirect("notifications")


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    current = notification_services.notification_settings_for(user=request.user)
    form = NotificationSettingsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            notification_services.notification_settings_save(
                user=request.user, actor=request.user, channels=form.channels()
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notification-settings")
    return render(request, "core/notification_settings.html", {"form": form})


# The mail client posts the one-click unsubscribe (RFC 8058) with no session and no CSRF token;
# the signed token in the address is what authorises it. A GET only shows a confirmation button,
# so a link scanner that follows the address unsubscribes nobody.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def notification_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        _user_id, key = notification_services.unsubscribe_token_read(token)
        kind = notification_services.NOTIFICATION_KINDS.get(key)
        if request.method == "POST":
            notification_services.notification_email_unsubscribe(token=token)
    except ApplicationError as exc:
        return render(request, "core/notification_unsubscribe.html", {"error": exc.message}, status=400)
    return render(
        request,
        "core/notification_unsubscribe.html",
        {"kind": kind, "done": request.method == "POST"},
    )

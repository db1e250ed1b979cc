"""Site-wide pages: home, dashboard, health check and error pages."""

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.dashboard import panels_for, public_panels


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
    from coop_platform.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # any transport failure means "down"
        return f"error: {exc.__class__.__name__}"
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Report whether the database and the Celery broker answer."""
    checks: dict[str, Any] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # the check's purpose is to report any failure
        checks["database"] = f"error: {exc.__class__.__name__}"
    checks["broker"] = _broker_status()
    healthy = checks["database"] == "ok" and checks["broker"] in {"ok", "in-process"}
    checks["status"] = "ok" if healthy else "error"
    return JsonResponse(checks, status=200 if healthy else 503)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)

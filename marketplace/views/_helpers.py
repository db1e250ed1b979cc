from collections.abc import Callable
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest

from core.exceptions import ApplicationError, Forbidden
from marketplace.selectors.search import JobResults
from membership.models import User

PAGE_SIZE = 20


class SignedInRequest(HttpRequest):
    """The request of a view behind login_required (or verified_email_required): a signed-in user."""

    user: User


def perform(request: HttpRequest, action: Callable[[], Any], success: str, form: forms.Form | None = None) -> bool:
    """Run a service; show its refusal as a form error (or a message) instead of a 500.

    An empty `success` says nothing: the caller tells the outcome (a publishing the rules held back).

    A refusal by the permission table is not something to correct in the form: it answers 403.
    """
    try:
        action()
    except Forbidden:
        raise
    except ApplicationError as exc:
        if form is not None:
            form.add_error(None, exc.message)
        else:
            messages.error(request, exc.message)
        return False
    if success:
        messages.success(request, success)
    return True


def paginate(request: HttpRequest, rows: QuerySet | JobResults, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def file_download(field: Any, name: str) -> FileResponse:
    """Serve a stored file to someone already checked; never inline, so nothing runs in our origin."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=Path(name).name)

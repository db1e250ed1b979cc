from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from core.exceptions import ApplicationError


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let only admins (staff) through; others get the 403 page."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def add_error(form: forms.Form, error: ApplicationError) -> None:
    """Show an application error on the field it names, or on the whole form."""
    field = error.detail.get("field") if isinstance(error.detail, dict) else None
    form.add_error(field if field in form.fields else None, str(error.message))

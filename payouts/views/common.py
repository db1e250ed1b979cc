from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from core.exceptions import ApplicationError


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let only staff (finance and board) through; others get the 403 page."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def add_error(form: Any, exc: ApplicationError) -> None:
    """Show an application error on the form: on its field when the service named one."""
    for field, messages in exc.detail.items():
        if field in form.fields and isinstance(messages, list):
            for message in messages:
                form.add_error(field, str(message))
    form.add_error(None, str(exc.message))

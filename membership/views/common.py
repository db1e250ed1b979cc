"""Access rules shared by membership's pages."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from core.exceptions import ApplicationError

View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    """Let only staff (the board and finance) through; others get 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def form_error(form: Any, error: ApplicationError) -> None:
    form.add_error(None, str(error.message))

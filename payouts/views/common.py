from collections.abc import Callable
from typing import Any

from django.http import HttpResponse

from core.exceptions import ApplicationError
from core.permissions import page_permission


def finance_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let only finance through (the permission table's "books.view"); others get the 403 page."""
    return page_permission("books.view")(view)


def add_error(form: Any, exc: ApplicationError) -> None:
    """Show an application error on the form: on its field when the service named one."""
    for field, messages in exc.detail.items():
        if field in form.fields and isinstance(messages, list):
            for message in messages:
                form.add_error(field, str(message))
    form.add_error(None, str(exc.message))

"""Access rules shared by membership's pages."""

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse

from core.exceptions import ApplicationError
from core.permissions import page_permission

View = Callable[..., HttpResponse]


def board_required(view: View) -> View:
    """Let only the board through (the permission table's "member.view"); others get 403."""
    return page_permission("member.view")(view)


def form_error(form: Any, error: ApplicationError) -> None:
    form.add_error(None, str(error.message))

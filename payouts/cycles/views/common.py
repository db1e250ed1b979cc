from collections.abc import Callable

from django import forms
from django.http import HttpResponse

from core.exceptions import ApplicationError
from core.permissions import page_permission


def cycles_staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let only finance and the board through (the permission table's "payout_cycle.view"); others get 403."""
    return page_permission("payout_cycle.view")(view)


def add_error(form: forms.Form, error: ApplicationError) -> None:
    """Show an application error on the field it names, or on the whole form."""
    field = error.detail.get("field") if isinstance(error.detail, dict) else None
    form.add_error(field if field in form.fields else None, str(error.message))

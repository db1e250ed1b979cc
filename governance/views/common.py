from django import forms
from django.http import HttpRequest

from core.exceptions import ApplicationError
from membership.models import User


class SignedInRequest(HttpRequest):
    """The request of a view behind login_required (or verified_email_required): a signed-in user."""

    user: User


def add_error(form: forms.Form, error: ApplicationError) -> None:
    """Show an application error on the field it names, or on the whole form."""
    field = error.detail.get("field") if isinstance(error.detail, dict) else None
    form.add_error(field if field in form.fields else None, str(error.message))

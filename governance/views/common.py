from django import forms

from core.exceptions import ApplicationError


def add_error(form: forms.Form, error: ApplicationError) -> None:
    """Show an application error on the field it names, or on the whole form."""
    field = error.detail.get("field") if isinstance(error.detail, dict) else None
    form.add_error(field if field in form.fields else None, str(error.message))

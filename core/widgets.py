"""Form widgets shared by the apps."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

# The pattern shown in an empty date field; Dutch readers see "dd-mm-jjjj".
DATE_PATTERN = gettext_lazy("dd-mm-yyyy")


class LocaleDateInput(forms.DateInput):
    """A date field in the coop's style (04-12-2026), whatever the browser's own locale.

    Chromium draws <input type="date"> in the browser's locale, not the page's: a Dutch page in an
    English browser asked for mm/dd/yyyy. This is a text field showing the day-month-year pattern
    in the reader's language; the form reads 04-12-2026 and 2026-12-04 alike (core/formats).
    """

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"inputmode": "numeric", "autocomplete": "off", **(attrs or {})}, format="%d-%m-%Y")

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault("placeholder", str(DATE_PATTERN))
        return context

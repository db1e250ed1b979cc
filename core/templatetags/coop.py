import functools
from datetime import datetime, timedelta
from typing import Any

from django import template
from django.utils import timezone, translation
from django.utils.html import avoid_wrapping
from django.utils.timesince import TIME_STRINGS, timesince
from django.utils.translation import gettext as _

from core.money import Money, default_currency

register = template.Library()


@register.filter
def money(cents: int | None, currency: str | None = None) -> str:
    """Format integer minor units for the active language: {{ amount_cents|money:currency }}."""
    if cents is None:
        return ""
    return Money(int(cents), currency or default_currency()).format()


@register.filter
def as_money(value: Any) -> str:
    """Format a Money object for the active language."""
    return value.format() if isinstance(value, Money) else ""


JUST_NOW = timedelta(minutes=1)


@functools.lru_cache(maxsize=4096)
def _unit_words(language: str | None, unit: str, number: int) -> str:
    """ "3 days" in the active language, kept per language: a list of 20 rows asks for the same few."""
    return avoid_wrapping(TIME_STRINGS[unit] % {"num": number})


class _Unit:
    """One of timesince's units, worded through `_unit_words` instead of a fresh translation each time."""

    def __init__(self, unit: str) -> None:
        self.unit = unit

    def __mod__(self, values: dict[str, int]) -> str:
        return _unit_words(translation.get_language(), self.unit, values["num"])


# timesince only applies `%` to its unit texts, which is all a _Unit does.
_UNITS: Any = {unit: _Unit(unit) for unit in TIME_STRINGS}


@register.filter
def ago(moment: datetime | None) -> str:
    """Say how long ago something happened: {{ created_at|ago }}.

    Django's timesince counts in whole minutes, so on its own a brand-new item reads "0 minutes".
    """
    if moment is None:
        return ""
    if timezone.now() - moment < JUST_NOW:
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(moment, time_strings=_UNITS)}

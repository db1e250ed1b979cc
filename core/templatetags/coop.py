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


# Under four weeks, timesince's calendar months cannot come into it: the units are fixed lengths.
_FIXED_UNITS = (("week", 7 * 24 * 3600), ("day", 24 * 3600), ("hour", 3600), ("minute", 60))
_FIXED_SPAN = timedelta(days=28)


@functools.lru_cache(maxsize=64)
def _ago_words(language: str | None) -> tuple[str, str, str]:
    """ "just now", "… ago" and timesince's separator in the active language, kept per language."""
    return _("just now"), _("%(time)s ago"), _(", ")


@register.filter
def ago(moment: datetime | None) -> str:
    """Say how long ago something happened: {{ created_at|ago }}.

    Django's timesince counts in whole minutes, so on its own a brand-new item reads "0 minutes".
    Under four weeks the two largest units are counted here, as timesince counts them (a list of 20
    jobs asks for 20 of these: tests/core/test_ago_words.py compares the two); older, timesince.
    """
    if moment is None:
        return ""
    return ago_at(moment, timezone.now(), translation.get_language())


def ago_at(moment: datetime, now: datetime, language: str | None) -> str:
    """`ago` for a moment seen from `now` in `language` (the active one): a list works both out once."""
    just_now, ago_text, separator = _ago_words(language)
    delta = now - moment
    if delta < JUST_NOW:
        return just_now
    if delta >= _FIXED_SPAN:
        return ago_text % {"time": timesince(moment, now, time_strings=_UNITS)}
    remaining = delta.days * 24 * 3600 + delta.seconds
    counts = []
    for unit, seconds in _FIXED_UNITS:
        number, remaining = divmod(remaining, seconds)
        counts.append((unit, number))
    first = next(index for index, (_unit, number) in enumerate(counts) if number)
    words = [_unit_words(language, *counts[first])]
    if first + 1 < len(counts) and counts[first + 1][1]:
        words.append(_unit_words(language, *counts[first + 1]))
    return ago_text % {"time": separator.join(words)}

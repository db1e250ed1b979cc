from datetime import datetime, timedelta
from typing import Any

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
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


@register.filter
def ago(moment: datetime | None) -> str:
    """Say how long ago something happened: {{ created_at|ago }}.

    Django's timesince counts in whole minutes, so on its own a brand-new item reads "0 minutes".
    """
    if moment is None:
        return ""
    if timezone.now() - moment < JUST_NOW:
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(moment)}

from typing import Any

from django import template

from core.money import Money

register = template.Library()


@register.filter
def money(cents: int | None, currency: str = "EUR") -> str:
    """Format integer minor units for the active language: {{ amount_cents|money:currency }}."""
    if cents is None:
        return ""
    return Money(int(cents), currency).format()


@register.filter
def as_money(value: Any) -> str:
    """Format a Money object for the active language."""
    return value.format() if isinstance(value, Money) else ""

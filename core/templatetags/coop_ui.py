"""Small building blocks of the house design: {% avatar %} (initials in a coloured circle)."""

from typing import Any

from django import template

register = template.Library()

# Eight background colours in coop.css (.avatar-0 ... .avatar-7), each with white text at a
# contrast of at least 4.5:1.
AVATAR_COLOURS = 8


def initials_of(name: str) -> str:
    words = [w for w in str(name or "").replace("@", " ").split() if w[:1].isalnum()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:1].upper()
    return (words[0][:1] + words[-1][:1]).upper()


def colour_of(name: str) -> int:
    # Stable across processes (unlike hash()): the same name always gets the same colour.
    return sum(ord(c) for c in str(name or "")) % AVATAR_COLOURS


@register.inclusion_tag("core/includes/avatar.html")
def avatar(name: Any, size: str = "") -> dict[str, Any]:
    """Initials of `name` in a circle whose colour follows from the name; size "small" or "large"."""
    text = str(name or "")
    return {"name": text, "initials": initials_of(text), "colour": colour_of(text), "size": size}

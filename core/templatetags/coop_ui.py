"""Small building blocks of the house design: {% avatar %} (initials in a coloured circle), the
navigation's links and menus, and the language choices."""

import functools
from collections.abc import Iterable
from html import escape
from typing import Any

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info

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


# The navigation is on every page: written here rather than as template loops and an include per
# menu, which cost a page more than its own content (issue 18). Every text is escaped.
def _links(items: Iterable[dict[str, Any]], *, mark_current: bool = True) -> str:
    links = []
    for item in items:
        current = ' aria-current="page"' if mark_current and item["current"] else ""
        links.append(f'<li><a href="{escape(item["url"])}"{current}>{escape(str(item["label"]))}</a></li>')
    return "".join(links)


@register.simple_tag
def nav_links(items: Iterable[dict[str, Any]], current: bool = True) -> SafeString:
    """A navigation group's entries as list items, the current page's marked aria-current (unless
    `current` is False: the footer's links repeat the header's, which already mark it)."""
    return mark_safe(_links(items, mark_current=current))  # noqa: S308 - escaped above


@register.simple_tag
def nav_menu(label: Any, items: list[dict[str, Any]], menu_id: str) -> SafeString:
    """A grouped menu: a <details> opens on click and by keyboard without script; coop.js adds Escape,
    closing on a click elsewhere, one menu at a time and moving focus into the list."""
    current = " current" if any(item["current"] for item in items) else ""
    return mark_safe(  # noqa: S308 - escaped here and in _links
        f'<details class="menu nav-menu">\n  <summary class="menu-button{current}">{escape(str(label))}</summary>\n'
        f'  <ul class="menu-list" id="{escape(menu_id)}">{_links(items)}</ul>\n</details>'
    )


@functools.lru_cache(maxsize=16)
def _language_options(current: str) -> str:
    options = []
    for code, _name in settings.LANGUAGES:
        selected = " selected" if code == current else ""
        name = escape(capfirst(get_language_info(code)["name_local"]))
        options.append(f'<option value="{code}" lang="{code}"{selected}>{name}</option>')
    return "".join(options)


@register.simple_tag
def language_options(current: str) -> SafeString:
    """The language switcher's options, each named in its own language, the current one selected."""
    return mark_safe(_language_options(current))  # noqa: S308 - fixed settings, escaped


class FixedNode(template.Node):
    """A part of a page that depends on nothing but the language: rendered once per language (and URL
    configuration) and kept, since every {% translate %} and {% url %} in it costs each page again.

    It is rendered with an empty context, so it cannot depend on the request or the page by mistake:
    a variable in it would render as nothing.
    """

    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist
        self.rendered: dict[tuple[str | None, str, Any], str] = {}

    def render(self, context: template.Context) -> str:
        key = (get_language(), get_script_prefix(), get_urlconf())
        html = self.rendered.get(key)
        if html is None:
            empty = template.Context(autoescape=context.autoescape)
            empty.template = context.template  # for the engine's settings, not its variables
            html = self.rendered[key] = self.nodelist.render(empty)
        return html


@register.tag
def fixed(parser: template.base.Parser, token: template.base.Token) -> FixedNode:
    """{% fixed %}…{% endfixed %}: see FixedNode."""
    nodelist = parser.parse(("endfixed",))
    parser.delete_first_token()
    return FixedNode(nodelist)

"""The main navigation, registered by each app in its AppConfig.ready()."""

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    # Shown only to users holding one of these roles; None shows it to everyone, and
    # "authenticated" to every signed-in user.
    roles: frozenset[str] | None = None
    order: int = 100


_ITEMS: list[NavItem] = []


def register_nav(item: NavItem) -> None:
    if item not in _ITEMS:
        _ITEMS.append(item)
        _ITEMS.sort(key=lambda i: i.order)


def nav_for(user: Any, roles: frozenset[str], current_path: str) -> list[dict[str, Any]]:
    signed_in = user is not None and user.is_authenticated
    items = []
    for item in _ITEMS:
        if item.roles is not None:
            allowed = signed_in and ("authenticated" in item.roles or item.roles & roles)
            if not allowed:
                continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        current = current_path == url or (url != "/" and current_path.startswith(url))
        items.append({"label": item.label, "url": url, "current": current})
    return items

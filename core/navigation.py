"""The main navigation, registered by each app in its AppConfig.ready()."""

import functools
from dataclasses import dataclass
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# Where an entry is shown: "main" in the bar; "coop" and "staff" in the bar's "Cooperative" and
# "Administration" menus; "account" in the account menu; "footer" in the page footer.
GROUPS = ("main", "coop", "staff", "account", "footer")


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    # Shown only to users holding one of these roles; None shows it to everyone, and
    # "authenticated" to every signed-in user.
    roles: frozenset[str] | None = None
    order: int = 100
    group: str = "main"
    # Other pages (URL names) that belong to this entry, e.g. "post a job" to "My jobs". They win
    # over a longer-looking path match: /jobs/new/ is under /jobs/ ("Find work") but is the client's.
    also: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise ValueError(f"Unknown navigation group {self.group!r}; use one of {GROUPS}")


_ITEMS: list[NavItem] = []


def register_nav(item: NavItem) -> None:
    if item not in _ITEMS:
        _ITEMS.append(item)
        _ITEMS.sort(key=lambda i: i.order)


@functools.lru_cache(maxsize=1024)
def _url(name: str, prefix: str, urlconf: str | None) -> str:
    """An entry's URL, reversed once per URL configuration and prefix: every page asks for all of them."""
    return reverse(name, urlconf=urlconf)


@receiver(setting_changed)
def _forget_urls(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _url.cache_clear()


def nav_for(
    user: Any, roles: frozenset[str], current_path: str, url_name: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Return the entries the user may see, by group, each with its URL and whether it is current.

    An entry is current when the page is its own or one listed in its `also`; otherwise the entry
    with the longest URL the path starts with is."""
    signed_in = user is not None and user.is_authenticated
    groups: dict[str, list[dict[str, Any]]] = {group: [] for group in GROUPS}
    for item in _ITEMS:
        if item.roles is not None:
            allowed = signed_in and ("authenticated" in item.roles or item.roles & roles)
            if not allowed:
                continue
        try:
            url = _url(item.url_name, get_script_prefix(), get_urlconf())
        except NoReverseMatch:
            continue
        named = url_name is not None and (url_name == item.url_name or url_name in item.also)
        current = named or current_path == url or (url != "/" and current_path.startswith(url))
        groups[item.group].append({"label": item.label, "url": url, "current": current, "named": named})
    named_anywhere = any(e["named"] for entries in groups.values() for e in entries)
    for entries in groups.values():
        if named_anywhere:
            # A page that an entry names is that entry's alone, in every group.
            for e in entries:
                e["current"] = e["named"]
        elif any(e["current"] for e in entries):
            # Of nested URLs (/money/ and /money/finance/), only the longest match is current.
            longest = max((e for e in entries if e["current"]), key=lambda e: len(e["url"]))
            for e in entries:
                e["current"] = e is longest
    return groups

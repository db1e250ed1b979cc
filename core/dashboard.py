"""Roles and dashboard panels, registered by the app that owns each role.

core knows no other app: membership registers "member", marketplace "freelancer" and
"client", each from its AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

RolePredicate = Callable[[Any], bool]

_ROLES: dict[str, tuple[Any, RolePredicate]] = {}
_PANELS: list[Panel] = []


@dataclass(frozen=True)
class Panel:
    role: str
    template_name: str
    get_context: Callable[[Any], dict[str, Any]] = field(default=lambda user: {})
    order: int = 100


def register_role(name: str, label: Any, predicate: RolePredicate) -> None:
    _ROLES[name] = (label, predicate)


def register_panel(panel: Panel) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)
        _PANELS.sort(key=lambda p: p.order)


def roles_for(user: Any) -> frozenset[str]:
    """Return the names of the roles the user holds, computed once per user object."""
    cached = getattr(user, "_coop_roles", None)
    if cached is None:
        cached = frozenset(name for name, (_label, pred) in _ROLES.items() if pred(user))
        user._coop_roles = cached
    return cached


def role_label(name: str) -> Any:
    return _ROLES[name][0]


def panels_for(user: Any) -> list[tuple[Panel, dict[str, Any]]]:
    roles = roles_for(user)
    return [(p, p.get_context(user)) for p in _PANELS if p.role in roles]


def public_panels() -> list[tuple[Panel, dict[str, Any]]]:
    """Return the sections of the home page, which every visitor sees."""
    return [(p, p.get_context(None)) for p in _PANELS if p.role == "public"]


def admin_panel_context(user: Any) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    return {"user_count": get_user_model().objects.filter(is_active=True).count()}


register_role("admin", _("Admin"), lambda user: bool(user.is_staff))

"""Roles and dashboard panels, registered by the app that owns each role.

core knows no other app: membership registers "member", marketplace "freelancer" and
"client", each from its AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils.translation import gettext_lazy as _

RolePredicate = Callable[[Any], bool]
# Returns a boolean expression over the user model, e.g. Exists(...filter(user_id=OuterRef("pk"))).
RoleQuery = Callable[[], Any]

_ROLES: dict[str, tuple[Any, RolePredicate | None, RoleQuery | None]] = {}
_PANELS: list[Panel] = []


@dataclass(frozen=True)
class Panel:
    role: str
    template_name: str
    get_context: Callable[[Any], dict[str, Any]] = field(default=lambda user: {})
    order: int = 100


def register_role(
    name: str, label: Any, predicate: RolePredicate | None = None, *, query: RoleQuery | None = None
) -> None:
    """Register a role held by users for whom `predicate(user)` is true, or `query()` holds in the database.

    A predicate reads the user object (a flag on it); a query is an expression over the user model
    that needs the database. Every query role is worked out in one SELECT together, so a new role
    adds no query to a page.
    """
    if (predicate is None) == (query is None):
        raise ValueError("register_role() takes a predicate or a query, not both")
    _ROLES[name] = (label, predicate, query)


def register_panel(panel: Panel) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)
        _PANELS.sort(key=lambda p: p.order)


def roles_for(user: Any, *, refresh: bool = False) -> frozenset[str]:
    """Return the names of the roles the user holds, computed once per user object, in at most one query.

    `refresh` works them out again: a service deciding a write must not trust roles cached before
    the user's membership or groups changed.
    """
    cached = None if refresh else getattr(user, "_coop_roles", None)
    if cached is None:
        held = {name for name, (_label, predicate, _query) in _ROLES.items() if predicate and predicate(user)}
        # Aliased, so that a role may share its name with a relation of the user ("member").
        queries = {f"role__{name}": query() for name, (_label, _predicate, query) in _ROLES.items() if query}
        if queries and getattr(user, "pk", None) is not None:
            from django.contrib.auth import get_user_model

            row = get_user_model().objects.filter(pk=user.pk).values(**queries).first() or {}
            held |= {alias.removeprefix("role__") for alias, value in row.items() if value}
        cached = frozenset(held)
        user._coop_roles = cached
    return cached


def role_names() -> list[str]:
    """Return the registered roles' names, in the order they were registered."""
    return list(_ROLES)


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


def staff_role_query(group: str) -> RoleQuery:
    """Return the query of a staff role: held through the Django group of that name, or as a superuser."""

    def query() -> Any:
        from django.contrib.auth.models import Group

        member_of = Exists(Group.objects.filter(user=OuterRef("pk"), name=group))
        return ExpressionWrapper(Q(is_superuser=True) | Q(member_of), output_field=BooleanField())

    return query


# "admin" (is_staff) opens Django's admin site and nothing more. The staff roles are separate, so
# that the people who move money are not the people who admit members: finance records payments,
# runs withdrawals and payout computations; the board decides admissions, approves payout cycles,
# appoints mediators and calls elections. Each is held through the Django group of its name
# (STAFF_GROUPS, made by core's migration 0005 and assigned on the admin site); a superuser holds
# both. No staff role lets anyone act as a client, freelancer or member they are not.
STAFF_GROUPS = ("finance", "board")

register_role("admin", _("Admin"), lambda user: bool(user.is_staff))
register_role("finance", _("Finance"), query=staff_role_query("finance"))
register_role("board", _("Board"), query=staff_role_query("board"))

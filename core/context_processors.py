from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from core.dashboard import role_label, roles_for
from core.navigation import nav_for
from core.permissions import has_verified_email


def coop(request: HttpRequest) -> dict[str, Any]:
    """Give every template the coop's name and the visitor's roles (for the navigation)."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    roles = SimpleLazyObject(lambda: roles_for(user) if signed_in else frozenset())
    return {
        "COOP_NAME": settings.COOP_NAME,
        "user_roles": roles,
        "user_role_labels": SimpleLazyObject(
            lambda: [str(role_label(name)) for name in sorted(roles_for(user))] if signed_in else []
        ),
        "nav_items": SimpleLazyObject(
            lambda: nav_for(user, roles_for(user) if signed_in else frozenset(), request.path)
        ),
        "user_email_verified": SimpleLazyObject(lambda: signed_in and has_verified_email(user)),
    }

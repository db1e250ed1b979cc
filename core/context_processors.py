from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from core.dashboard import role_label, roles_for
from core.navigation import nav_for
from core.permissions import has_verified_email


def _unread_count(user: Any) -> int:
    # One indexed COUNT (core_notification_unread_idx), run only when a page shows the bell and
    # at most once per request: the SimpleLazyObject below caches it.
    from core.models import Notification

    return Notification.objects.filter(user=user, in_app=True, read_at__isnull=True).count()


def coop(request: HttpRequest) -> dict[str, Any]:
    """Give every template the coop's name and the visitor's roles (for the navigation)."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    roles = SimpleLazyObject(lambda: roles_for(user) if signed_in else frozenset())
    match = getattr(request, "resolver_match", None)
    url_name = match.view_name if match is not None else None
    return {
        "COOP_NAME": settings.COOP_NAME,
        "user_roles": roles,
        "user_role_labels": SimpleLazyObject(
            lambda: [str(role_label(name)) for name in sorted(roles_for(user))] if signed_in else []
        ),
        "nav_items": SimpleLazyObject(
            lambda: nav_for(user, roles_for(user) if signed_in else frozenset(), request.path, url_name)
        ),
        "user_email_verified": SimpleLazyObject(lambda: signed_in and has_verified_email(user)),
        "unread_notifications": SimpleLazyObject(lambda: {"count": _unread_count(user) if signed_in else 0}),
    }

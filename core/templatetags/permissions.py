"""The permission table in templates: show a button only to those who may press it."""

from typing import Any

from django import template

from core import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: template.Context, action: str, obj: Any = None) -> bool:
    """Return whether the signed-in person may do `action` to `obj`: {% can "job.update" job as may_edit %}."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return user is not None and permissions.can(user, action, obj)

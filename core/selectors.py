"""Reads owned by core: a person's notices."""

from typing import Any

from django.db.models import QuerySet

from core.models import Notification


def notifications_for(*, user: Any) -> QuerySet[Notification]:
    """Return the person's in-app notices, newest first."""
    return Notification.objects.filter(user=user, in_app=True).order_by("-created_at", "-id")


def notifications_unread_count(*, user: Any) -> int:
    return Notification.objects.filter(user=user, in_app=True, read_at__isnull=True).count()

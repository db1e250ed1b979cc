"""Reads that cross relations, for membership."""

from typing import Any

from django.db.models import QuerySet

from membership.models import Member


def user_is_active_member(user: Any) -> bool:
    return Member.objects.filter(user_id=user.pk, status=Member.Status.ACTIVE).exists()


def member_for_user(user: Any) -> Member | None:
    return Member.objects.select_related("member_class").filter(user_id=user.pk).first()


def active_members() -> QuerySet[Member]:
    return Member.objects.filter(status=Member.Status.ACTIVE).select_related("user", "member_class")


def member_panel_context(user: Any) -> dict[str, Any]:
    return {"member": member_for_user(user)}


def public_panel_context(_user: Any) -> dict[str, Any]:
    return {"member_count": Member.objects.filter(status=Member.Status.ACTIVE).count()}

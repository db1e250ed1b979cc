"""Writes for user accounts."""

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction

from core.dashboard import STAFF_GROUPS
from core.services import audit_log
from membership.models import User


def user_create(
    *,
    email: str,
    password: str | None,
    display_name: str = "",
    is_freelancer: bool = False,
    is_client: bool = False,
    is_staff: bool = False,
    is_superuser: bool = False,
    staff_roles: Iterable[str] = (),
) -> User:
    """Create an account; staff roles (core.dashboard.STAFF_GROUPS: "finance", "board") by their groups.

    Staff (the admin site) is not superuser: that takes `is_superuser=True`, asked for explicitly.
    """
    with transaction.atomic():
        user = User.objects.create_user(
            email=email,
            password=password,
            display_name=display_name,
            is_freelancer=is_freelancer,
            is_client=is_client,
            is_staff=is_staff or is_superuser,
            is_superuser=is_superuser,
        )
        roles = sorted(staff_roles)
        if set(roles) - set(STAFF_GROUPS):
            raise ValueError(f"Unknown staff roles {sorted(set(roles) - set(STAFF_GROUPS))}; use {STAFF_GROUPS}")
        for name in roles:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
        audit_log(actor=None, action="user.created", target=user, subject=user, data={"staff_roles": roles})
    return user

"""Writes for user accounts."""

from django.db import transaction

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
) -> User:
    with transaction.atomic():
        user = User.objects.create_user(
            email=email,
            password=password,
            display_name=display_name,
            is_freelancer=is_freelancer,
            is_client=is_client,
            is_staff=is_staff,
            is_superuser=is_staff,
        )
        audit_log(actor=None, action="user.created", target=user, subject=user)
    return user

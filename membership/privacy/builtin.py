"""The personal data of membership and the libraries we use (allauth, Django admin); core registers its own."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.privacy import ACCOUNTABILITY, DELETE, KEEP, Erasure, register_deletion_guard, register_personal_data

LEGAL_REGISTER = _("The law requires a cooperative to keep its member register, also after a member leaves.")


def _erase_user(rows: QuerySet, erasure: Erasure) -> None:
    for user in rows:
        user.email = erasure.pseudonym_email
        user.display_name = erasure.pseudonym
        user.set_unusable_password()
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.is_freelancer = False
        user.is_client = False
        user.erased_at = timezone.now()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()


def _admin_log_rows(user: Any) -> QuerySet:
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from membership.models import Member, User

    about = Q(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk))
    member_id = Member.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
    if member_id is not None:
        about |= Q(content_type=ContentType.objects.get_for_model(Member), object_id=str(member_id))
    return LogEntry.objects.filter(Q(user_id=user.pk) | about)


def _membership_running(user: Any) -> str | None:
    from django.utils.translation import gettext

    from membership.models import Member

    if Member.objects.filter(user_id=user.pk, status__in=[Member.Status.ACTIVE, Member.Status.SUSPENDED]).exists():
        return gettext(
            "You are still a member of the coop. Resign first; once your membership has ended you can delete "
            "your account."
        )
    return None


def register_builtin() -> None:
    from allauth.account.models import EmailAddress, EmailConfirmation
    from allauth.mfa.models import Authenticator
    from django.contrib.admin.models import LogEntry

    from membership.models import (
        AccessLogEntry,
        BylawsAcceptance,
        DataExport,
        DataExportStatusChange,
        Member,
        MemberStatusChange,
        PrivacySettings,
        User,
    )

    register_personal_data(
        User,
        "pk",
        erase=_erase_user,
        secret=["password"],
        purpose=_("Your account: your email address to log in and hear from us, and the name others see."),
        keep_reason=_("The row stays under a pseudonym so that the books and the member register stay whole."),
        order=1000,
    )
    register_personal_data(
        EmailAddress,
        "user",
        erase=DELETE,
        purpose=_("Your email addresses and whether you confirmed them."),
    )
    register_personal_data(
        EmailConfirmation,
        "email_address__user",
        erase=DELETE,
        secret=["key"],
        purpose=_("Links we sent to confirm an email address."),
    )
    register_personal_data(
        Authenticator,
        "user",
        erase=DELETE,
        secret=["data"],
        purpose=_("Your two-factor authentication devices (the secrets themselves are never exported)."),
    )
    register_personal_data(
        LogEntry,
        _admin_log_rows,
        erase=KEEP,
        purpose=_("Changes staff made in the admin: to your account, or by you if you are staff."),
        keep_reason=ACCOUNTABILITY,
        scrub_all=True,
    )
    register_personal_data(
        Member,
        "user",
        erase={"motivation": "blank"},
        purpose=_("Your membership: number, class, shares, application and exit."),
        keep_reason=LEGAL_REGISTER,
    )
    register_personal_data(
        MemberStatusChange,
        ("member__user", "actor"),
        erase=KEEP,
        purpose=_("The history of your membership status."),
        keep_reason=LEGAL_REGISTER,
    )
    register_personal_data(
        BylawsAcceptance,
        "user",
        erase=KEEP,
        purpose=_("Which version of the bylaws you accepted, and when."),
        keep_reason=LEGAL_REGISTER,
    )
    register_personal_data(
        PrivacySettings,
        "user",
        erase=DELETE,
        purpose=_("What of your profile you let others see."),
    )
    register_personal_data(
        AccessLogEntry,
        ("subject", "accessor"),
        erase=KEEP,
        purpose=_("Who in the coop opened or exported your personal data."),
        keep_reason=ACCOUNTABILITY,
    )
    register_personal_data(
        DataExport,
        "user",
        erase=DELETE,
        secret=["file"],
        purpose=_("Your requests to download your data; the archives themselves expire."),
    )
    register_personal_data(
        DataExportStatusChange,
        ("export__user", "actor"),
        erase=DELETE,
        purpose=_("When each of your data downloads was built, failed or expired."),
    )
    register_deletion_guard(_membership_running)

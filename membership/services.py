"""Writes for users and member records. Each is atomic and audited."""

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import Conflict
from core.services import audit_log
from membership.models import MEMBER_TRANSITIONS, Member, MemberClass, MemberStatusChange, User


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


def member_apply(*, user: User, member_class: MemberClass, actor: Any | None = None) -> Member:
    """Open a membership application for the user in the given class."""
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        existing = Member.objects.filter(user=user).first()
        if existing is not None and existing.status != Member.Status.EXITED:
            raise Conflict(_("You already have a membership record."), code="member_exists")
        member = Member.objects.create(user=user, member_class=member_class)
        MemberStatusChange.objects.create(member=member, to_status=member.status, actor=actor)
        audit_log(actor=actor, action="member.applied", target=member, subject=user)
    return member


def _transition(*, member: Member, to_status: str, actor: Any | None, reason: str = "") -> Member:
    if to_status not in MEMBER_TRANSITIONS[member.status]:
        raise Conflict(
            _("A member cannot move from %(from)s to %(to)s.")
            % {"from": member.get_status_display(), "to": Member.Status(to_status).label},
            code="member_bad_transition",
        )
    previous = member.status
    member.status = to_status
    member.save(update_fields=["status", "member_number", "joined_at", "shares", "updated_at"])
    MemberStatusChange.objects.create(
        member=member, from_status=previous, to_status=to_status, actor=actor, reason=reason
    )
    audit_log(
        actor=actor,
        action=f"member.{to_status}",
        target=member,
        subject=member.user,
        data={"from": previous, "reason": reason},
    )
    return member


def member_admit(*, member_id: int, actor: Any | None, shares: int | None = None) -> Member:
    """Admit an applicant: give the next member number and the class's shares."""
    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("member_class").get(pk=member_id)
        if member.member_number is None:
            # Member numbers are never reused; the row lock on the applicant plus the unique
            # constraint make a concurrent admission fail instead of sharing a number.
            last = Member.objects.aggregate(m=Max("member_number"))["m"] or 0
            member.member_number = last + 1
        member.joined_at = member.joined_at or timezone.now()
        member.shares = shares if shares is not None else member.member_class.shares_required
        return _transition(member=member, to_status=Member.Status.ACTIVE, actor=actor)

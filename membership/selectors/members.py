"""Reads about member records, classes, bylaws and capital accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from core.permissions import can
from core.ports import CapitalMovement, share_ledger
from membership.models import BylawsVersion, Member, MemberClass, MembershipPolicy, MemberStatusChange


def membership_policy() -> MembershipPolicy:
    """Return the coop's membership policy (the one row, made with the defaults when missing)."""
    policy, _created = MembershipPolicy.objects.get_or_create(pk=1)
    return policy


def bylaws_current() -> BylawsVersion | None:
    """Return the bylaws version in force today."""
    return BylawsVersion.objects.filter(effective_on__lte=timezone.localdate()).order_by("-effective_on", "-id").first()


def member_classes_open() -> QuerySet[MemberClass]:
    return MemberClass.objects.filter(open_for_applications=True).order_by("name")


def user_is_active_member(user: Any) -> bool:
    return Member.objects.filter(user_id=user.pk, status=Member.Status.ACTIVE).exists()


def is_active_member_expression() -> Exists:
    """Return whether the user (the outer query's row) is an active member, as a query expression."""
    return Exists(Member.objects.filter(user_id=OuterRef("pk"), status=Member.Status.ACTIVE))


def member_for_user(user: Any) -> Member | None:
    return (
        Member.objects.select_related("member_class", "bylaws_acceptance__bylaws_version")
        .filter(user_id=user.pk)
        .first()
    )


def active_members() -> QuerySet[Member]:
    return Member.objects.filter(status=Member.Status.ACTIVE).select_related("user", "member_class")


def voting_members() -> QuerySet[Member]:
    """Return the active members whose class votes, with the class (vote_weight, vote_share_percent)."""
    return active_members().filter(member_class__votes=True)


def member_register() -> QuerySet[Member]:
    """Return the register members see: every active member, with their privacy choice."""
    return (
        Member.objects.filter(status=Member.Status.ACTIVE)
        .select_related("user", "user__privacy_settings", "member_class")
        .order_by("member_number")
    )


@dataclass(frozen=True)
class RegisterRow:
    member_id: int
    number: int | None
    name: str | None
    member_class: str
    since: datetime | None


def member_register_rows(viewer: Any) -> list[RegisterRow]:
    """Return the register as a member sees it: a name is left out when its owner chose so."""
    from membership.models import PrivacySettings

    rows = []
    for member in member_register():
        try:
            shown = member.user.privacy_settings.show_name_in_register
        except PrivacySettings.DoesNotExist:
            shown = True
        visible = shown or member.user_id == viewer.pk or can(viewer, "member.view")
        rows.append(
            RegisterRow(
                member_id=member.pk,
                number=member.member_number,
                name=(member.user.display_name or None) if visible else None,
                member_class=member.member_class.display_name,
                since=member.joined_at,
            )
        )
    return rows


def legal_register() -> QuerySet[Member]:
    """Return the full legal register for the board: everyone who was ever admitted, or applied."""
    return (
        Member.objects.select_related("user", "member_class", "bylaws_acceptance__bylaws_version")
        .prefetch_related(Prefetch("status_changes", queryset=MemberStatusChange.objects.order_by("created_at", "id")))
        .order_by(F("member_number").asc(nulls_last=True), "id")
    )


def applications_open() -> QuerySet[Member]:
    return (
        Member.objects.filter(status=Member.Status.APPLICANT)
        .select_related("user", "member_class", "bylaws_acceptance__bylaws_version")
        .order_by("created_at", "id")
    )


def member_record(member_id: int) -> Member | None:
    return (
        Member.objects.select_related("user", "member_class", "bylaws_acceptance__bylaws_version")
        .prefetch_related(
            Prefetch(
                "status_changes",
                queryset=MemberStatusChange.objects.select_related("actor").order_by("created_at", "id"),
            )
        )
        .filter(pk=member_id)
        .first()
    )


def member_history(member: Member) -> QuerySet[MemberStatusChange]:
    return member.status_changes.select_related("actor").order_by("created_at", "id")


def members_due_to_exit() -> QuerySet[Member]:
    return Member.objects.filter(
        status__in=[Member.Status.ACTIVE, Member.Status.SUSPENDED], exit_effective_on__lte=timezone.localdate()
    )


@dataclass(frozen=True)
class CapitalStatement:
    currency: str
    shares_cents: int
    retained_cents: int
    movements: list[CapitalMovement]

    @property
    def total_cents(self) -> int:
        return self.shares_cents + self.retained_cents


def capital_statement(member: Member) -> CapitalStatement:
    """Return the member's internal capital account: paid-in shares, retained surplus, every movement.

    Read from the ledger through core.ports.share_ledger: oldest movement first, with the running
    balance across both kinds of capital.
    """
    currency = member.member_class.currency
    capital = share_ledger.get().member_capital(member_id=member.pk, user_id=member.user_id, currency=currency)
    return CapitalStatement(
        currency=currency,
        shares_cents=capital.shares_cents,
        retained_cents=capital.retained_cents,
        movements=list(capital.movements),
    )


def member_panel_context(user: Any) -> dict[str, Any]:
    return {"member": member_for_user(user)}


def public_panel_context(_user: Any) -> dict[str, Any]:
    return {"member_count": Member.objects.filter(status=Member.Status.ACTIVE).count()}

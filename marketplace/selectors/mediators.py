"""Reads about mediators: who may see and decide disputes."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from core.permissions import can
from marketplace.models import Contract, Dispute, Mediator
from membership.models import User


def mediator_is_active(*, user: User | AnonymousUser) -> bool:
    """Return whether the user holds an active appointment as a member mediator."""
    if not user.is_authenticated:
        return False
    return Mediator.objects.filter(user_id=user.pk, ended_at__isnull=True).exists()


def mediator_active_expression() -> Exists:
    """Return whether the user (the outer query's row) is an active member mediator, as a query expression."""
    return Exists(Mediator.objects.filter(user_id=OuterRef("pk"), ended_at__isnull=True))


def user_mediates(*, user: User | AnonymousUser) -> bool:
    """Return whether the user may mediate at all (the board, or an active member mediator)."""
    return can(user, "dispute.resolve")


def user_may_decide(*, user: User | AnonymousUser, contract: Contract, mediates: bool | None = None) -> bool:
    """Return whether the user may decide a dispute on this contract: a mediator who is not a party to it."""
    if contract.party_of(user.pk) is not None:
        return False
    return user_mediates(user=user) if mediates is None else mediates


def disputes_for_mediator(*, user: User) -> QuerySet[Dispute]:
    """Return the undecided disputes the user may decide, oldest deadline first."""
    disputes = (
        Dispute.objects.exclude(status=Dispute.Status.RESOLVED)
        .select_related("milestone", "milestone__contract", "opened_by")
        .order_by("respond_by", "id")
    )
    return disputes.exclude(Q(milestone__contract__client_id=user.pk) | Q(milestone__contract__freelancer_id=user.pk))


def mediators_active() -> QuerySet[Mediator]:
    return Mediator.objects.filter(ended_at__isnull=True).select_related("user", "appointed_by").order_by("id")

"""Reads about contracts, milestones, timesheets, reviews and disputes."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from marketplace.models import (
    Contract,
    Delivery,
    Dispute,
    FeePolicy,
    Milestone,
    MilestoneStatusChange,
    Review,
    Timesheet,
)
from marketplace.selectors.mediators import user_mediates
from membership.models import User


def contracts_for_user(*, user: User) -> QuerySet[Contract]:
    return (
        Contract.objects.filter(Q(client=user) | Q(freelancer=user))
        .select_related("client", "freelancer", "job")
        .order_by("-created_at", "-id")
    )


def _milestones_with_details() -> QuerySet[Milestone]:
    return Milestone.objects.select_related("dispute", "timesheet").prefetch_related(
        Prefetch("deliveries", queryset=Delivery.objects.prefetch_related("files")),
        Prefetch("status_changes", queryset=MilestoneStatusChange.objects.order_by("created_at", "id")),
    )


def contract_get_for(*, contract_id: int, user: User | AnonymousUser, with_milestones: bool = True) -> Contract:
    """Return a contract with everything its page shows, to its two parties only; anyone else gets 404.

    Without milestones, the page reads them a page at a time through `contract_milestones`.
    """
    prefetches: list[Prefetch] = [
        Prefetch("timesheets", queryset=Timesheet.objects.order_by("-week_start")),
        Prefetch("reviews", queryset=Review.objects.select_related("response", "author")),
    ]
    if with_milestones:
        prefetches.append(Prefetch("milestones", queryset=_milestones_with_details()))
    contract = (
        Contract.objects.select_related("client", "freelancer", "job", "fee_policy", "thread")
        .prefetch_related(*prefetches)
        .filter(pk=contract_id)
        .first()
    )
    if contract is None or not user.is_authenticated or contract.party_of(user.pk) is None:
        raise Http404
    return contract


def contract_milestones(*, contract: Contract) -> QuerySet[Milestone]:
    """A contract's milestones in plan order, with what the contract page shows of each, to paginate."""
    return _milestones_with_details().filter(contract=contract).order_by("position", "id")


def visible_reviews(*, contract: Contract, user: User | AnonymousUser) -> list[Review]:
    """The reviews of a contract the user may read: revealed ones, and their own."""
    return [r for r in contract.reviews.all() if r.revealed_at is not None or r.author_id == user.pk]


def dispute_get_for(*, dispute_id: int, user: User | AnonymousUser) -> Dispute:
    """Return a dispute to the contract's parties and to mediators (staff or appointed members)."""
    dispute = (
        Dispute.objects.select_related(
            "milestone",
            "milestone__contract",
            "milestone__contract__client",
            "milestone__contract__freelancer",
            "opened_by",
            "mediator",
        )
        .prefetch_related(
            "evidence",
            "status_changes",
            Prefetch("milestone__deliveries", queryset=Delivery.objects.prefetch_related("files")),
        )
        .filter(pk=dispute_id)
        .first()
    )
    if dispute is None or not user.is_authenticated:
        raise Http404
    if dispute.milestone.contract.party_of(user.pk) is None and not user_mediates(user=user):
        raise Http404
    return dispute


def fee_policies() -> QuerySet[FeePolicy]:
    return FeePolicy.objects.order_by("-effective_from", "-id")


def completed_contract_count(user: User) -> int:
    """Return how many contracts the user completed, as freelancer or as client.

    Registered as the membership activity check "completed_contracts" (MarketplaceConfig.ready).
    """
    return (
        Contract.objects.filter(Q(freelancer_id=user.pk) | Q(client_id=user.pk), status=Contract.Status.COMPLETED)
        .order_by()
        .count()
    )

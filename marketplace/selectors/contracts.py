"""Reads about contracts, milestones, timesheets, reviews and disputes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypedDict, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
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
from payouts.models import PaymentRequest

if TYPE_CHECKING:
    # django-stubs-ext is a development requirement: the name is only read by the type checker.
    from django_stubs_ext import WithAnnotations

_C = TypeVar("_C", bound=Contract)


class ContractPageCounts(TypedDict):
    """What contract_page_get_for adds to the contract."""

    milestone_count: int


def contracts_for_user(*, user: User) -> QuerySet[Contract]:
    return (
        Contract.objects.filter(Q(client=user) | Q(freelancer=user))
        .select_related("client", "freelancer", "job")
        .order_by("-created_at", "-id")
    )


def contract_get_for(*, contract_id: int, user: User | AnonymousUser) -> Contract:
    """Return a contract with its timesheets and reviews, to its two parties only; anyone else gets 404.

    Its milestones are not loaded: the contract page reads them a page at a time (issue 18)."""
    contract = (
        Contract.objects.select_related("client", "freelancer", "job", "fee_policy", "thread")
        .prefetch_related(
            Prefetch("timesheets", queryset=_timesheets()),
            Prefetch("reviews", queryset=Review.objects.select_related("response", "author")),
        )
        .filter(pk=contract_id)
        .first()
    )
    return _for_party(contract, user)


def contract_of_party(*, contract_id: int, user: User | AnonymousUser) -> Contract:
    """Return the contract alone (with its parties), to its two parties only; anyone else gets 404.

    For pages and endpoints that only check who may act on a contract: nothing here grows with it."""
    contract = Contract.objects.select_related("client", "freelancer").filter(pk=contract_id).first()
    return _for_party(contract, user)


def contract_page_get_for(
    *, contract_id: int, user: User | AnonymousUser
) -> WithAnnotations[Contract, ContractPageCounts]:
    """Return a contract with what its page shows of it (parties, fee policy, thread, reviews), to its two
    parties only; anyone else gets 404. The page reads milestones a page at a time (`contract_milestones`)
    and an hourly contract's timesheets the same way (`contract_timesheets`); it comes with the number of its
    milestones (`milestone_count`), so that paging through them needs no query of its own.
    """
    contract = (
        Contract.objects.select_related("client", "freelancer", "fee_policy", "thread")
        .prefetch_related(Prefetch("reviews", queryset=Review.objects.select_related("response", "author")))
        .annotate(milestone_count=_milestone_count())
        .filter(pk=contract_id)
        .first()
    )
    return _for_party(contract, user)


def contract_counted_get_for(
    *, contract_id: int, user: User | AnonymousUser
) -> WithAnnotations[Contract, ContractPageCounts]:
    """Return the contract (with its parties) and the number of its milestones (`milestone_count`), to its
    two parties only; anyone else gets 404. For the API's contract, which shows its first milestones and
    says how many there are: one query however many it has.
    """
    contract = (
        Contract.objects.select_related("client", "freelancer")
        .annotate(milestone_count=_milestone_count())
        .filter(pk=contract_id)
        .first()
    )
    return _for_party(contract, user)


def _milestone_count() -> Coalesce:
    milestones = Milestone.objects.filter(contract=OuterRef("pk")).order_by().values("contract")
    return Coalesce(Subquery(milestones.annotate(n=Count("*")).values("n")), 0)


def _for_party(contract: _C | None, user: User | AnonymousUser) -> _C:
    if contract is None or not user.is_authenticated or contract.party_of(user.pk) is None:
        raise Http404
    return contract


def _timesheets() -> QuerySet[Timesheet]:
    return Timesheet.objects.order_by("-week_start", "-id")


def contract_timesheets(*, contract: Contract) -> QuerySet[Timesheet]:
    """An hourly contract's weekly timesheets, newest week first, to paginate (a fixed-price contract has none)."""
    return _timesheets().filter(contract=contract)


def contract_milestones(*, contract: Contract) -> QuerySet[Milestone]:
    """A contract's milestones in plan order, to paginate, with their dispute and timesheet (if any) and,
    for one being paid into escrow, how it is being paid (`paid_by`, the payment request's provider).

    What the page shows under each milestone comes with `milestone_page_details`.
    """
    provider = PaymentRequest.objects.filter(reference=OuterRef("payment_reference")).values("provider")[:1]
    return (
        Milestone.objects.filter(contract=contract)
        .select_related("dispute", "timesheet")
        .annotate(paid_by=Subquery(provider))
        .order_by("position", "id")
    )


@dataclass(frozen=True)
class DeliveredFile:
    pk: int
    name: str


@dataclass(frozen=True)
class DeliveryShown:
    """A delivery as the contract page shows it: when, the freelancer's message, the files."""

    created_at: datetime
    message: str
    files: list[DeliveredFile] = field(default_factory=list)


@dataclass(frozen=True)
class MilestoneDetails:
    deliveries: dict[int, list[DeliveryShown]]  # by milestone id, oldest first
    changes_asked: dict[int, list[str]]  # the client's notes, by milestone id, oldest first


def milestone_page_details(*, milestone_ids: Sequence[int]) -> MilestoneDetails:
    """The deliveries (with their files) and the notes of the changes asked of a page of milestones.

    Two queries of plain values, the files joined to their deliveries: reading them as related
    models (three prefetches) cost more than the rest of the page's data (issue 18).
    """
    deliveries: dict[int, list[DeliveryShown]] = defaultdict(list)
    changes: dict[int, list[str]] = defaultdict(list)
    if not milestone_ids:
        return MilestoneDetails(deliveries={}, changes_asked={})
    rows = (
        Delivery.objects.filter(milestone_id__in=milestone_ids)
        .order_by("created_at", "id", "files__id")
        .values_list("id", "milestone_id", "created_at", "message", "files__id", "files__name")
    )
    shown: dict[int, DeliveryShown] = {}
    for delivery_id, milestone_id, created_at, message, file_id, file_name in rows:
        delivery = shown.get(delivery_id)
        if delivery is None:
            delivery = shown[delivery_id] = DeliveryShown(created_at=created_at, message=message)
            deliveries[milestone_id].append(delivery)
        if file_id is not None:
            delivery.files.append(DeliveredFile(pk=file_id, name=file_name))
    notes = (
        MilestoneStatusChange.objects.filter(
            milestone_id__in=milestone_ids, to_status=Milestone.Status.CHANGES_REQUESTED
        )
        .exclude(note="")
        .order_by("created_at", "id")
        .values_list("milestone_id", "note")
    )
    for milestone_id, note in notes:
        changes[milestone_id].append(note)
    return MilestoneDetails(deliveries=dict(deliveries), changes_asked=dict(changes))


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

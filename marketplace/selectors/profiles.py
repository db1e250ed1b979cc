"""Reads for profile pages: what the owner chose to make public, reviews and work history."""

from typing import Any

from django.db.models import Avg, Count, Q
from django.http import Http404

from marketplace.models import ClientProfile, Contract, FreelancerProfile, Review


def freelancer_profile_public(*, user_id: int, viewer: Any) -> FreelancerProfile:
    """Return a public freelancer profile; a private one only to its owner."""
    profile = (
        FreelancerProfile.objects.select_related("user")
        .prefetch_related("skills", "portfolio_items")
        .filter(user_id=user_id)
        .first()
    )
    if profile is None or (not profile.is_public and getattr(viewer, "pk", None) != user_id):
        raise Http404
    return profile


def client_profile_public(*, user_id: int, viewer: Any) -> ClientProfile:
    profile = ClientProfile.objects.select_related("user").filter(user_id=user_id).first()
    if profile is None or (not profile.is_public and getattr(viewer, "pk", None) != user_id):
        raise Http404
    return profile


def revealed_reviews_of(*, user_id: int, limit: int = 20) -> list[Review]:
    return list(
        Review.objects.filter(subject_id=user_id, revealed_at__isnull=False)
        .select_related("author", "contract", "response")
        .order_by("-revealed_at", "-id")[:limit]
    )


def rating_summary(*, user_id: int) -> dict[str, Any]:
    return Review.objects.filter(subject_id=user_id, revealed_at__isnull=False).aggregate(
        count=Count("id"),
        quality=Avg("rating_quality"),
        communication=Avg("rating_communication"),
        reliability=Avg("rating_reliability"),
    )


def work_history(*, user_id: int, limit: int = 20) -> list[Contract]:
    """Completed contracts of a person, on either side, newest first."""
    return list(
        Contract.objects.filter(Q(freelancer_id=user_id) | Q(client_id=user_id), status=Contract.Status.COMPLETED)
        .select_related("client", "client__client_profile", "freelancer")
        .order_by("-completed_at", "-id")[:limit]
    )

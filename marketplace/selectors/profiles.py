"""Reads for profile pages: what the owner lets the viewer see, reviews and work history.

Who may see a profile, its rate, location and reviews is the person's privacy settings in
membership (one place for every app); the marketplace adds only whether the viewer works with
them, which lets a client and a freelancer see each other whatever the audience.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404

from marketplace.models import ClientProfile, Contract, FreelancerProfile, Job, Proposal, Review
from membership.models import User
from membership.selectors import ProfileVisibility, profile_visibility


def works_with(*, user_id: int, viewer: User | AnonymousUser) -> bool:
    """Return whether the viewer has a contract or a proposal with the user, on either side."""
    viewer_id = getattr(viewer, "pk", None)
    if viewer_id is None or not getattr(viewer, "is_authenticated", False) or viewer_id == user_id:
        return False
    contract = Q(client_id=viewer_id, freelancer_id=user_id) | Q(client_id=user_id, freelancer_id=viewer_id)
    proposal = Q(freelancer_id=user_id, job__client_id=viewer_id) | Q(freelancer_id=viewer_id, job__client_id=user_id)
    return Contract.objects.filter(contract).exists() or Proposal.objects.filter(proposal).exists()


def profile_visible_to(*, user: User, viewer: User | AnonymousUser) -> ProfileVisibility:
    """Return what of the user's profile the viewer sees (pass `user` with privacy_settings joined).

    The work relation is looked up only when the audience alone would hide the profile.
    """
    visible = profile_visibility(user, viewer)
    if visible.profile or not getattr(viewer, "is_authenticated", False):
        return visible
    return profile_visibility(user, viewer, works_with=works_with(user_id=user.pk, viewer=viewer))


def freelancer_profile_public(
    *, user_id: int, viewer: User | AnonymousUser
) -> tuple[FreelancerProfile, ProfileVisibility]:
    """Return a freelancer profile and what of it the viewer sees; 404 when they may see none of it."""
    profile = (
        FreelancerProfile.objects.select_related("user", "user__privacy_settings")
        .prefetch_related("skills", "portfolio_items")
        .filter(user_id=user_id)
        .first()
    )
    if profile is None:
        raise Http404
    visible = profile_visible_to(user=profile.user, viewer=viewer)
    if not visible.profile:
        raise Http404
    return profile, visible


def client_profile_public(*, user_id: int, viewer: User | AnonymousUser) -> tuple[ClientProfile, ProfileVisibility]:
    """Return a client profile and what of it the viewer sees; 404 when they may see none of it."""
    profile = ClientProfile.objects.select_related("user", "user__privacy_settings").filter(user_id=user_id).first()
    if profile is None:
        raise Http404
    visible = profile_visible_to(user=profile.user, viewer=viewer)
    if not visible.profile:
        raise Http404
    return profile, visible


def client_profile_visible(*, job: Job, viewer: User | AnonymousUser) -> bool:
    """Return whether the job page may link to its client's profile page (which would else be a 404).

    Pass a job from job_get_for: the client's profile and privacy settings come joined.
    """
    # A missing reverse one-to-one raises an AttributeError subclass, so hasattr reads the join.
    if not hasattr(job.client, "client_profile"):
        return False
    return profile_visible_to(user=job.client, viewer=viewer).profile


def revealed_reviews(*, user_id: int) -> QuerySet[Review]:
    """The revealed reviews of a person, newest first, to paginate."""
    return (
        Review.objects.filter(subject_id=user_id, revealed_at__isnull=False)
        .select_related("author", "contract", "response")
        .order_by("-revealed_at", "-id")
    )


def rating_summary(*, user_id: int) -> dict[str, Any]:
    return Review.objects.filter(subject_id=user_id, revealed_at__isnull=False).aggregate(
        count=Count("id"),
        quality=Avg("rating_quality"),
        communication=Avg("rating_communication"),
        reliability=Avg("rating_reliability"),
    )


def completed_contracts_of(*, user_id: int) -> QuerySet[Contract]:
    """Completed contracts of a person, on either side, newest first, to paginate."""
    return (
        Contract.objects.filter(Q(freelancer_id=user_id) | Q(client_id=user_id), status=Contract.Status.COMPLETED)
        .select_related("client", "client__client_profile", "freelancer")
        .order_by("-completed_at", "-id")
    )


def track_record_of(*, user_id: int) -> dict[str, Any]:
    """The hiring card's facts about one freelancer (freelancer_track_record), for their profile page."""
    from marketplace.selectors.jobs import freelancer_track_record

    record = (
        FreelancerProfile.objects.filter(user_id=user_id)
        .annotate(**freelancer_track_record("user_id"))
        .values("rating_avg", "review_count", "completed_count", "is_member", "is_verified")
        .first()
    )
    return record or {}

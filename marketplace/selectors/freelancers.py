"""The directory of freelancers: public profiles found by skill and words, as hiring cards.

Only profiles whose owner lets the viewer find them appear (membership's privacy settings: everyone,
or everyone signed in for a signed-in viewer; "nobody" is never listed, not even to people they work
with). On each card the rate, the reviews and the member mark follow the same settings. The page
runs a fixed number of queries: the profiles with their track record in one, their skills in one.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from marketplace.models import FreelancerProfile, Invitation, Job, Skill
from marketplace.selectors.jobs import freelancer_track_record
from marketplace.selectors.ranking import attach_why, rank_freelancers
from membership.models import PrivacySettings, User
from membership.selectors import profile_visibility


def findable_by(viewer: User | AnonymousUser) -> Q:
    """The profiles the viewer may find, by their owners' privacy settings (no settings: signed-in people)."""
    if getattr(viewer, "is_authenticated", False):
        return findable_by_signed_in()
    return Q(user__privacy_settings__profile_audience=PrivacySettings.Audience.EVERYONE)


def findable_by_signed_in() -> Q:
    """The profiles anyone signed in may find (and a client may invite): no settings, everyone or signed in."""
    return Q(user__privacy_settings__isnull=True) | Q(
        user__privacy_settings__profile_audience__in=[
            PrivacySettings.Audience.EVERYONE,
            PrivacySettings.Audience.SIGNED_IN,
        ]
    )


def freelancer_directory(*, viewer: User | AnonymousUser, q: str = "", skill: str = "") -> QuerySet[FreelancerProfile]:
    """Return the findable profiles matching every word of `q` and the skill slug, as the ranking orders them."""
    profiles = FreelancerProfile.objects.filter(findable_by(viewer), user__is_active=True, user__erased_at__isnull=True)
    words = q.split()[:8]
    for word in words:
        named_skill = Skill.objects.filter(freelancers=OuterRef("pk"), name__icontains=word)
        profiles = profiles.filter(
            Q(headline__icontains=word)
            | Q(bio__icontains=word)
            | Q(user__display_name__icontains=word)
            | Exists(named_skill)
        )
    if skill:
        profiles = profiles.filter(Exists(Skill.objects.filter(freelancers=OuterRef("pk"), slug=skill)))
    profiles = (
        profiles.select_related("user", "user__privacy_settings")
        .defer("user__password")
        .prefetch_related("skills")
        .annotate(**freelancer_track_record("user_id"))
    )
    # The members' ranking (marketplace.selectors.ranking): the factors and weights in force.
    return rank_freelancers(profiles, words=words).order_by(F("rank_score").desc(), "-id")


@dataclass(frozen=True)
class FreelancerCard:
    """One freelancer on a card, with only what their privacy settings let the viewer see."""

    profile: FreelancerProfile
    show_rate: bool
    show_reviews: bool
    show_membership: bool

    @property
    def user(self) -> Any:
        return self.profile.user


def freelancer_cards(profiles: Any, *, viewer: User | AnonymousUser) -> list[FreelancerCard]:
    cards = []

    # Member status counts in the order, but the line "why this position" keeps it to those it may show;
    # text relevance is left out of the line when no words were searched for (it gave nobody points).
    def hidden(profile: FreelancerProfile) -> tuple[str, ...]:
        masked = () if profile_visibility(profile.user, viewer).membership else ("member",)
        return masked + (("relevance",) if not getattr(profile, "rk_relevance", 0) else ())

    profiles = attach_why(profiles, hidden=hidden)
    for profile in profiles:
        visible = profile_visibility(profile.user, viewer)
        cards.append(
            FreelancerCard(
                profile=profile,
                show_rate=visible.hourly_rate,
                show_reviews=visible.reviews,
                show_membership=visible.membership,
            )
        )
    return cards


def open_jobs_of(*, client: User | AnonymousUser) -> QuerySet[Job]:
    """The client's jobs that take proposals now, to invite someone to."""
    if not getattr(client, "is_authenticated", False):
        return Job.objects.none()
    return Job.objects.filter(client_id=client.pk, status=Job.Status.OPEN).order_by("-published_at", "-id")


def invitations_of(*, freelancer: User) -> QuerySet[Invitation]:
    """The invitations a freelancer received, newest first, with the job and the client joined."""
    return (
        Invitation.objects.filter(freelancer_id=freelancer.pk)
        .select_related("job", "job__client", "invited_by")
        .order_by("-created_at", "-id")
    )


def invitation_on(*, job: Job, user: User | AnonymousUser) -> Invitation | None:
    """The viewer's invitation to this job, if any (for the job page)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Invitation.objects.filter(job_id=job.pk, freelancer_id=user.pk).select_related("invited_by").first()

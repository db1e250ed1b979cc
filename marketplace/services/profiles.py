"""Skills, profiles, portfolio items and their privacy choices."""

import time
from collections.abc import Iterable

from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, NotAllowed
from core.money import default_currency
from core.permissions import authorize
from core.services import audit_log
from marketplace.exceptions import ErrorCode
from marketplace.models import ClientProfile, FreelancerProfile, PortfolioItem, Skill
from marketplace.validators import check_upload
from membership.models import User

# Who sees the profile, its rate, location and reviews is in membership's privacy settings; only
# the work history, which membership does not know of, is chosen here.
PRIVACY_FLAGS = ("show_work_history",)


def skills_get_or_create(*, names: Iterable[str]) -> list[Skill]:
    """Return the skills with these names, creating the ones that do not exist yet; repeats count once.

    Not atomic on its own: the service that attaches the skills calls it inside its transaction, so
    a job or profile it refuses leaves no new skills behind.
    """
    skills: dict[str, Skill] = {}
    for raw in names:
        name = raw.strip()
        slug = slugify(name)[:50]
        if not name or not slug:
            raise ApplicationError(_("A skill needs a name."), code=ErrorCode.SKILL_NAME_BLANK)
        if slug not in skills:
            skills[slug], created = Skill.objects.get_or_create(slug=slug, defaults={"name": name[:80]})
            if created:
                skills_changed()
    return list(skills.values())


# The job search form lists every skill and keeps its rendering in the cache (JobSearchForm.filters_html).
SKILLS_VERSION_KEY = "marketplace:skills:version"


def _new_skills_version_after_commit() -> None:
    cache.set(SKILLS_VERSION_KEY, time.time_ns(), None)


def skills_changed() -> None:
    """Start a new rendering of the skill filter once the new skill is committed (a cache key, no broker)."""
    transaction.on_commit(_new_skills_version_after_commit)


@transaction.atomic
def freelancer_profile_save(
    *,
    user: User,
    headline: str,
    bio: str = "",
    skill_names: Iterable[str] = (),
    hourly_rate_cents: int | None = None,
    currency: str | None = None,
    availability: str = FreelancerProfile.Availability.PART_TIME,
    location: str = "",
    remote: bool = True,
    languages: str = "",
    privacy: dict[str, bool] | None = None,
    actor: User | None = None,
) -> FreelancerProfile:
    """Create or update the user's freelancer profile (and mark them as a freelancer).

    The skills are named; the ones that do not exist yet are created with the profile.
    """
    authorize(actor or user, "profile.update", user)
    if hourly_rate_cents is not None and hourly_rate_cents <= 0:
        raise ApplicationError(_("The hourly rate must be more than zero."), code=ErrorCode.RATE_NOT_POSITIVE)
    if not headline.strip():
        raise ApplicationError(_("Write a headline that says what you do."), code=ErrorCode.HEADLINE_BLANK)
    defaults: dict[str, object] = {
        "headline": headline.strip(),
        "bio": bio,
        "hourly_rate_cents": hourly_rate_cents,
        "currency": currency or default_currency(),
        "availability": availability,
        "location": location,
        "remote": remote,
        "languages": languages,
    }
    for flag, value in (privacy or {}).items():
        if flag not in PRIVACY_FLAGS:
            raise ValueError(f"Unknown privacy flag {flag!r}")
        defaults[flag] = bool(value)
    profile, created = FreelancerProfile.objects.update_or_create(user=user, defaults=defaults)
    profile.skills.set(skills_get_or_create(names=skill_names))
    if not user.is_freelancer:
        user.is_freelancer = True
        user.save(update_fields=["is_freelancer"])
    audit_log(
        actor=actor or user, action="freelancer_profile.saved", target=profile, subject=user, data={"created": created}
    )
    return profile


@transaction.atomic
def client_profile_save(
    *,
    user: User,
    kind: str = ClientProfile.Kind.PERSON,
    organisation_name: str = "",
    about: str = "",
    actor: User | None = None,
) -> ClientProfile:
    authorize(actor or user, "profile.update", user)
    if kind == ClientProfile.Kind.ORGANISATION and not organisation_name.strip():
        raise ApplicationError(_("Give the organisation's name."), code=ErrorCode.ORGANISATION_NAME_BLANK)
    profile, created = ClientProfile.objects.update_or_create(
        user=user,
        defaults={
            "kind": kind,
            "organisation_name": organisation_name.strip(),
            "about": about,
        },
    )
    if not user.is_client:
        user.is_client = True
        user.save(update_fields=["is_client"])
    audit_log(
        actor=actor or user, action="client_profile.saved", target=profile, subject=user, data={"created": created}
    )
    return profile


def client_profile_ensure(*, user: User) -> ClientProfile:
    """Return the user's client profile, making a personal one on first use."""
    profile = ClientProfile.objects.filter(user=user).first()
    return profile or client_profile_save(user=user)


@transaction.atomic
def portfolio_item_add(
    *, user: User, title: str, description: str = "", url: str = "", file: UploadedFile[bytes] | None = None
) -> PortfolioItem:
    profile = FreelancerProfile.objects.filter(user=user).first()
    if profile is None:
        raise ApplicationError(_("Create your freelancer profile first."), code=ErrorCode.NO_FREELANCER_PROFILE)
    if not url and file is None:
        raise ApplicationError(_("Add a link or a file to show your work."), code=ErrorCode.PORTFOLIO_LINK_OR_FILE)
    item = PortfolioItem(profile=profile, title=title, description=description, url=url)
    if file is not None:
        item.file.save(check_upload(file), file, save=False)
    item.save()
    audit_log(actor=user, action="portfolio_item.added", target=item, subject=user)
    return item


@transaction.atomic
def portfolio_item_delete(*, item_id: int, actor: User) -> None:
    item = PortfolioItem.objects.select_for_update().select_related("profile").filter(pk=item_id).first()
    if item is None:
        raise NotAllowed(_("You can only remove items from your own portfolio."), code=ErrorCode.NOT_YOUR_PORTFOLIO)
    authorize(actor, "portfolio_item.delete", item)
    audit_log(actor=actor, action="portfolio_item.deleted", target=item, subject=actor, data={"title": item.title})
    item.file.delete(save=False)
    item.delete()

"""Writes for the marketplace. Each is atomic and audited."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, Conflict
from core.services import audit_log
from marketplace.models import JOB_TRANSITIONS, ClientProfile, FreelancerProfile, Job, Skill


def skill_get_or_create(*, name: str) -> Skill:
    skill, _created = Skill.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    return skill


def freelancer_profile_save(
    *,
    user: Any,
    headline: str,
    bio: str = "",
    skills: Iterable[Skill] = (),
    hourly_rate_cents: int | None = None,
    currency: str = "EUR",
    availability: str = FreelancerProfile.Availability.PART_TIME,
    location: str = "",
    remote: bool = True,
) -> FreelancerProfile:
    if hourly_rate_cents is not None and hourly_rate_cents <= 0:
        raise ApplicationError(_("The hourly rate must be more than zero."), code="rate_not_positive")
    with transaction.atomic():
        profile, created = FreelancerProfile.objects.update_or_create(
            user=user,
            defaults={
                "headline": headline,
                "bio": bio,
                "hourly_rate_cents": hourly_rate_cents,
                "currency": currency,
                "availability": availability,
                "location": location,
                "remote": remote,
            },
        )
        profile.skills.set(list(skills))
        if not user.is_freelancer:
            user.is_freelancer = True
            user.save(update_fields=["is_freelancer"])
        audit_log(
            actor=user, action="freelancer_profile.saved", target=profile, subject=user, data={"created": created}
        )
    return profile


def client_profile_save(
    *, user: Any, kind: str = ClientProfile.Kind.PERSON, organisation_name: str = "", about: str = ""
) -> ClientProfile:
    with transaction.atomic():
        profile, created = ClientProfile.objects.update_or_create(
            user=user, defaults={"kind": kind, "organisation_name": organisation_name, "about": about}
        )
        if not user.is_client:
            user.is_client = True
            user.save(update_fields=["is_client"])
        audit_log(actor=user, action="client_profile.saved", target=profile, subject=user, data={"created": created})
    return profile


def job_create(
    *,
    client: Any,
    title: str,
    description: str,
    budget_min_cents: int,
    budget_max_cents: int,
    currency: str = "EUR",
    pricing_type: str = Job.PricingType.FIXED,
    skills: Iterable[Skill] = (),
    remote: bool = True,
    location: str = "",
    deadline: date | None = None,
    publish: bool = False,
) -> Job:
    if budget_min_cents <= 0 or budget_max_cents < budget_min_cents:
        raise ApplicationError(
            _("The budget must be more than zero, and its upper end at least its lower end."),
            code="budget_invalid",
        )
    with transaction.atomic():
        job = Job.objects.create(
            client=client,
            title=title,
            description=description,
            budget_min_cents=budget_min_cents,
            budget_max_cents=budget_max_cents,
            currency=currency,
            pricing_type=pricing_type,
            remote=remote,
            location=location,
            deadline=deadline,
        )
        job.skills.set(list(skills))
        audit_log(actor=client, action="job.created", target=job)
        if publish:
            job = job_transition(job_id=job.pk, to_status=Job.Status.OPEN, actor=client)
    return job


def job_transition(*, job_id: int, to_status: str, actor: Any) -> Job:
    """Move a job to a new status if the transition table allows it."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if to_status not in JOB_TRANSITIONS[job.status]:
            raise Conflict(
                _("A job cannot move from %(from)s to %(to)s.")
                % {"from": job.get_status_display(), "to": Job.Status(to_status).label},
                code="job_bad_transition",
            )
        previous = job.status
        job.status = to_status
        if to_status == Job.Status.OPEN and job.published_at is None:
            job.published_at = timezone.now()
        job.save(update_fields=["status", "published_at", "updated_at"])
        audit_log(actor=actor, action=f"job.{to_status}", target=job, data={"from": previous})
    return job

"""Reads that cross relations, for the marketplace."""

from typing import Any

from django.db.models import QuerySet

from marketplace.models import FreelancerProfile, Job


def open_jobs() -> QuerySet[Job]:
    return (
        Job.objects.filter(status=Job.Status.OPEN)
        .select_related("client")
        .prefetch_related("skills")
        .order_by("-published_at", "-id")
    )


def latest_jobs_context(_user: Any) -> dict[str, Any]:
    return {"jobs": list(open_jobs()[:5])}


def freelancer_panel_context(user: Any) -> dict[str, Any]:
    profile = FreelancerProfile.objects.filter(user_id=user.pk).prefetch_related("skills").first()
    return {"profile": profile}


def client_panel_context(user: Any) -> dict[str, Any]:
    jobs = Job.objects.filter(client_id=user.pk).order_by("-created_at")
    return {"job_count": jobs.count(), "recent_jobs": list(jobs[:5])}

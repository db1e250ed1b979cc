"""Dashboard panels of the marketplace."""

from typing import Any

from core.money import default_currency
from core.selectors import notifications_unread_count
from marketplace.models import FreelancerProfile, Job, Proposal
from marketplace.selectors.contracts import contracts_for_user
from marketplace.selectors.jobs import open_jobs
from marketplace.services import escrow
from membership.models import User


def latest_jobs_context(_user: User | None) -> dict[str, Any]:
    return {"jobs": list(open_jobs()[:5])}


def freelancer_panel_context(user: User) -> dict[str, Any]:
    profile = FreelancerProfile.objects.filter(user_id=user.pk).prefetch_related("skills").first()
    currency = profile.currency if profile is not None else default_currency()
    live = Proposal.objects.filter(freelancer_id=user.pk, status__in=["submitted", "shortlisted"]).count()
    return {
        "profile": profile,
        "live_proposals": live,
        "active_contracts": contracts_for_user(user=user).filter(freelancer_id=user.pk, status="active").count(),
        "unread_notifications": notifications_unread_count(user=user),
        "balance": escrow.balances(user_id=user.pk, currency=currency),
        "currency": currency,
    }


def client_panel_context(user: User) -> dict[str, Any]:
    jobs = Job.objects.filter(client_id=user.pk).order_by("-created_at")
    return {"job_count": jobs.count(), "recent_jobs": list(jobs[:5])}

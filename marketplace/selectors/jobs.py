"""Reads about jobs and proposals, with who may see what."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Avg,
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from marketplace.models import Job, Proposal, ProposalRevision
from membership.models import User
from membership.selectors.members import user_is_active_member


def open_jobs() -> QuerySet[Job]:
    return (
        Job.objects.filter(status=Job.Status.OPEN)
        .select_related("client", "client__client_profile")
        .defer("search_vector", "client__password")
        .prefetch_related("skills")
        .order_by("-published_at", "-id")
    )


def job_get_for(*, job_id: int, user: User | AnonymousUser) -> Job:
    """Return a job the user may see: open, closed and cancelled jobs are public, drafts only to their client,
    jobs awaiting or declined by the members to their client and the members."""
    job = (
        Job.objects.select_related("client", "client__client_profile", "client__privacy_settings")
        .prefetch_related("skills", "attachments")
        .filter(pk=job_id)
        .first()
    )
    if job is None:
        raise Http404
    own = user.is_authenticated and user.pk == job.client_id
    if job.status == Job.Status.DRAFT and not own:
        raise Http404
    # A job before the members (or declined by them): its client and the members who decide on it.
    if job.status in {Job.Status.AWAITING_MEMBERS, Job.Status.DECLINED} and not (own or user_is_active_member(user)):
        raise Http404
    return job


def jobs_of_client(*, client: User) -> QuerySet[Job]:
    return (
        Job.objects.filter(client=client)
        .defer("search_vector")
        .prefetch_related("skills")
        .annotate(
            proposal_count=Count("proposals", filter=Q(proposals__status__in=["submitted", "shortlisted", "accepted"]))
        )
        .order_by("-created_at", "-id")
    )


def proposals_for_job(*, job: Job, user: User | AnonymousUser) -> QuerySet[Proposal]:
    """Return every proposal on the job, for its client only; a freelancer never sees others' proposals."""
    if not user.is_authenticated or user.pk != job.client_id:
        raise Http404
    return (
        Proposal.objects.filter(job=job)
        .select_related("freelancer", "freelancer__freelancer_profile", "job")
        .defer("freelancer__password", "job__search_vector")
        .prefetch_related("freelancer__freelancer_profile__skills")
        .annotate(**freelancer_track_record("freelancer_id"))
        .order_by("status", "-created_at", "-id")
    )


def freelancer_track_record(user_field: str) -> dict[str, Any]:
    """Annotations a hiring card shows about the person in `user_field`, in the list's one query.

    Their average revealed rating (1-5) and number of reviews, contracts completed as a
    freelancer, whether they are an active member of the coop, and whether their details are
    verified (VERIFIED_MEANS).
    """
    from marketplace.models import Contract, Review
    from membership.models import Member

    person = OuterRef(user_field)
    reviews = Review.objects.filter(subject_id=person, revealed_at__isnull=False).values("subject_id")
    return {
        "rating_avg": Subquery(
            reviews.annotate(
                avg=Avg(
                    (F("rating_quality") + F("rating_communication") + F("rating_reliability")) * 1.0 / 3,
                    output_field=FloatField(),
                )
            ).values("avg")[:1]
        ),
        "review_count": Coalesce(
            Subquery(reviews.annotate(n=Count("id")).values("n")[:1], output_field=IntegerField()), 0
        ),
        "completed_count": Coalesce(
            Subquery(
                Contract.objects.filter(freelancer_id=person, status=Contract.Status.COMPLETED)
                .values("freelancer_id")
                .annotate(n=Count("id"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            0,
        ),
        "is_member": Exists(Member.objects.filter(user_id=person, status=Member.Status.ACTIVE)),
        "is_verified": verified_details(user_field),
    }


def verified_details(user_field: str) -> ExpressionWrapper:
    """True when what the coop checks of the person holds (VERIFIED_MEANS): a confirmed email address,
    and a payout account whose IBAN passed the coop's check or a Stripe account Stripe opened for payouts."""
    from allauth.account.models import EmailAddress

    from payouts.models import PayoutAccount
    from payouts.stripe_gateway.models import StripeConnectAccount

    person = OuterRef(user_field)
    email = Exists(EmailAddress.objects.filter(user_id=person, verified=True, primary=True))
    iban = Exists(PayoutAccount.objects.filter(user_id=person))
    stripe = Exists(StripeConnectAccount.objects.filter(user_id=person, payouts_enabled=True))
    return ExpressionWrapper(Q(email) & (Q(iban) | Q(stripe)), output_field=BooleanField())


def proposals_of_freelancer(*, freelancer: User) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(freelancer=freelancer)
        .select_related("job", "job__client")
        .order_by("-created_at", "-id")
    )


def proposal_get_for(*, proposal_id: int, user: User | AnonymousUser) -> Proposal:
    """Return a proposal to one of its two parties, with its negotiation history; anyone else gets 404."""
    proposal = (
        Proposal.objects.select_related("job", "job__client", "freelancer", "freelancer__freelancer_profile", "thread")
        .prefetch_related(Prefetch("revisions", queryset=ProposalRevision.objects.select_related("author")))
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None or not user.is_authenticated or user.pk not in (proposal.freelancer_id, proposal.job.client_id):
        raise Http404
    return proposal


def proposal_of(*, job: Job, user: User | AnonymousUser) -> Proposal | None:
    if not user.is_authenticated:
        return None
    return Proposal.objects.filter(job=job, freelancer=user).first()

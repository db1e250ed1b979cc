"""Every read of the marketplace API, each limited to what the caller may see."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ErrorSerializer
from marketplace.api import serializers as o
from marketplace.models import (
    Contract,
    Dispute,
    Job,
    Notification,
    NotificationPreference,
    Proposal,
    Review,
    SavedSearch,
    Thread,
    Timesheet,
)
from marketplace.selectors import contracts, jobs, messaging, profiles
from marketplace.selectors.search import JobSearch, job_search
from marketplace.services import escrow

FEE_DESTINATION = (
    "The fee is the cooperative's income: it pays for running the platform, and what is left is split by "
    "the members' decision between the reserve and profit shares paid back to members."
)

SEARCH_PARAMETERS = [
    OpenApiParameter("q", str, description="Words to find in the title, description and skills."),
    OpenApiParameter("skill", str, description="A skill slug."),
    OpenApiParameter("budget_min_cents", int, description="Jobs whose budget reaches at least this."),
    OpenApiParameter("budget_max_cents", int, description="Jobs whose budget starts at most at this."),
    OpenApiParameter("pricing_type", str, enum=["fixed", "hourly"]),
    OpenApiParameter("remote", bool),
    OpenApiParameter("posted_within_days", int, enum=[1, 3, 7, 14, 30]),
    OpenApiParameter("sort", str, enum=["relevance", "newest", "budget_high", "budget_low"]),
    OpenApiParameter("page", int),
]


@extend_schema(tags=["jobs"], parameters=SEARCH_PARAMETERS, summary="Search open jobs (public).")
class JobSearchApi(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = o.JobOut

    def get_queryset(self) -> QuerySet:
        return job_search(JobSearch.from_params(self.request.query_params))


@extend_schema(
    tags=["jobs"], summary="One job (drafts only to their client).", responses={200: o.JobOut, 404: ErrorSerializer}
)
class JobDetailApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Request, job_id: int) -> Response:
        return Response(o.JobOut(jobs.job_get_for(job_id=job_id, user=request.user)).data)


@extend_schema(tags=["jobs"], summary="The jobs you posted.")
class MyJobsApi(generics.ListAPIView):
    queryset = Job.objects.none()
    serializer_class = o.JobOut

    def get_queryset(self) -> QuerySet:
        return jobs.jobs_of_client(client=self.request.user)


@extend_schema(tags=["proposals"], summary="The proposals on your job (its client only).")
class JobProposalsApi(generics.ListAPIView):
    queryset = Proposal.objects.none()
    serializer_class = o.ProposalOut

    def get_queryset(self) -> QuerySet:
        job = jobs.job_get_for(job_id=self.kwargs["job_id"], user=self.request.user)
        return jobs.proposals_for_job(job=job, user=self.request.user).select_related("thread")


@extend_schema(tags=["proposals"], summary="The proposals you sent.")
class MyProposalsApi(generics.ListAPIView):
    queryset = Proposal.objects.none()
    serializer_class = o.ProposalOut

    def get_queryset(self) -> QuerySet:
        return jobs.proposals_of_freelancer(freelancer=self.request.user).select_related("thread")


@extend_schema(
    tags=["proposals"],
    summary="One proposal with its negotiation history (its two parties only).",
    responses={200: o.ProposalDetailOut, 404: ErrorSerializer},
)
class ProposalDetailApi(APIView):
    def get(self, request: Request, proposal_id: int) -> Response:
        return Response(o.ProposalDetailOut(jobs.proposal_get_for(proposal_id=proposal_id, user=request.user)).data)


@extend_schema(tags=["contracts"], summary="Your contracts, as client or freelancer.")
class ContractListApi(generics.ListAPIView):
    queryset = Contract.objects.none()
    serializer_class = o.ContractOut

    def get_queryset(self) -> QuerySet:
        return contracts.contracts_for_user(user=self.request.user)


@extend_schema(
    tags=["contracts"],
    summary="One contract with milestones and its fee (its two parties only).",
    responses={200: o.ContractDetailOut, 404: ErrorSerializer},
)
class ContractDetailApi(APIView):
    def get(self, request: Request, contract_id: int) -> Response:
        contract = contracts.contract_get_for(contract_id=contract_id, user=request.user)
        contract.fee_destination = FEE_DESTINATION
        return Response(o.ContractDetailOut(contract).data)


@extend_schema(tags=["timesheets"], summary="The timesheets of an hourly contract (its two parties only).")
class TimesheetListApi(generics.ListAPIView):
    queryset = Timesheet.objects.none()
    serializer_class = o.TimesheetOut

    def get_queryset(self) -> QuerySet:
        contract = contracts.contract_get_for(contract_id=self.kwargs["contract_id"], user=self.request.user)
        return contract.timesheets.order_by("-week_start")


@extend_schema(tags=["reviews"], summary="The reviews of a contract you may read: revealed ones and your own.")
class ContractReviewsApi(generics.ListAPIView):
    queryset = Review.objects.none()
    serializer_class = o.ReviewOut
    pagination_class = None

    def get_queryset(self) -> list:  # type: ignore[override]
        contract = contracts.contract_get_for(contract_id=self.kwargs["contract_id"], user=self.request.user)
        return contracts.visible_reviews(contract=contract, user=self.request.user)


class BalanceOut(serializers.Serializer):
    currency = serializers.CharField()
    available = serializers.IntegerField()
    in_escrow = serializers.IntegerField()
    pending_withdrawal = serializers.IntegerField()
    paid_out = serializers.IntegerField()


@extend_schema(
    tags=["contracts"],
    summary="Your freelancer balance in a currency.",
    parameters=[OpenApiParameter("currency", str, default="EUR")],
    responses={200: BalanceOut},
)
class BalanceApi(APIView):
    def get(self, request: Request) -> Response:
        currency = str(request.query_params.get("currency") or "EUR")[:3].upper()
        return Response(
            BalanceOut({"currency": currency, **escrow.balances(user_id=request.user.pk, currency=currency)}).data
        )


@extend_schema(
    tags=["disputes"],
    summary="One dispute (the contract's parties and mediators).",
    responses={200: o.DisputeOut, 404: ErrorSerializer},
)
class DisputeDetailApi(APIView):
    def get(self, request: Request, dispute_id: int) -> Response:
        return Response(o.DisputeOut(contracts.dispute_get_for(dispute_id=dispute_id, user=request.user)).data)


@extend_schema(
    tags=["disputes"], summary="Disputes awaiting mediation that you may decide (staff and appointed mediators)."
)
class MediationApi(generics.ListAPIView):
    queryset = Dispute.objects.none()
    serializer_class = o.DisputeOut

    def get_queryset(self) -> QuerySet:
        from core.exceptions import NotAllowed
        from marketplace.selectors.mediators import disputes_for_mediator, user_mediates

        if not user_mediates(user=self.request.user):
            raise NotAllowed(_("Only mediators see this list."), code="not_mediator")
        return disputes_for_mediator(user=self.request.user)


@extend_schema(tags=["messages"], summary="Your threads, newest first, with unread counts.")
class ThreadListApi(generics.ListAPIView):
    queryset = Thread.objects.none()
    serializer_class = o.ThreadOut

    def get_queryset(self) -> QuerySet:
        return messaging.threads_for_user(user=self.request.user)


@extend_schema(
    tags=["messages"],
    summary="The latest messages of a thread (its two parties only); marks it read.",
    responses={200: o.MessageOut(many=True), 404: ErrorSerializer},
)
class ThreadMessagesApi(APIView):
    def get(self, request: Request, thread_id: int) -> Response:
        from marketplace.services.messaging import thread_mark_read

        thread = messaging.thread_get_for(thread_id=thread_id, user=request.user)
        rows = messaging.thread_messages(thread=thread)
        thread_mark_read(thread=thread, user=request.user)
        return Response(o.MessageOut(rows, many=True).data)


@extend_schema(tags=["notifications"], summary="Your notifications, newest first.")
class NotificationListApi(generics.ListAPIView):
    queryset = Notification.objects.none()
    serializer_class = o.NotificationOut

    def get_queryset(self) -> QuerySet:
        return messaging.notifications_for(user=self.request.user)


class PreferenceOut(serializers.ModelSerializer):
    class Meta:
        model = NotificationPreference
        fields = [
            "email_messages",
            "email_proposals",
            "email_contracts",
            "email_reviews",
            "email_disputes",
            "email_saved_searches",
        ]


@extend_schema(tags=["notifications"], summary="Your email preferences.", responses={200: PreferenceOut})
class NotificationPreferenceGetApi(APIView):
    def get(self, request: Request) -> Response:
        preference = NotificationPreference.objects.filter(user=request.user).first() or NotificationPreference()
        return Response(PreferenceOut(preference).data)


@extend_schema(
    tags=["profiles"],
    summary="A public freelancer profile with revealed reviews, as its owner allows.",
    responses={200: OpenApiTypes.OBJECT, 404: ErrorSerializer},
)
class FreelancerPublicApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Request, user_id: int) -> Response:
        profile, visible = profiles.freelancer_profile_public(user_id=user_id, viewer=request.user)
        data: dict[str, Any] = o.FreelancerProfileOut(profile).data
        if not visible.hourly_rate:
            data["hourly_rate_cents"] = None
        if not visible.location:
            data["location"] = ""
        data["reviews"] = (
            o.ReviewOut(profiles.revealed_reviews_of(user_id=user_id), many=True).data if visible.reviews else []
        )
        data["work_history"] = (
            [{"title": c.title, "completed_at": c.completed_at} for c in profiles.work_history(user_id=user_id)]
            if profile.show_work_history
            else []
        )
        return Response(data)


@extend_schema(
    tags=["profiles"],
    summary="A public client profile with revealed reviews, as its owner allows.",
    responses={200: OpenApiTypes.OBJECT, 404: ErrorSerializer},
)
class ClientPublicApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Request, user_id: int) -> Response:
        profile, visible = profiles.client_profile_public(user_id=user_id, viewer=request.user)
        data: dict[str, Any] = o.ClientProfileOut(profile).data
        data["reviews"] = (
            o.ReviewOut(profiles.revealed_reviews_of(user_id=user_id), many=True).data if visible.reviews else []
        )
        return Response(data)


@extend_schema(tags=["search"], summary="Your saved searches.")
class SavedSearchListApi(generics.ListAPIView):
    queryset = SavedSearch.objects.none()
    serializer_class = o.SavedSearchOut

    def get_queryset(self) -> QuerySet:
        return SavedSearch.objects.filter(user=self.request.user).order_by("name", "id")


@extend_schema(tags=["fees"], summary="The fee policy in force and its history (public).")
class FeePolicyListApi(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = o.FeePolicyOut

    def get_queryset(self) -> QuerySet:
        return contracts.fee_policies()

"""The marketplace API for proposals: send and negotiate them, and the client's answers to them."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ErrorSerializer
from marketplace import limits
from marketplace.api import serializers as o
from marketplace.api._base import ERRORS, VERIFIED, SignedInRequest, WriteApi
from marketplace.api.inputs import TermsInput
from marketplace.models import Proposal
from marketplace.selectors import jobs as job_selectors
from marketplace.services import proposals as proposal_services


def _milestone_plan(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the validated plan with its due dates as ISO strings, the form a proposal stores them in."""
    return [
        {**item, "due_date": item["due_date"].isoformat() if item.get("due_date") else None}
        for item in data.get("milestone_plan", [])
    ]


@extend_schema(tags=["proposals"], summary="The proposals on your job (its client only).")
class JobProposalsApi(generics.ListAPIView):
    """List the proposals on a job, for its client."""

    queryset = Proposal.objects.none()
    serializer_class = o.ProposalOut

    def get_queryset(self) -> QuerySet[Proposal]:
        job = job_selectors.job_get_for(job_id=self.kwargs["job_id"], user=self.request.user)
        return job_selectors.proposals_for_job(job=job, user=self.request.user).select_related("thread")


@extend_schema(tags=["proposals"], summary="The proposals you sent.")
class MyProposalsApi(generics.ListAPIView):
    """List the proposals the caller sent."""

    request: SignedInRequest
    queryset = Proposal.objects.none()
    serializer_class = o.ProposalOut

    def get_queryset(self) -> QuerySet[Proposal]:
        return job_selectors.proposals_of_freelancer(freelancer=self.request.user).select_related("thread")


@extend_schema(
    tags=["proposals"],
    summary="One proposal with its negotiation history (its two parties only).",
    responses={200: o.ProposalDetailOut, 404: ErrorSerializer},
)
class ProposalDetailApi(APIView):
    """Show one proposal with its negotiation history, to its two parties."""

    def get(self, request: Request, proposal_id: int) -> Response:
        proposal = job_selectors.proposal_get_for(proposal_id=proposal_id, user=request.user)
        return Response(o.ProposalDetailOut(proposal).data)


class ProposalSubmitApi(WriteApi):
    """Send a proposal on an open job; free, one per freelancer per job (needs a verified email)."""

    permission_classes = VERIFIED

    class InputSerializer(TermsInput):
        cover_letter = serializers.CharField(max_length=limits.COVER_LETTER)

    @extend_schema(
        request=InputSerializer,
        responses={201: o.ProposalOut, **ERRORS},
        summary="Send a proposal on an open job; free, one per freelancer per job (needs a verified email).",
        tags=["proposals"],
        operation_id="proposal_submit",
    )
    def post(self, request: SignedInRequest, job_id: int) -> Response:
        data = self.validate_input(request)
        proposal = proposal_services.proposal_submit(
            job_id=job_id,
            freelancer=request.user,
            cover_letter=data["cover_letter"],
            amount_cents=data["amount_cents"],
            duration_days=data["duration_days"],
            milestone_plan=_milestone_plan(data),
        )
        return Response(o.ProposalOut(proposal).data, status=status.HTTP_201_CREATED)


class ProposalReviseApi(WriteApi):
    """Put new terms on the table (the client's are a counter-offer); the history is kept."""

    class InputSerializer(TermsInput):
        note = serializers.CharField(required=False, default="", allow_blank=True, max_length=limits.PROPOSAL_NOTE)

    @extend_schema(
        request=InputSerializer,
        responses={200: o.ProposalDetailOut, **ERRORS},
        summary="Put new terms on the table (the client's are a counter-offer); the history is kept.",
        tags=["proposals"],
        operation_id="proposal_revise",
    )
    def post(self, request: SignedInRequest, proposal_id: int) -> Response:
        data = self.validate_input(request)
        proposal = proposal_services.proposal_revise(
            proposal_id=proposal_id,
            actor=request.user,
            amount_cents=data["amount_cents"],
            duration_days=data["duration_days"],
            milestone_plan=_milestone_plan(data),
            note=data["note"],
        )
        return Response(o.ProposalDetailOut(proposal).data)


class ProposalAgreeApi(WriteApi):
    """Agree, as the freelancer, to the client's counter-offer."""

    @extend_schema(
        request=None,
        responses={200: o.ProposalDetailOut, **ERRORS},
        summary="The freelancer agrees to the client's counter-offer.",
        tags=["proposals"],
        operation_id="proposal_agree",
    )
    def post(self, request: SignedInRequest, proposal_id: int) -> Response:
        self.validate_input(request)
        proposal = proposal_services.proposal_agree(proposal_id=proposal_id, actor=request.user)
        return Response(o.ProposalDetailOut(proposal).data)


class ProposalWithdrawApi(WriteApi):
    """Withdraw the proposal, as its freelancer."""

    @extend_schema(
        request=None,
        responses={200: o.ProposalOut, **ERRORS},
        summary="The freelancer withdraws the proposal.",
        tags=["proposals"],
        operation_id="proposal_withdraw",
    )
    def post(self, request: SignedInRequest, proposal_id: int) -> Response:
        self.validate_input(request)
        proposal = proposal_services.proposal_withdraw(proposal_id=proposal_id, actor=request.user)
        return Response(o.ProposalOut(proposal).data)


class ProposalShortlistApi(WriteApi):
    """Shortlist a proposal, as the job's client."""

    @extend_schema(
        request=None,
        responses={200: o.ProposalOut, **ERRORS},
        summary="The client shortlists a proposal.",
        tags=["proposals"],
        operation_id="proposal_shortlist",
    )
    def post(self, request: SignedInRequest, proposal_id: int) -> Response:
        self.validate_input(request)
        proposal = proposal_services.proposal_shortlist(proposal_id=proposal_id, actor=request.user)
        return Response(o.ProposalOut(proposal).data)


class ProposalDeclineApi(WriteApi):
    """Decline a proposal, as the job's client."""

    @extend_schema(
        request=None,
        responses={200: o.ProposalOut, **ERRORS},
        summary="The client declines a proposal.",
        tags=["proposals"],
        operation_id="proposal_decline",
    )
    def post(self, request: SignedInRequest, proposal_id: int) -> Response:
        self.validate_input(request)
        proposal = proposal_services.proposal_decline(proposal_id=proposal_id, actor=request.user)
        return Response(o.ProposalOut(proposal).data)


class ProposalAcceptApi(WriteApi):
    """Accept, as the client, the terms on the table: a contract starts under the fee policy in force."""

    @extend_schema(
        request=None,
        responses={201: o.ContractOut, **ERRORS},
        summary="The client accepts the terms on the table: a contract starts under the fee policy in force.",
        tags=["proposals"],
        operation_id="proposal_accept",
    )
    def post(self, request: SignedInRequest, proposal_id: int) -> Response:
        self.validate_input(request)
        contract = proposal_services.proposal_accept(proposal_id=proposal_id, actor=request.user)
        return Response(o.ContractOut(contract).data, status=status.HTTP_201_CREATED)

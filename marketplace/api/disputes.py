"""The marketplace API for disputes: open, answer, add evidence, mediate and resolve them; appoint mediators."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ErrorSerializer
from core.api.fields import CentsField, CurrencyField, IdField
from core.exceptions import ApplicationError, NotAllowed
from core.permissions import authorize
from marketplace import limits
from marketplace.api import serializers as o
from marketplace.api._base import ERRORS, SignedInRequest, UploadApi, WriteApi
from marketplace.api.inputs import FilesInput
from marketplace.exceptions import ErrorCode
from marketplace.models import Dispute, Mediator
from marketplace.selectors import contracts as contract_selectors
from marketplace.selectors import mediators as mediator_selectors
from marketplace.services import disputes as dispute_services
from marketplace.services import mediators as mediator_services


@extend_schema(
    tags=["disputes"], summary="Disputes awaiting mediation that you may decide (staff and appointed mediators)."
)
class MediationApi(generics.ListAPIView):
    """List the disputes awaiting mediation that the caller may decide; refuse anyone who does not mediate."""

    request: SignedInRequest
    queryset = Dispute.objects.none()
    serializer_class = o.DisputeOut

    def get_queryset(self) -> QuerySet[Dispute]:
        if not mediator_selectors.user_mediates(user=self.request.user):
            raise NotAllowed(_("Only mediators see this list."), code=ErrorCode.NOT_MEDIATOR)
        return mediator_selectors.disputes_for_mediator(user=self.request.user)


@extend_schema(
    tags=["disputes"],
    summary="One dispute (the contract's parties and mediators).",
    responses={200: o.DisputeOut, 404: ErrorSerializer},
)
class DisputeDetailApi(APIView):
    """Show one dispute to the contract's parties and its mediators."""

    def get(self, request: Request, dispute_id: int) -> Response:
        dispute = contract_selectors.dispute_get_for(dispute_id=dispute_id, user=request.user)
        return Response(o.DisputeOut(dispute).data)


class DisputeOpenApi(WriteApi):
    """Open a dispute on a milestone with money in escrow, with a reason and evidence."""

    class InputSerializer(FilesInput):
        reason = serializers.ChoiceField(choices=Dispute.Reason.choices)
        statement = serializers.CharField(max_length=limits.DISPUTE_TEXT)

    @extend_schema(
        request=InputSerializer,
        responses={201: o.DisputeOut, **ERRORS},
        summary="Open a dispute on a milestone with money in escrow, with a reason and evidence.",
        tags=["disputes"],
        operation_id="dispute_open",
    )
    def post(self, request: SignedInRequest, milestone_id: int) -> Response:
        data = self.validate_input(request)
        dispute = dispute_services.dispute_open(
            milestone_id=milestone_id,
            actor=request.user,
            reason=data["reason"],
            statement=data["statement"],
            files=data["files"],
        )
        return Response(o.DisputeOut(dispute).data, status=status.HTTP_201_CREATED)


class DisputeRespondApi(WriteApi):
    """Respond, as the other party, to a dispute before its deadline."""

    class InputSerializer(FilesInput):
        response = serializers.CharField(max_length=limits.DISPUTE_TEXT)

    @extend_schema(
        request=InputSerializer,
        responses={200: o.DisputeOut, **ERRORS},
        summary="The other party responds to a dispute before its deadline.",
        tags=["disputes"],
        operation_id="dispute_respond",
    )
    def post(self, request: SignedInRequest, dispute_id: int) -> Response:
        data = self.validate_input(request)
        dispute = dispute_services.dispute_respond(
            dispute_id=dispute_id, actor=request.user, response=data["response"], files=data["files"]
        )
        return Response(o.DisputeOut(dispute).data)


class DisputeEvidenceApi(UploadApi):
    """Add evidence files to a dispute, as a party (multipart)."""

    InputSerializer = FilesInput

    @extend_schema(
        request=InputSerializer,
        responses={200: o.DisputeOut, **ERRORS},
        summary="A party adds evidence files (multipart).",
        tags=["disputes"],
        operation_id="dispute_evidence_add",
    )
    def post(self, request: SignedInRequest, dispute_id: int) -> Response:
        data = self.validate_input(request)
        dispute = dispute_services.dispute_evidence_add(dispute_id=dispute_id, actor=request.user, files=data["files"])
        return Response(o.DisputeOut(dispute).data)


class DisputeResolveApi(WriteApi):
    """Split the escrow between release and refund, as a mediator (staff, not a party)."""

    class InputSerializer(serializers.Serializer):
        release_cents = CentsField()
        currency = CurrencyField()
        decision = serializers.CharField(max_length=limits.DISPUTE_TEXT)

    @extend_schema(
        request=InputSerializer,
        responses={200: o.DisputeOut, **ERRORS},
        summary="A mediator (staff, not a party) splits the escrow between release and refund.",
        tags=["disputes"],
        operation_id="dispute_resolve",
    )
    def post(self, request: SignedInRequest, dispute_id: int) -> Response:
        data = self.validate_input(request)
        dispute = dispute_services.dispute_resolve(
            dispute_id=dispute_id, actor=request.user, release_cents=data["release_cents"], decision=data["decision"]
        )
        return Response(o.DisputeOut(dispute).data)


class MediatorAppointApi(WriteApi):
    """Appoint an active member as dispute mediator, as the board (staff)."""

    class InputSerializer(serializers.Serializer):
        user_id = IdField()

    @extend_schema(
        request=InputSerializer,
        responses={201: o.MediatorOut, **ERRORS},
        summary="The board (staff) appoints an active member as dispute mediator.",
        tags=["disputes"],
        operation_id="mediator_appoint",
    )
    def post(self, request: SignedInRequest) -> Response:
        data = self.validate_input(request)
        # Before the lookup, so that nobody but the board learns which user numbers exist.
        authorize(request.user, "mediator.appoint")
        user = get_user_model().objects.filter(pk=data["user_id"]).first()
        if user is None:
            raise ApplicationError(
                _("Only an active member can be appointed as mediator."), code=ErrorCode.MEDIATOR_NOT_MEMBER
            )
        mediator = mediator_services.mediator_appoint(user=user, actor=request.user, source=Mediator.Source.BOARD)
        return Response(o.MediatorOut(mediator).data, status=status.HTTP_201_CREATED)

"""The marketplace API for timesheets: a week's hours on an hourly contract, and the client's answer."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from core.api.fields import CountField
from marketplace import limits
from marketplace.api import serializers as o
from marketplace.api._base import ERRORS, SignedInRequest, WriteApi
from marketplace.api.inputs import NoteInput
from marketplace.models import Timesheet
from marketplace.selectors import contracts as contract_selectors
from marketplace.services import timesheets as timesheet_services


@extend_schema(tags=["timesheets"], summary="The timesheets of an hourly contract (its two parties only).")
class TimesheetListApi(generics.ListAPIView):
    """List the timesheets of an hourly contract, newest week first, to its two parties."""

    queryset = Timesheet.objects.none()
    serializer_class = o.TimesheetOut

    def get_queryset(self) -> QuerySet[Timesheet]:
        contract = contract_selectors.contract_of_party(contract_id=self.kwargs["contract_id"], user=self.request.user)
        return contract_selectors.contract_timesheets(contract=contract)


class TimesheetSubmitApi(WriteApi):
    """Send a week's hours on an hourly contract, as the freelancer (no screenshots, no tracking)."""

    class InputSerializer(serializers.Serializer):
        week_start = serializers.DateField()
        minutes = CountField()
        description = serializers.CharField(max_length=limits.TIMESHEET_DESCRIPTION)

    @extend_schema(
        request=InputSerializer,
        responses={201: o.TimesheetOut, **ERRORS},
        summary="The freelancer sends a week's hours on an hourly contract (no screenshots, no tracking).",
        tags=["timesheets"],
        operation_id="timesheet_submit",
    )
    def post(self, request: SignedInRequest, contract_id: int) -> Response:
        data = self.validate_input(request)
        timesheet = timesheet_services.timesheet_submit(
            contract_id=contract_id,
            actor=request.user,
            week_start=data["week_start"],
            minutes=data["minutes"],
            description=data["description"],
        )
        return Response(o.TimesheetOut(timesheet).data, status=status.HTTP_201_CREATED)


class TimesheetApproveApi(WriteApi):
    """Approve a week, as the client: a payment request is made; once paid it is released."""

    @extend_schema(
        request=None,
        responses={200: o.TimesheetOut, **ERRORS},
        summary="The client approves a week: a payment request is made; once paid it is released.",
        tags=["timesheets"],
        operation_id="timesheet_approve",
    )
    def post(self, request: SignedInRequest, timesheet_id: int) -> Response:
        self.validate_input(request)
        timesheet = timesheet_services.timesheet_approve(timesheet_id=timesheet_id, actor=request.user)
        return Response(o.TimesheetOut(timesheet).data)


class TimesheetRejectApi(WriteApi):
    """Send a week back with a note, as the client."""

    InputSerializer = NoteInput

    @extend_schema(
        request=InputSerializer,
        responses={200: o.TimesheetOut, **ERRORS},
        summary="The client sends a week back with a note.",
        tags=["timesheets"],
        operation_id="timesheet_reject",
    )
    def post(self, request: SignedInRequest, timesheet_id: int) -> Response:
        data = self.validate_input(request)
        timesheet = timesheet_services.timesheet_reject(
            timesheet_id=timesheet_id, actor=request.user, note=data["note"]
        )
        return Response(o.TimesheetOut(timesheet).data)

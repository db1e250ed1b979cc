"""The marketplace API for milestones: list a contract's, add, fund, deliver, approve, send back, refund, cancel."""

from collections.abc import Iterable
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from core.api.fields import CentsField, CurrencyField
from core.api.pagination import Pagination
from marketplace import limits
from marketplace.api import serializers as o
from marketplace.api._base import ERRORS, SignedInRequest, WriteApi
from marketplace.api.inputs import FilesInput, NoteInput
from marketplace.models import Contract, Milestone
from marketplace.selectors import contracts as contract_selectors
from marketplace.services import milestones as milestone_services
from marketplace.services.milestones import MAX_MILESTONE_HOURS


def with_contract(milestones: Iterable[Milestone], contract: Contract) -> list[Milestone]:
    """Return the milestones of one contract, each knowing it (MilestoneOut shows its currency): no query each."""
    rows = list(milestones)
    for milestone in rows:
        milestone.contract = contract
    return rows


class ContractMilestonesApi(WriteApi):
    """List a contract's milestones a page at a time, to its two parties; add one, as the client."""

    pagination_class = Pagination

    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=200)
        amount_cents = CentsField()
        currency = CurrencyField()
        due_date = serializers.DateField(required=False, allow_null=True, default=None)
        estimated_hours = serializers.IntegerField(
            required=False,
            allow_null=True,
            default=None,
            min_value=1,
            max_value=MAX_MILESTONE_HOURS,
            help_text="The hours of work the milestone pays for; required when the members' minimum "
            "fixed-price rate applies to the contract (refused below it: code below_minimum_rate).",
        )

    @extend_schema(
        responses={200: o.MilestoneOut(many=True)},
        summary="The milestones of a contract in plan order, a page at a time (its two parties only).",
        tags=["contracts"],
        operation_id="milestone_list",
    )
    def get(self, request: SignedInRequest, contract_id: int) -> Response:
        contract = contract_selectors.contract_of_party(contract_id=contract_id, user=request.user)
        paginator = self.pagination_class()
        rows = contract_selectors.contract_milestones(contract=contract)
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(o.MilestoneOut(with_contract(page or [], contract), many=True).data)

    @extend_schema(
        request=InputSerializer,
        responses={201: o.MilestoneOut, **ERRORS},
        summary="The client adds a milestone to a fixed-price contract.",
        tags=["contracts"],
        operation_id="milestone_add",
    )
    def post(self, request: SignedInRequest, contract_id: int) -> Response:
        data = self.validate_input(request)
        milestone = milestone_services.milestone_add(
            contract_id=contract_id,
            actor=request.user,
            title=data["title"],
            amount_cents=data["amount_cents"],
            due_date=data["due_date"],
            estimated_hours=data["estimated_hours"],
        )
        return Response(o.MilestoneOut(milestone).data, status=status.HTTP_201_CREATED)


class MilestoneFundApi(WriteApi):
    """Ask, as the client, to fund a milestone into escrow; return the payment reference to pay with."""

    class InputSerializer(serializers.Serializer):
        # Checked against the enabled providers by the payments layer, which names the refusal.
        provider = serializers.CharField(max_length=32, required=False, default="bank_transfer")

    @extend_schema(
        request=InputSerializer,
        responses={200: o.FundOut, **ERRORS},
        summary="The client asks to fund a milestone into escrow; returns the payment reference to pay with.",
        tags=["milestones"],
        operation_id="milestone_fund",
    )
    def post(self, request: SignedInRequest, milestone_id: int) -> Response:
        data = self.validate_input(request)
        milestone, payment_request = milestone_services.milestone_fund(
            milestone_id=milestone_id, actor=request.user, provider=data["provider"]
        )
        funding: dict[str, Any] = {
            "milestone": milestone,
            "payment_reference": payment_request.reference,
            "amount_cents": payment_request.amount_cents,
            "currency": payment_request.currency,
            "provider": payment_request.provider,
        }
        return Response(o.FundOut(funding).data)


class MilestoneDeliverApi(WriteApi):
    """Deliver work, as the freelancer: a message and files (multipart for files)."""

    class InputSerializer(FilesInput):
        message = serializers.CharField(max_length=limits.DELIVERY_MESSAGE)

    @extend_schema(
        request=InputSerializer,
        responses={201: o.DeliveryOut, **ERRORS},
        summary="The freelancer delivers work: a message and files (multipart for files).",
        tags=["milestones"],
        operation_id="milestone_deliver",
    )
    def post(self, request: SignedInRequest, milestone_id: int) -> Response:
        data = self.validate_input(request)
        delivery = milestone_services.milestone_submit(
            milestone_id=milestone_id, actor=request.user, message=data["message"], files=data["files"]
        )
        shown: dict[str, Any] = {
            "id": delivery.pk,
            "milestone_id": delivery.milestone_id,
            "message": delivery.message,
            "files": [f.name for f in delivery.files.all()],
        }
        return Response(o.DeliveryOut(shown).data, status=status.HTTP_201_CREATED)


class MilestoneApproveApi(WriteApi):
    """Approve the work, as the client: escrow pays the freelancer, minus the fee."""

    @extend_schema(
        request=None,
        responses={200: o.MilestoneOut, **ERRORS},
        summary="The client approves the work: escrow pays the freelancer, minus the fee.",
        tags=["milestones"],
        operation_id="milestone_approve",
    )
    def post(self, request: SignedInRequest, milestone_id: int) -> Response:
        self.validate_input(request)
        milestone = milestone_services.milestone_approve(milestone_id=milestone_id, actor=request.user)
        return Response(o.MilestoneOut(milestone).data)


class MilestoneChangesApi(WriteApi):
    """Ask, as the client, for changes to delivered work; the auto-release timer stops."""

    InputSerializer = NoteInput

    @extend_schema(
        request=InputSerializer,
        responses={200: o.MilestoneOut, **ERRORS},
        summary="The client asks for changes to delivered work; the auto-release timer stops.",
        tags=["milestones"],
        operation_id="milestone_request_changes",
    )
    def post(self, request: SignedInRequest, milestone_id: int) -> Response:
        data = self.validate_input(request)
        milestone = milestone_services.milestone_request_changes(
            milestone_id=milestone_id, actor=request.user, note=data["note"]
        )
        return Response(o.MilestoneOut(milestone).data)


class MilestoneRefundApi(WriteApi):
    """Give a funded milestone's money back to the client, as the freelancer."""

    @extend_schema(
        request=None,
        responses={200: o.MilestoneOut, **ERRORS},
        summary="The freelancer gives a funded milestone's money back to the client.",
        tags=["milestones"],
        operation_id="milestone_refund",
    )
    def post(self, request: SignedInRequest, milestone_id: int) -> Response:
        self.validate_input(request)
        milestone = milestone_services.milestone_refund(milestone_id=milestone_id, actor=request.user)
        return Response(o.MilestoneOut(milestone).data)


class MilestoneCancelApi(WriteApi):
    """Cancel a milestone that was never funded, as the client."""

    @extend_schema(
        request=None,
        responses={200: o.MilestoneOut, **ERRORS},
        summary="The client cancels a milestone that was never funded.",
        tags=["milestones"],
        operation_id="milestone_cancel",
    )
    def post(self, request: SignedInRequest, milestone_id: int) -> Response:
        self.validate_input(request)
        milestone = milestone_services.milestone_cancel(milestone_id=milestone_id, actor=request.user)
        return Response(o.MilestoneOut(milestone).data)

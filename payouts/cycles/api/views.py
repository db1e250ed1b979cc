"""The payout cycles API: one view per write, small serializers, the one error format."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ErrorSerializer
from core.api.pagination import Pagination
from core.decisions import decision_open
from core.exceptions import ApplicationError
from core.permissions import api_permission, authorize, can
from payouts.cycles import selectors, services
from payouts.cycles.decisions import POLICY_DECISION
from payouts.cycles.exceptions import ErrorCode
from payouts.cycles.selectors.statements import statement_full

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


class CycleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    currency = serializers.CharField()
    status = serializers.CharField()
    failure_reason = serializers.CharField()
    policy_version = serializers.IntegerField(source="policy.version")
    fee_income_cents = serializers.IntegerField()
    expenses_cents = serializers.IntegerField()
    provider_costs_cents = serializers.IntegerField()
    surplus_cents = serializers.IntegerField()
    distributable_cents = serializers.IntegerField()
    patronage_pool_cents = serializers.IntegerField()
    class_pots = serializers.JSONField()
    allocation_hash = serializers.CharField()
    progress_done = serializers.IntegerField()
    progress_total = serializers.IntegerField()
    approval_proposal_id = serializers.IntegerField(allow_null=True)


class AllocationSerializer(serializers.Serializer):
    cycle_id = serializers.IntegerField()
    member_id = serializers.IntegerField()
    currency = serializers.CharField(source="cycle.currency")
    allocated_cents = serializers.IntegerField()
    cash_cents = serializers.IntegerField()
    retained_cents = serializers.IntegerField()
    bases = serializers.JSONField()
    statement = serializers.SerializerMethodField()
    retained_done = serializers.BooleanField()
    cash_done = serializers.BooleanField()

    def get_statement(self, row: Any) -> dict[str, Any]:
        return statement_full(row)


def _cycle(cycle_id: int) -> Any:
    cycle = selectors.cycle_detail(cycle_id)
    if cycle is None:
        raise ApplicationError(_("There is no such payout cycle."), code=ErrorCode.CYCLE_NOT_FOUND, status_code=404)
    return cycle


class CycleListApi(APIView):
    """Payout cycles, newest first (admins)."""

    permission_classes = [api_permission("payout_cycle.view")]
    pagination_class = Pagination

    @extend_schema(responses={200: CycleSerializer(many=True), 403: ErrorSerializer})
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.cycle_list(), request, view=self)
        return paginator.get_paginated_response(CycleSerializer(page, many=True).data)


class CycleOpenApi(APIView):
    """Open a payout cycle for a closed period (admins)."""

    permission_classes = [api_permission("payout_cycle.view")]

    class InputSerializer(serializers.Serializer):
        period_start = serializers.DateField()
        period_end = serializers.DateField()

    @extend_schema(request=InputSerializer, responses={201: CycleSerializer, **ERRORS})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cycle = services.cycle_open(actor=request.user, **data.validated_data)
        return Response(CycleSerializer(_cycle(cycle.pk)).data, status=201)


class CycleDetailApi(APIView):
    """One payout cycle with its totals and progress (admins)."""

    permission_classes = [api_permission("payout_cycle.view")]

    @extend_schema(responses={200: CycleSerializer, 403: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return Response(CycleSerializer(_cycle(pk)).data)


class _CycleActionApi(APIView):
    permission_classes = [api_permission("payout_cycle.view")]
    service: Any = None

    @extend_schema(request=None, responses={200: CycleSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        _cycle(pk)
        type(self).service(cycle_id=pk, actor=request.user)
        return Response(CycleSerializer(_cycle(pk)).data)


class CycleComputeApi(_CycleActionApi):
    """Queue the computation of a cycle from the ledger (admins)."""

    service = services.cycle_compute_start


class CycleVoteApi(_CycleActionApi):
    """Put the computed allocation to the members' vote, by its hash (admins)."""

    service = services.cycle_vote_request


class CycleExecuteApi(_CycleActionApi):
    """Queue the payout of an approved cycle, or resume a failed one (admins)."""

    service = services.cycle_execute_start


class CycleApproveApi(APIView):
    """Approve the computed allocation with the hash that was reviewed (admins)."""

    permission_classes = [api_permission("payout_cycle.view")]

    class InputSerializer(serializers.Serializer):
        allocation_hash = serializers.RegexField(r"^[0-9a-f]{64}$")

    @extend_schema(request=InputSerializer, responses={200: CycleSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        _cycle(pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.cycle_approve(cycle_id=pk, allocation_hash=data.validated_data["allocation_hash"], actor=request.user)
        return Response(CycleSerializer(_cycle(pk)).data)


class CycleStatementsApi(APIView):
    """Every member's statement in a cycle (admins)."""

    permission_classes = [api_permission("payout_cycle.view")]
    pagination_class = Pagination

    @extend_schema(responses={200: AllocationSerializer(many=True), 403: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request: Request, pk: int) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.cycle_allocations(_cycle(pk)), request, view=self)
        return paginator.get_paginated_response(AllocationSerializer(page, many=True).data)


class MyStatementsApi(APIView):
    """The signed-in member's profit share statements."""

    permission_classes = [IsAuthenticated]
    pagination_class = Pagination

    @extend_schema(responses={200: AllocationSerializer(many=True), 403: ErrorSerializer})
    def get(self, request: Request) -> Response:
        # Members, and a former member for the statements of their membership (as the page).
        if not can(request.user, "surplus_policy.view"):
            authorize(request.user, "profit_shares.view", request.user)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.my_allocations(request.user), request, view=self)
        return paginator.get_paginated_response(AllocationSerializer(page, many=True).data)


class MyStatementApi(APIView):
    """The signed-in member's statement in one cycle, with every step of the computation."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: AllocationSerializer, 403: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request: Request, pk: int) -> Response:
        row = selectors.member_statement(cycle_id=pk, user=request.user)
        if row is None:
            raise ApplicationError(
                _("You have no statement in this cycle."), code=ErrorCode.STATEMENT_NOT_FOUND, status_code=404
            )
        return Response(AllocationSerializer(row).data)


class PolicySerializer(serializers.Serializer):
    version = serializers.IntegerField()
    currency = serializers.CharField()
    funds = serializers.JSONField()
    classes = serializers.JSONField()
    min_cash_percent = serializers.DecimalField(max_digits=11, decimal_places=8)
    redemption_terms = serializers.CharField()
    requires_member_vote = serializers.BooleanField()


class PolicyCurrentApi(APIView):
    """The surplus policy in force (members)."""

    permission_classes = [api_permission("surplus_policy.view")]

    @extend_schema(responses={200: PolicySerializer, 403: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request: Request) -> Response:
        policy = services.surplus_policy_current()
        if policy is None:
            raise ApplicationError(_("There is no surplus policy yet."), code=ErrorCode.NO_POLICY, status_code=404)
        return Response(PolicySerializer(policy).data)


class PolicyProposeApi(APIView):
    """Propose a new surplus policy to the members (creates a draft proposal)."""

    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=200)
        policy = serializers.JSONField()

    class OutputSerializer(serializers.Serializer):
        proposal_id = serializers.IntegerField()

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer, **ERRORS})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = decision_open(
            key=POLICY_DECISION,
            payload=data.validated_data["policy"],
            title=data.validated_data["title"],
            author=request.user,
            actor=request.user,
        )
        return Response({"proposal_id": proposal.pk}, status=201)


class EarningsPayoutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    trigger = serializers.CharField()
    currency = serializers.CharField()
    withdrawal_batch_id = serializers.IntegerField(allow_null=True)
    paid_count = serializers.IntegerField()
    paid_cents = serializers.IntegerField()
    skipped = serializers.JSONField()
    created_at = serializers.DateTimeField()


class EarningsPayoutListApi(APIView):
    """Earnings payout runs, newest first (finance)."""

    permission_classes = [api_permission("earnings_payout.run")]
    pagination_class = Pagination

    @extend_schema(responses={200: EarningsPayoutSerializer(many=True), 403: ErrorSerializer})
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.earnings_payouts(), request, view=self)
        return paginator.get_paginated_response(EarningsPayoutSerializer(page, many=True).data)


class EarningsPayoutRunApi(APIView):
    """Pay every freelancer's available balance out in one batch now (finance)."""

    permission_classes = [api_permission("earnings_payout.run")]

    @extend_schema(request=None, responses={201: EarningsPayoutSerializer, **ERRORS})
    def post(self, request: Request) -> Response:
        run = services.earnings_payout_run(actor=request.user)
        return Response(EarningsPayoutSerializer(run).data, status=201)

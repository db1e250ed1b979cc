"""The finance API, for staff: bank payments and suspense, withdrawal batches, the trial balance."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ErrorSerializer
from core.api.fields import CentsField, CurrencyField, IdListField
from core.api.pagination import Pagination
from core.permissions import api_permission
from payouts import selectors
from payouts.api.views import WithdrawalOutput
from payouts.models import BankPayment, Withdrawal, WithdrawalBatch
from payouts.payments.services import bank_payment_record, suspense_apply, suspense_refund
from payouts.payments.withdrawals import withdrawal_batch_create, withdrawal_batch_settle, withdrawal_fail


class BankPaymentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    reference_text = serializers.CharField()
    bank_transaction_id = serializers.CharField(allow_null=True)
    amount_cents = serializers.IntegerField()
    currency = serializers.CharField()
    received_on = serializers.DateField()
    payment_request = serializers.CharField(source="payment_request.reference", allow_null=True, default=None)
    applied_cents = serializers.IntegerField()
    suspense_cents = serializers.IntegerField()
    status = serializers.CharField()
    resolution = serializers.CharField()
    note = serializers.CharField()


class BatchOutput(serializers.Serializer):
    id = serializers.IntegerField()
    message_id = serializers.CharField()
    execution_date = serializers.DateField()
    currency = serializers.CharField()
    status = serializers.CharField()
    settled_at = serializers.DateTimeField(allow_null=True)


class StatusQuery(serializers.Serializer):
    status = serializers.CharField(required=False)


class FinanceApi(APIView):
    permission_classes = [api_permission("books.view")]


class BankPaymentListApi(FinanceApi):
    """Recorded bank payments, newest first; ?status=in_suspense lists what finance must resolve."""

    pagination_class = Pagination

    @extend_schema(parameters=[StatusQuery], responses={200: BankPaymentOutput(many=True), 403: ErrorSerializer})
    def get(self, request: Request) -> Response:
        status = request.query_params.get("status") or None
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.bank_payments(status=status), request, view=self)
        return paginator.get_paginated_response(BankPaymentOutput(page, many=True).data)


class BankPaymentRecordApi(FinanceApi):
    """Record an amount received on the coop's bank account and match it by its reference."""

    class InputSerializer(serializers.Serializer):
        reference = serializers.CharField(max_length=140, allow_blank=True)
        amount_cents = CentsField(min_value=1)
        currency = CurrencyField()
        received_on = serializers.DateField()
        bank_transaction_id = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
        note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)

    @extend_schema(
        request=InputSerializer, responses={201: BankPaymentOutput, 400: ErrorSerializer, 403: ErrorSerializer}
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        payment = bank_payment_record(
            reference=data["reference"],
            amount_cents=data["amount_cents"],
            currency=data["currency"],
            received_on=data["received_on"],
            note=data["note"],
            bank_transaction_id=data["bank_transaction_id"],
            actor=request.user,
        )
        return Response(BankPaymentOutput(payment).data, status=201)


class SuspenseApplyApi(FinanceApi):
    """Apply a payment's amount in suspense to the open request with the given reference."""

    class InputSerializer(serializers.Serializer):
        reference = serializers.CharField(max_length=20)

    @extend_schema(
        request=InputSerializer,
        responses={
            200: BankPaymentOutput,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        payment = get_object_or_404(BankPayment, pk=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = suspense_apply(
            bank_payment_id=payment.pk, reference=serializer.validated_data["reference"], actor=request.user
        )
        return Response(BankPaymentOutput(payment).data)


class SuspenseRefundApi(FinanceApi):
    """Record that a payment's amount in suspense was paid back to its sender."""

    @extend_schema(
        request=None,
        responses={200: BankPaymentOutput, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        payment = get_object_or_404(BankPayment, pk=pk)
        return Response(BankPaymentOutput(suspense_refund(bank_payment_id=payment.pk, actor=request.user)).data)


class FinanceWithdrawalListApi(FinanceApi):
    """Every withdrawal, oldest first; ?status=requested lists those waiting for a batch."""

    pagination_class = Pagination

    @extend_schema(parameters=[StatusQuery], responses={200: WithdrawalOutput(many=True), 403: ErrorSerializer})
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        rows = selectors.withdrawals(status=request.query_params.get("status") or None)
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(WithdrawalOutput(page, many=True).data)


class WithdrawalFailApi(FinanceApi):
    """Record that a withdrawal could not be paid; the money returns to the freelancer's balance."""

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=200)

    @extend_schema(
        request=InputSerializer,
        responses={
            200: WithdrawalOutput,
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        withdrawal = get_object_or_404(Withdrawal, pk=pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        withdrawal = withdrawal_fail(
            withdrawal_id=withdrawal.pk, reason=serializer.validated_data["reason"], actor=request.user
        )
        return Response(WithdrawalOutput(withdrawal).data)


class WithdrawalBatchListApi(FinanceApi):
    """Payment batches, newest first."""

    pagination_class = Pagination

    @extend_schema(responses={200: BatchOutput(many=True), 403: ErrorSerializer})
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.withdrawal_batches(), request, view=self)
        return paginator.get_paginated_response(BatchOutput(page, many=True).data)


class WithdrawalBatchCreateApi(FinanceApi):
    """Put all requested withdrawals (or the listed ones) in one batch to pay by SEPA transfer."""

    class InputSerializer(serializers.Serializer):
        execution_date = serializers.DateField(required=False)
        # A SEPA batch may pay many members at once; the list stays bounded all the same.
        withdrawal_ids = IdListField(required=False, max_length=10_000)

    @extend_schema(
        request=InputSerializer,
        responses={201: BatchOutput, 400: ErrorSerializer, 403: ErrorSerializer, 409: ErrorSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        batch = withdrawal_batch_create(actor=request.user, **serializer.validated_data)
        return Response(BatchOutput(batch).data, status=201)


class WithdrawalBatchSettleApi(FinanceApi):
    """Mark a batch as paid by the bank: its withdrawals are settled in the ledger."""

    @extend_schema(
        request=None, responses={200: BatchOutput, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}
    )
    def post(self, request: Request, pk: int) -> Response:
        batch = get_object_or_404(WithdrawalBatch, pk=pk)
        return Response(BatchOutput(withdrawal_batch_settle(batch_id=batch.pk, actor=request.user)).data)


class TrialBalanceApi(FinanceApi):
    """Every ledger account with its balance, and the totals per purpose and currency."""

    class AccountSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        purpose = serializers.CharField()
        owner_type = serializers.CharField()
        owner_id = serializers.CharField()
        name = serializers.CharField()
        currency = serializers.CharField()
        user_id = serializers.IntegerField(allow_null=True)
        inflow_cents = serializers.IntegerField()
        outflow_cents = serializers.IntegerField()
        balance_cents = serializers.IntegerField()

    class OutputSerializer(serializers.Serializer):
        accounts = serializers.ListField(child=serializers.DictField())
        by_purpose = serializers.ListField(child=serializers.DictField())
        totals = serializers.DictField(child=serializers.IntegerField())

    @extend_schema(responses={200: OutputSerializer, 403: ErrorSerializer})
    def get(self, request: Request) -> Response:
        trial = selectors.trial_balance()
        return Response(
            {
                "accounts": self.AccountSerializer(trial.accounts, many=True).data,
                "by_purpose": [{k: v for k, v in row.items() if k != "label"} for row in trial.by_purpose],
                "totals": trial.totals,
            }
        )

"""The API for freelancers and payers: balances, history, withdrawals, payout account, payment requests."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ErrorSerializer
from core.api.fields import CentsField, CurrencyField
from core.api.pagination import Pagination
from core.exceptions import ApplicationError
from core.money import default_currency
from core.permissions import HasVerifiedEmail, can
from payouts import selectors
from payouts.ledger import freelancer_balances
from payouts.payments.providers import get_provider
from payouts.payments.withdrawals import payout_account_set, withdrawal_create


class WithdrawalOutput(serializers.Serializer):
    id = serializers.IntegerField()
    amount_cents = serializers.IntegerField()
    currency = serializers.CharField()
    status = serializers.CharField()
    iban = serializers.CharField()
    holder_name = serializers.CharField()
    failure_reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class BalanceApi(APIView):
    """The signed-in freelancer's balances in cents."""

    class OutputSerializer(serializers.Serializer):
        currency = serializers.CharField()
        available_cents = serializers.IntegerField(source="available")
        in_escrow_cents = serializers.IntegerField(source="in_escrow")
        pending_withdrawal_cents = serializers.IntegerField(source="pending_withdrawal")
        paid_out_cents = serializers.IntegerField(source="paid_out")

    @extend_schema(responses={200: OutputSerializer, 403: ErrorSerializer})
    def get(self, request: Request) -> Response:
        data = {"currency": default_currency(), **freelancer_balances(request.user.pk)}
        return Response(self.OutputSerializer(data).data)


class PostingListApi(APIView):
    """The postings that moved the signed-in freelancer's earnings, newest first."""

    pagination_class = Pagination

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField(source="posting.id")
        created_at = serializers.DateTimeField(source="posting.created_at")
        event = serializers.CharField(source="posting.batch.kind")
        event_label = serializers.CharField(source="event")
        memo = serializers.CharField()
        from_purpose = serializers.CharField(source="posting.from_account.purpose")
        to_purpose = serializers.CharField(source="posting.to_account.purpose")
        amount_cents = serializers.IntegerField()
        available_change_cents = serializers.IntegerField(source="change_cents")
        currency = serializers.CharField(source="posting.currency")

    @extend_schema(responses={200: OutputSerializer(many=True), 403: ErrorSerializer})
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.earnings_postings(request.user.pk), request, view=self)
        rows = selectors.earnings_history(page, request.user.pk)
        return paginator.get_paginated_response(self.OutputSerializer(rows, many=True).data)


class WithdrawalListApi(APIView):
    """The signed-in user's withdrawals, newest first."""

    pagination_class = Pagination

    @extend_schema(responses={200: WithdrawalOutput(many=True), 403: ErrorSerializer})
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.user_withdrawals(request.user.pk), request, view=self)
        return paginator.get_paginated_response(WithdrawalOutput(page, many=True).data)


class WithdrawalRequestApi(APIView):
    """Ask for part of the available balance to be paid to the payout account."""

    permission_classes = [HasVerifiedEmail]

    class InputSerializer(serializers.Serializer):
        amount_cents = CentsField(min_value=1)
        currency = CurrencyField()

    @extend_schema(
        request=InputSerializer,
        responses={201: WithdrawalOutput, 400: ErrorSerializer, 403: ErrorSerializer, 409: ErrorSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        withdrawal = withdrawal_create(
            user=request.user, amount_cents=data["amount_cents"], currency=data["currency"], actor=request.user
        )
        return Response(WithdrawalOutput(withdrawal).data, status=201)


class PayoutAccountOutput(serializers.Serializer):
    iban = serializers.CharField()
    bic = serializers.CharField()
    holder_name = serializers.CharField()


class PayoutAccountApi(APIView):
    """Where the signed-in user's withdrawals are paid to."""

    @extend_schema(responses={200: PayoutAccountOutput, 403: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request: Request) -> Response:
        account = selectors.payout_account_for(request.user.pk)
        if account is None:
            raise Http404
        return Response(PayoutAccountOutput(account).data)


class PayoutAccountSetApi(APIView):
    """Set the IBAN and account holder that withdrawals are paid to."""

    permission_classes = [HasVerifiedEmail]

    class InputSerializer(serializers.Serializer):
        iban = serializers.CharField(max_length=42)
        holder_name = serializers.CharField(max_length=70)
        bic = serializers.CharField(max_length=11, required=False, default="", allow_blank=True)

    @extend_schema(
        request=InputSerializer, responses={200: PayoutAccountOutput, 400: ErrorSerializer, 403: ErrorSerializer}
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account = payout_account_set(user=request.user, actor=request.user, **serializer.validated_data)
        return Response(PayoutAccountOutput(account).data)


class PaymentRequestApi(APIView):
    """A payment request and how to pay it (for its payer and for staff)."""

    class OutputSerializer(serializers.Serializer):
        reference = serializers.CharField()
        amount_cents = serializers.IntegerField()
        amount_received_cents = serializers.IntegerField()
        currency = serializers.CharField()
        provider = serializers.CharField()
        purpose = serializers.CharField()
        purpose_ref = serializers.CharField()
        description = serializers.CharField()
        status = serializers.CharField()
        instructions = serializers.DictField(allow_null=True)

    @extend_schema(responses={200: OutputSerializer, 403: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request: Request, reference: str) -> Response:
        found = selectors.payment_request_for(reference)
        if found is None:
            raise Http404
        if not can(request.user, "payment_request.view", found):
            raise PermissionDenied
        try:
            instructions = get_provider(found.provider).payment_instructions(found)
        except ApplicationError:
            instructions = None
        data = {field: getattr(found, field) for field in self.OutputSerializer().fields if field != "instructions"}
        return Response(self.OutputSerializer({**data, "instructions": instructions}).data)


class OpenBooksApi(APIView):
    """The coop's income, costs, reserves and where each fee euro goes, for a year.

    Members always; signed-out visitors when the bylaws publish the summary or the full books.
    """

    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer):
        year = serializers.IntegerField()
        currency = serializers.CharField()
        fees_cents = serializers.IntegerField()
        other_income_cents = serializers.IntegerField()
        income_cents = serializers.IntegerField()
        costs = serializers.ListField(child=serializers.DictField())
        costs_cents = serializers.IntegerField()
        funds = serializers.ListField(child=serializers.DictField())
        share_capital_cents = serializers.IntegerField()
        member_capital_cents = serializers.IntegerField()
        fee_euro = serializers.ListField(child=serializers.DictField())

    class QuerySerializer(serializers.Serializer):
        year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)

    @extend_schema(
        parameters=[QuerySerializer], responses={200: OutputSerializer, 400: ErrorSerializer, 403: ErrorSerializer}
    )
    def get(self, request: Request) -> Response:
        from django.utils import timezone

        from core.open_data import BOOKS_SUMMARY
        from payouts.open_books.selectors.publication import books_require

        books_require(request.user, BOOKS_SUMMARY)
        query = self.QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year", timezone.localdate().year)
        return Response(self.OutputSerializer(selectors.open_books(year)).data)

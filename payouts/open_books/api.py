"""The open books' API: expenses (submit with a receipt, decide, withdraw), the annual accounts,
every transaction, and closing a year. The books answer signed-out callers what the bylaws publish."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ErrorSerializer
from core.api.pagination import Pagination
from core.open_data import BOOKS_FULL, BOOKS_SUMMARY
from core.permissions import HasVerifiedEmail, authorize, can
from payouts.open_books.models import CostCategory, ExpenseClaim
from payouts.open_books.selectors import books as selectors
from payouts.open_books.selectors.accounts import annual_accounts
from payouts.open_books.selectors.publication import books_require
from payouts.open_books.services.expenses import expense_approve, expense_reject, expense_submit, expense_withdraw
from payouts.open_books.services.periods import period_close

ERRORS: dict[int, Any] = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


class ExpenseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    category = serializers.CharField()
    description = serializers.CharField()
    amount_cents = serializers.IntegerField()
    currency = serializers.CharField()
    spent_on = serializers.DateField()
    receipt_name = serializers.CharField()
    claimant_id = serializers.IntegerField()
    approved_by_id = serializers.IntegerField(allow_null=True)
    rejection_reason = serializers.CharField()
    withdrawal_id = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()


def _claim(request: Request, pk: int) -> ExpenseClaim:
    claim = selectors.expense_of(pk)
    if claim is None:
        raise Http404
    authorize(request.user, "expense.view", claim)
    return claim


class ExpenseListApi(APIView):
    """One's own expenses, newest first; finance and the board get everyone's."""

    pagination_class = Pagination

    class QuerySerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=ExpenseClaim.Status.choices, required=False)

    @extend_schema(parameters=[QuerySerializer], responses={200: ExpenseOutput(many=True), **ERRORS})
    def get(self, request: Request) -> Response:
        authorize(request.user, "expense.submit")
        query = self.QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.expenses_for(
            request.user, everyone=can(request.user, "expense.list"), status=query.validated_data.get("status")
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(ExpenseOutput(page, many=True).data)


class ExpenseSubmitApi(APIView):
    """Submit an expense claim (or, for finance, a supplier invoice) with its receipt (multipart)."""

    permission_classes = [HasVerifiedEmail]
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=ExpenseClaim.Kind.choices, default=ExpenseClaim.Kind.CLAIM)
        category = serializers.ChoiceField(choices=CostCategory.choices)
        description = serializers.CharField(max_length=300)
        amount_cents = serializers.IntegerField(min_value=1, max_value=10_000_000)
        spent_on = serializers.DateField()
        supplier_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
        receipt = serializers.FileField()

    @extend_schema(request=InputSerializer, responses={201: ExpenseOutput, **ERRORS})
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        claim = expense_submit(actor=request.user, **data)  # type: ignore[arg-type]
        return Response(ExpenseOutput(claim).data, status=201)


class ExpenseDetailApi(APIView):
    @extend_schema(responses={200: ExpenseOutput, **ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return Response(ExpenseOutput(_claim(request, pk)).data)


class ExpenseApproveApi(APIView):
    """Approve someone else's expense: it is booked, and a claim's reimbursement joins the next batch."""

    permission_classes = [HasVerifiedEmail]

    @extend_schema(request=None, responses={200: ExpenseOutput, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        claim = _claim(request, pk)
        return Response(ExpenseOutput(expense_approve(claim_id=claim.pk, actor=request.user)).data)  # type: ignore[arg-type]


class ExpenseRejectApi(APIView):
    permission_classes = [HasVerifiedEmail]

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=300)

    @extend_schema(request=InputSerializer, responses={200: ExpenseOutput, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        claim = _claim(request, pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rejected = expense_reject(claim_id=claim.pk, actor=request.user, reason=serializer.validated_data["reason"])  # type: ignore[arg-type]
        return Response(ExpenseOutput(rejected).data)


class ExpenseWithdrawApi(APIView):
    permission_classes = [HasVerifiedEmail]

    @extend_schema(request=None, responses={200: ExpenseOutput, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        claim = _claim(request, pk)
        return Response(ExpenseOutput(expense_withdraw(claim_id=claim.pk, actor=request.user)).data)  # type: ignore[arg-type]


class AccountsApi(APIView):
    """The income statement of a year and the balance sheet at its end, in cents by line.

    Members always; signed-out callers when the bylaws publish the summary or the full books.
    """

    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer):
        year = serializers.IntegerField()
        currency = serializers.CharField()
        closed = serializers.BooleanField()
        income_statement = serializers.DictField()
        balance_sheet = serializers.DictField()

    @extend_schema(responses={200: OutputSerializer, **ERRORS})
    def get(self, request: Request, year: int) -> Response:
        from payouts.open_books.models import AccountingPeriod

        books_require(request.user, BOOKS_SUMMARY)
        if not 2000 <= year <= timezone.localdate().year:
            raise Http404
        data = annual_accounts(year).as_dict()
        data["closed"] = AccountingPeriod.objects.filter(year=year, status=AccountingPeriod.Status.CLOSED).exists()
        return Response(self.OutputSerializer(data).data)


class TransactionsApi(APIView):
    """One page of a year's ledger events, newest first, counterparties as roles (the full books)."""

    permission_classes = [AllowAny]

    class QuerySerializer(serializers.Serializer):
        year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
        before = serializers.IntegerField(required=False, min_value=1, max_value=2**62)

    class PostingOutput(serializers.Serializer):
        from_role = serializers.CharField(source="from")
        to_role = serializers.CharField(source="to")
        amount_cents = serializers.IntegerField()
        currency = serializers.CharField()

    class EventOutput(serializers.Serializer):
        id = serializers.IntegerField()
        at = serializers.DateTimeField()
        kind = serializers.CharField()
        event = serializers.CharField()
        postings = serializers.ListField(child=serializers.DictField())

    class OutputSerializer(serializers.Serializer):
        year = serializers.IntegerField()
        next_before = serializers.IntegerField(allow_null=True)
        results = serializers.ListField(child=serializers.DictField())

    @extend_schema(parameters=[QuerySerializer], responses={200: OutputSerializer, **ERRORS})
    def get(self, request: Request) -> Response:
        books_require(request.user, BOOKS_FULL)
        query = self.QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year", timezone.localdate().year)
        rows, next_before = selectors.transactions_page(year=year, before=query.validated_data.get("before"))
        results = [
            {**self.EventOutput(row).data, "postings": self.PostingOutput(row["postings"], many=True).data}
            for row in rows
        ]
        return Response({"year": year, "next_before": next_before, "results": results})


class PeriodCloseApi(APIView):
    """Close a financial year that has ended (finance)."""

    permission_classes = [HasVerifiedEmail]

    class InputSerializer(serializers.Serializer):
        year = serializers.IntegerField(min_value=2000, max_value=2100)

    class OutputSerializer(serializers.Serializer):
        year = serializers.IntegerField()
        status = serializers.CharField()
        closed_at = serializers.DateTimeField()

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer, **ERRORS})
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        period = period_close(year=serializer.validated_data["year"], actor=request.user)  # type: ignore[arg-type]
        return Response(self.OutputSerializer(period).data)


urlpatterns = [
    path("money/expenses/", ExpenseListApi.as_view(), name="api-expenses"),
    path("money/expenses/submit/", ExpenseSubmitApi.as_view(), name="api-expense-submit"),
    path("money/expenses/<id:pk>/", ExpenseDetailApi.as_view(), name="api-expense"),
    path("money/expenses/<id:pk>/approve/", ExpenseApproveApi.as_view(), name="api-expense-approve"),
    path("money/expenses/<id:pk>/reject/", ExpenseRejectApi.as_view(), name="api-expense-reject"),
    path("money/expenses/<id:pk>/withdraw/", ExpenseWithdrawApi.as_view(), name="api-expense-withdraw"),
    path("money/open-books/accounts/<id:year>/", AccountsApi.as_view(), name="api-open-books-accounts"),
    path("money/open-books/transactions/", TransactionsApi.as_view(), name="api-open-books-transactions"),
    path("money/finance/periods/close/", PeriodCloseApi.as_view(), name="api-period-close"),
]

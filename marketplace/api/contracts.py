"""The marketplace API for contracts: read them and their fee, the freelancer's balance, and ending one."""

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ErrorSerializer
from core.money import default_currency
from marketplace.api import serializers as o
from marketplace.api._base import ERRORS, SignedInRequest, WriteApi
from marketplace.api.milestones import with_contract
from marketplace.models import Contract
from marketplace.selectors import contracts as contract_selectors
from marketplace.services import contracts as contract_services
from marketplace.services import escrow

# The milestones a contract shows inline; GET contracts/<id>/milestones/ pages through all of them.
INLINE_MILESTONES = 50

FEE_DESTINATION = (
    "The fee is the cooperative's income: it pays for running the platform, and what is left is split by "
    "the members' decision between the reserve and profit shares paid back to members."
)


# Not nested in BalanceApi: nested, its schema name would be "BalanceOutput", which the money API's balance has.
class BalanceOut(serializers.Serializer):
    currency = serializers.CharField()
    available_cents = serializers.IntegerField(source="available")
    in_escrow_cents = serializers.IntegerField(source="in_escrow")
    pending_withdrawal_cents = serializers.IntegerField(source="pending_withdrawal")
    paid_out_cents = serializers.IntegerField(source="paid_out")


@extend_schema(tags=["contracts"], summary="Your contracts, as client or freelancer.")
class ContractListApi(generics.ListAPIView):
    """List the caller's contracts, as client or freelancer."""

    request: SignedInRequest
    queryset = Contract.objects.none()
    serializer_class = o.ContractOut

    def get_queryset(self) -> QuerySet[Contract]:
        return contract_selectors.contracts_for_user(user=self.request.user)


@extend_schema(
    tags=["contracts"],
    summary="One contract with its first milestones and its fee (its two parties only).",
    description=f"The contract shows its first {INLINE_MILESTONES} milestones in plan order, how many it has "
    "(`milestone_count`) and where to page through all of them (`milestones_url`).",
    responses={200: o.ContractDetailOut, 404: ErrorSerializer},
)
class ContractDetailApi(APIView):
    """Show one contract with its first milestones, its fee and where the fee goes, to its two parties."""

    def get(self, request: Request, contract_id: int) -> Response:
        contract = contract_selectors.contract_counted_get_for(contract_id=contract_id, user=request.user)
        # A contract's milestones grow with it: the first page inline, the rest through the list (issue 18).
        milestones = contract_selectors.contract_milestones(contract=contract)[:INLINE_MILESTONES]
        contract.milestones_shown = with_contract(milestones, contract)
        contract.milestones_url = request.build_absolute_uri(reverse("api-milestone-add", args=[contract.pk]))
        contract.fee_destination = FEE_DESTINATION
        return Response(o.ContractDetailOut(contract).data)


@extend_schema(
    tags=["contracts"],
    summary="Your freelancer balance in a currency.",
    parameters=[
        OpenApiParameter("currency", str, description="ISO 4217 code of the balance; the coop's currency by default.")
    ],
    responses={200: BalanceOut},
)
class BalanceApi(APIView):
    """Show the caller's freelancer balance in one currency."""

    def get(self, request: SignedInRequest) -> Response:
        currency = str(request.query_params.get("currency") or default_currency())[:3].upper()
        balances = escrow.balances(user_id=request.user.pk, currency=currency)
        return Response(BalanceOut({"currency": currency, **balances}).data)


class ContractEndApi(WriteApi):
    """End a contract once no money is in escrow or on its way."""

    @extend_schema(
        request=None,
        responses={200: o.ContractOut, **ERRORS},
        summary="End a contract once no money is in escrow or on its way.",
        tags=["contracts"],
        operation_id="contract_end",
    )
    def post(self, request: SignedInRequest, contract_id: int) -> Response:
        self.validate_input(request)
        contract = contract_services.contract_end_by_party(contract_id=contract_id, actor=request.user)
        return Response(o.ContractOut(contract).data)

"""The marketplace API for the fee: the policy in force and its history, and the first policy."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core.api.fields import CentsField, CurrencyField
from marketplace.api import serializers as o
from marketplace.api._base import ERRORS, SignedInRequest, WriteApi
from marketplace.models import FeePolicy
from marketplace.selectors import contracts as contract_selectors
from marketplace.services import fees as fee_services


@extend_schema(tags=["fees"], summary="The fee policy in force and its history (public).")
class FeePolicyListApi(generics.ListAPIView):
    """List the fee policy in force and the ones before it; anyone may."""

    permission_classes = [AllowAny]
    serializer_class = o.FeePolicyOut

    def get_queryset(self) -> QuerySet[FeePolicy]:
        return contract_selectors.fee_policies()


class FeePolicyBootstrapApi(WriteApi):
    """Set the first fee policy, as an admin; later changes go through a members' decision."""

    class InputSerializer(serializers.Serializer):
        percent = serializers.DecimalField(max_digits=5, decimal_places=2)
        min_cents = CentsField(default=0)
        max_cents = CentsField(required=False, allow_null=True, default=None)
        currency = CurrencyField()

    @extend_schema(
        request=InputSerializer,
        responses={201: o.FeePolicyOut, **ERRORS},
        summary="An admin sets the first fee policy; later changes go through a members' decision.",
        tags=["fees"],
        operation_id="fee_policy_bootstrap",
    )
    def post(self, request: SignedInRequest) -> Response:
        data = self.validate_input(request)
        policy = fee_services.fee_policy_bootstrap(
            actor=request.user, percent=data["percent"], min_cents=data["min_cents"], max_cents=data["max_cents"]
        )
        return Response(o.FeePolicyOut(policy).data, status=status.HTTP_201_CREATED)

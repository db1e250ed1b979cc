"""The Stripe hand-offs for API clients: a freelancer's Connect account and onboarding link, a payer's Checkout.

Each answers with the Stripe URL to open, as the pages redirect to it. Stripe sends people back to
this site's own pages (return, refresh, done), never to an address the client names, so the API
cannot be used to bounce someone through Stripe to another site.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ErrorSerializer
from payouts.stripe_gateway import selectors
from payouts.stripe_gateway.client import stripe_enabled
from payouts.stripe_gateway.services.connect import connect_onboarding_link_create
from payouts.stripe_gateway.services.funding import stripe_checkout_session_create


class StripeUrlOutput(serializers.Serializer):
    url = serializers.URLField()


def _require_stripe() -> None:
    if not stripe_enabled():
        raise Http404


def _require_freelancer(request: Request) -> None:
    _require_stripe()
    if not getattr(request.user, "is_freelancer", False):
        raise PermissionDenied


class ConnectAccountApi(APIView):
    """The signed-in freelancer's Stripe payout account: whether it exists and whether payouts are on."""

    class OutputSerializer(serializers.Serializer):
        connected = serializers.BooleanField()
        details_submitted = serializers.BooleanField()
        payouts_enabled = serializers.BooleanField()

    @extend_schema(responses={200: OutputSerializer, 403: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request: Request) -> Response:
        _require_freelancer(request)
        account = selectors.connect_account_for(request.user)
        data = {
            "connected": bool(account and account.account_id),
            "details_submitted": bool(account and account.details_submitted),
            "payouts_enabled": bool(account and account.payouts_enabled),
        }
        return Response(self.OutputSerializer(data).data)


class ConnectLinkApi(APIView):
    """Create the freelancer's Stripe account when needed and return a fresh onboarding link to open."""

    @extend_schema(
        request=None,
        responses={201: StripeUrlOutput, 403: ErrorSerializer, 404: ErrorSerializer, 502: ErrorSerializer},
    )
    def post(self, request: Request) -> Response:
        _require_freelancer(request)
        url = connect_onboarding_link_create(
            user=request.user,
            refresh_url=request.build_absolute_uri(reverse("stripe_gateway:connect-refresh")),
            return_url=request.build_absolute_uri(reverse("stripe_gateway:connect-return")),
            actor=request.user,
        )
        return Response(StripeUrlOutput({"url": url}).data, status=201)


class CardCheckoutApi(APIView):
    """Start paying one of the payer's own card payment requests on Stripe Checkout; return its URL."""

    @extend_schema(
        request=None,
        responses={
            201: StripeUrlOutput,
            400: ErrorSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
            502: ErrorSerializer,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        _require_stripe()
        payment_request = selectors.card_payment_request_for(payment_request_id=pk, user=request.user)
        if payment_request is None:
            raise Http404
        url = stripe_checkout_session_create(
            payment_request_id=payment_request.pk,
            success_url=request.build_absolute_uri(reverse("stripe_gateway:checkout-done", args=[pk])),
            cancel_url=request.build_absolute_uri(reverse("stripe_gateway:checkout", args=[pk])),
            actor=request.user,
        )
        return Response(StripeUrlOutput({"url": url}).data, status=201)


urlpatterns = [
    path("money/stripe/connect/", ConnectAccountApi.as_view(), name="api-stripe-connect"),
    path("money/stripe/connect/link/", ConnectLinkApi.as_view(), name="api-stripe-connect-link"),
    path("money/payments/<id:pk>/card-checkout/", CardCheckoutApi.as_view(), name="api-stripe-card-checkout"),
]

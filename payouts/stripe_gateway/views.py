"""Pages and the webhook endpoint of the Stripe gateway. Each view calls one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.exceptions import ApplicationError
from payouts.stripe_gateway import selectors
from payouts.stripe_gateway.client import stripe_enabled
from payouts.stripe_gateway.exceptions import ErrorCode
from payouts.stripe_gateway.services.connect import connect_onboarding_link_create
from payouts.stripe_gateway.services.funding import stripe_checkout_session_create
from payouts.stripe_gateway.services.webhooks import WebhookRefused, webhook_receive


@csrf_exempt
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    """Receive one Stripe event: 400 and nothing stored unless the signature on the raw body holds."""
    if not stripe_enabled():
        raise Http404
    try:
        event, created = webhook_receive(payload=request.body, signature=request.headers.get("Stripe-Signature", ""))
    except WebhookRefused:
        return JsonResponse(
            {"code": ErrorCode.BAD_SIGNATURE, "message": "The webhook signature is not valid."}, status=400
        )
    return JsonResponse({"id": event.event_id, "status": event.status, "new": created})


def _require_freelancer(request: HttpRequest) -> None:
    if not stripe_enabled():
        raise Http404
    if not getattr(request.user, "is_freelancer", False):
        raise PermissionDenied


def _onboarding_redirect(request: HttpRequest) -> HttpResponse:
    try:
        url = connect_onboarding_link_create(
            user=request.user,
            refresh_url=request.build_absolute_uri(reverse("stripe_gateway:connect-refresh")),
            return_url=request.build_absolute_uri(reverse("stripe_gateway:connect-return")),
            actor=request.user,
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("stripe_gateway:connect")
    return HttpResponseRedirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def connect(request: HttpRequest) -> HttpResponse:
    """Show the freelancer's Stripe payout account; on POST, send them to Stripe's onboarding."""
    _require_freelancer(request)
    if request.method == "POST":
        return _onboarding_redirect(request)
    account = selectors.connect_account_for(request.user)
    return render(request, "stripe_gateway/connect.html", {"account": account})


@login_required
@require_GET
def connect_refresh(request: HttpRequest) -> HttpResponse:
    """Stripe sends the freelancer here when an onboarding link expired: hand out a new one."""
    _require_freelancer(request)
    return _onboarding_redirect(request)


@login_required
@require_GET
def connect_return(request: HttpRequest) -> HttpResponse:
    _require_freelancer(request)
    messages.info(request, _("Thank you. Stripe is checking your details; this page shows when payouts are on."))
    return redirect("stripe_gateway:connect")


@login_required
@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a card payment for the payer's request; on POST, send them to Stripe Checkout."""
    if not stripe_enabled():
        raise Http404
    payment_request = selectors.card_payment_request_for(payment_request_id=pk, user=request.user)
    if payment_request is None:
        raise Http404
    if request.method == "POST":
        try:
            url = stripe_checkout_session_create(
                payment_request_id=payment_request.pk,
                success_url=request.build_absolute_uri(reverse("stripe_gateway:checkout-done", args=[pk])),
                cancel_url=request.build_absolute_uri(reverse("stripe_gateway:checkout", args=[pk])),
                actor=request.user,
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("stripe_gateway:checkout", pk=pk)
        return HttpResponseRedirect(url, status=303)
    return render(request, "stripe_gateway/checkout.html", {"payment_request": payment_request})


@login_required
@require_GET
def checkout_done(request: HttpRequest, pk: int) -> HttpResponse:
    if not stripe_enabled():
        raise Http404
    payment_request = selectors.card_payment_request_for(payment_request_id=pk, user=request.user)
    if payment_request is None:
        raise Http404
    return render(request, "stripe_gateway/checkout_done.html", {"payment_request": payment_request})

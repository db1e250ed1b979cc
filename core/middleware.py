"""Site-wide middleware: friendly 405 pages, idempotent API writes and the Permissions-Policy header."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core import idempotency
from core.exceptions import ApplicationError

# Every powerful browser feature the site does not use, denied to its pages and anything they might
# embed. Card payments leave the site for Stripe Checkout (a redirect), so no page calls the Payment
# Request API and `payment` is denied too. Two-factor sign-in is TOTP and recovery codes
# (MFA_SUPPORTED_TYPES); turning on allauth's passkeys would need `publickey-credentials-*=(self)`.
# Only features today's browsers know are named: an unknown one costs a console error on every page.
DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-create",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)


class FriendlyMethodNotAllowed:
    """Render templates/405.html for a browser GET of a POST-only page; leave the API's answers alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or request.method != "GET" or request.path.startswith("/api/"):
            return response
        if response.content:
            return response
        page = render(request, "405.html", status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page


class PermissionsPolicy:
    """Add the Permissions-Policy header to every response, static files included (so it sits above WhiteNoise)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class IdempotencyMiddleware:
    """Answer a retried API write that carries an Idempotency-Key from its first answer (core.idempotency).

    It sits after the session and authentication middleware (it needs the signed-in user) and
    answers before any view runs; the view's own transaction is untouched, since the key's row is
    written and updated in transactions of their own around it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not idempotency.applies(request):
            return self.get_response(request)
        try:
            key = idempotency.key_of(request)
            identity = idempotency.fingerprint(request)
            owner = idempotency.owner_of(request)
            if owner is None:
                return self.get_response(request)
            claimed = idempotency.claim(owner=owner, key=key, request=identity)
        except ApplicationError as refused:
            return idempotency.error_response(refused)
        if isinstance(claimed, HttpResponse):
            return claimed
        try:
            response = self.get_response(request)
        except BaseException:
            idempotency.release(claimed)
            raise
        idempotency.complete(claimed, response)
        return response

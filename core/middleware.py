"""Site-wide middleware: friendly 405 pages and the Permissions-Policy header."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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


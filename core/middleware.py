"""Site-wide middleware: friendly 405 pages, idempotent API writes, the Permissions-Policy header and the
Content-Security-Policy built once."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
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


# What django-csp's decorators set on a response to change its policy: such a response, or a request
# that asked for a nonce, is handled by django-csp itself.
_OWN_POLICY = tuple(
    f"_csp_{name}{suffix}" for name in ("config", "update", "replace", "exempt") for suffix in ("", "_ro")
)
_POLICIES = (
    (HEADER, "CONTENT_SECURITY_POLICY", False),
    (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
)


@functools.cache
def _site_policies() -> tuple[tuple[str, str, str], ...]:
    return tuple((header, setting, build_policy(report_only=report_only)) for header, setting, report_only in _POLICIES)


@receiver(setting_changed)
def _forget_policies(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _site_policies.cache_clear()


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp's middleware, with the site's policy built once instead of for every response (its
    deep copies and joins were a fifth of the whole middleware stack's time, issue 18). The headers
    are the same; a response with a policy of its own and a request with a nonce go through django-csp.
    """

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if getattr(request, "_csp_nonce", None) is not None or any(hasattr(response, name) for name in _OWN_POLICY):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (404, 500):
            return response
        for header, setting, policy in _site_policies():
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if policy and header not in response and not request.path_info.startswith(tuple(prefixes)):
                response[header] = policy
        # As django-csp: a nonce asked for after the header is written is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response

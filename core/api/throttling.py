"""The API's rate limits, set in settings (REST_FRAMEWORK) so that no view has to list them.

Two limits, both counted in the cache (CACHE_URL), per client IP address for anonymous callers and
per account for signed-in ones:

- "login": the token endpoint (any view with `throttle_scope = "login"`), against password and
  two-factor guessing; the same pace as allauth's failed-login limit on the pages.
- "write": every request that changes something (POST, PUT, PATCH, DELETE) on any endpoint.

Reads are not limited here. The rates are read from settings on each request, not once at import
as DRF's own classes do, so a test can lower them with override_settings. The client's address is
core.http.client_ip's (X-Forwarded-For only from a trusted proxy), not DRF's own guess. Should the
cache fail, a request is let through with a warning rather than answered with a 500.

Failed logins have their own back-off per account and per address (core.limits), on top of the
"login" rate here.
"""

import logging
from typing import Any, cast

from django.core.exceptions import ImproperlyConfigured
from rest_framework import throttling
from rest_framework.request import Request
from rest_framework.settings import api_settings

from core.http import client_ip

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class _RatesFromSettings:
    scope: str | None

    def get_ident(self, request: Request) -> str:
        return client_ip(request)

    def allow_request(self, request: Request, view: Any) -> bool:
        try:
            return bool(super().allow_request(request, view))  # type: ignore[misc]
        except Exception as exc:  # a cache outage must not turn every request into a 500
            logger.warning("Rate limit %s skipped: the cache failed (%s: %s)", self.scope, type(exc).__name__, exc)
            return True

    def get_rate(self) -> str | None:
        if self.scope is None:
            raise ImproperlyConfigured(f"{type(self).__name__} has no throttle scope")
        # Rates are strings such as "5/min" (or None for no limit); djangorestframework-stubs
        # declares this setting's values as numbers.
        rates = cast(dict[str, str | None], api_settings.DEFAULT_THROTTLE_RATES)
        # A scope without a rate is a KeyError at the first request, as in DRF: a configuration error.
        return rates[self.scope]


class ScopedRateThrottle(_RatesFromSettings, throttling.ScopedRateThrottle):
    """Limit the views that name a `throttle_scope` (the token endpoint's is "login")."""


class WriteRateThrottle(_RatesFromSettings, throttling.SimpleRateThrottle):
    """Limit the requests that change something, per account or, when anonymous, per IP address."""

    scope = "write"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if request.method in SAFE_METHODS:
            return None
        user = request.user
        ident = user.pk if user is not None and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}

"""The API's rate limits, set in settings (REST_FRAMEWORK) so that no view has to list them.

Two limits, both counted in the cache (CACHE_URL), per client IP address for anonymous callers and
per account for signed-in ones:

- "login": the token endpoint (any view with `throttle_scope = "login"`), against password and
  two-factor guessing; the same pace as allauth's failed-login limit on the pages.
- "write": every request that changes something (POST, PUT, PATCH, DELETE) on any endpoint.

Reads are not limited here. The rates are read from settings on each request, not once at import
as DRF's own classes do, so a test can lower them with override_settings.
"""

from typing import Any, cast

from django.core.exceptions import ImproperlyConfigured
from rest_framework import throttling
from rest_framework.request import Request
from rest_framework.settings import api_settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class _RatesFromSettings:
    scope: str | None

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

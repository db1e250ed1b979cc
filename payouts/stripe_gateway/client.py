"""The Stripe API clients, built from settings on each use so that tests can point them elsewhere.

Buyer-side calls (PaymentIntents, Checkout, charges, refunds) go to STRIPE_API_BASE; Connect calls
(accounts, account links, transfers) and the balance go to STRIPE_CONNECT_API_BASE, which defaults
to the same base. Both default to Stripe itself.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from payouts.stripe_gateway.exceptions import ErrorCode

PROVIDER = "stripe"


def stripe_enabled() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def _client(base: str) -> stripe.StripeClient:
    if not stripe_enabled():
        raise ApplicationError(
            _("Card payments through Stripe are not available."), code=ErrorCode.PROVIDER_UNAVAILABLE, status_code=409
        )
    addresses: dict[str, str] = {"api": base} if base else {}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, base_addresses=addresses, max_network_retries=2)  # type: ignore[arg-type]


def payments_client() -> stripe.StripeClient:
    return _client(settings.STRIPE_API_BASE)


def connect_client() -> stripe.StripeClient:
    return _client(settings.STRIPE_CONNECT_API_BASE or settings.STRIPE_API_BASE)


def provider_error(exc: stripe.StripeError) -> ApplicationError:
    """Turn a failed Stripe call into an error the user can read; the detail keeps Stripe's code."""
    return ApplicationError(
        _("Stripe could not complete the request. Try again in a moment."),
        code=ErrorCode.STRIPE_ERROR,
        detail={"stripe_code": getattr(exc, "code", None) or "", "http_status": getattr(exc, "http_status", None)},
        status_code=502,
    )


def from_timestamp(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    return datetime.fromtimestamp(int(value), tz=UTC)


def object_id(value: Any) -> str:
    """Return the id of an expandable field, whether Stripe sent the id or the whole object."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return str(value.get("id") or "")

"""The client's address, decided once for throttles, login limits, allauth and logs.

`X-Forwarded-For` is a header anyone can send. It says something only when a proxy we run wrote
it: each proxy appends the address it received the request from, so with N proxies of ours in
front of the app, the right-most N entries are theirs and the N-th from the right is the client
as our outermost proxy saw it. Everything to the left of that came from the client and is
ignored. TRUSTED_PROXY_COUNT (0 by default: the app is reached directly) says how many there are.
"""

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest
from rest_framework.request import Request

logger = logging.getLogger(__name__)

UNKNOWN = "unknown"


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest | Request) -> str:
    """Return the address of the client that sent the request, as far as we can trust it."""
    meta = request.META
    remote = _valid(meta.get("REMOTE_ADDR", "")) or UNKNOWN
    trusted = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if trusted <= 0:
        return remote
    entries = [entry for entry in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if len(entries) < trusted:
        # Fewer entries than proxies: the request did not come through all of them (or the
        # setting is wrong). What the header says cannot be trusted; the peer's address can.
        logger.warning(
            "X-Forwarded-For has %d entries but TRUSTED_PROXY_COUNT is %d; using the peer address",
            len(entries),
            trusted,
        )
        return remote
    forwarded = _valid(entries[-trusted])
    if forwarded is None:
        logger.warning("Our proxy forwarded an address that is not one: %r", entries[-trusted][:60])
        return remote
    return forwarded

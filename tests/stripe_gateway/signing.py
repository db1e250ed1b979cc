"""Build webhook deliveries exactly as Stripe signs them (scheme v1: HMAC-SHA256 of "{t}.{body}")."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from typing import Any


def event_body(event_type: str, obj: dict[str, Any], *, event_id: str = "", created: int | None = None) -> bytes:
    event = {
        "id": event_id or f"evt_{secrets.token_hex(12)}",
        "object": "event",
        "api_version": "2025-01-27.acacia",
        "created": int(time.time()) if created is None else created,
        "livemode": False,
        "pending_webhooks": 1,
        "type": event_type,
        "data": {"object": obj},
    }
    return json.dumps(event, indent=2, sort_keys=True).encode()


def signature_header(body: bytes, secret: str, *, timestamp: int | None = None) -> str:
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"

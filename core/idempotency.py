"""Idempotent API writes: a retried request with the same `Idempotency-Key` gets the first answer.

As Stripe does: a client may send `Idempotency-Key: <1 to 255 characters>` on any write (POST, PUT,
PATCH, DELETE) under /api/. For 24 hours, the same key from the same owner (the signed-in user, or
the client's address for an anonymous caller) with the same method, path and body is answered with
the stored answer (its status and body, plus `Idempotent-Replayed: true`) without doing the work
again. The same key with another method, path or body is a 409 `idempotency_key_reused`; while the
first request is still running, a second one is a 409 `idempotency_key_in_progress`.

The key is claimed by inserting its row before the work starts, in a transaction of its own, so the
unique constraint on (owner, key) lets exactly one of two concurrent requests do the work; the
other finds the row and is refused (still running) or answered from it (done).

An answer is kept only when a retry could not turn out better: not a server error (500 or more, or
no answer at all when the process died: a retry may succeed), not 401 (the credentials, not the
request, were wrong) or 429 (the client is asked to come back later), not a redirect, a stream or a
body that is not JSON, and not an answer marked `Cache-Control: no-store` (it holds a secret, such
as a new API token, which must not be stored). When it is not kept the claim is released, and a
retry with the key does the work.

"The same body" means the same bytes, except that a JSON body is compared by its content (key order
and spacing do not matter) and a multipart body ignores its boundary, which clients pick at random.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, BinaryIO, cast

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.settings import api_settings

from core.exceptions import ApplicationError, Conflict, ErrorCode
from core.http import client_ip
from core.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_MAX_LENGTH = 255
# Printable ASCII, without spaces at either end (servers strip those from header values).
KEY_PATTERN = r"^[!-~](?:[ -~]{0,253}[!-~])?$"
WINDOW = timedelta(hours=24)
# Longer than any request may run (gunicorn stops a worker after 30 s): a claim this old without an
# answer was left by a process that died, and the next request with the key takes it over.
ABANDONED_AFTER = timedelta(minutes=5)
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_PREFIX = "/api/"
NOT_KEPT = frozenset({401, 429})
_CHUNK = 64 * 1024
_KEY_RE = re.compile(KEY_PATTERN)


@dataclass(frozen=True)
class Owner:
    """Whose keys a request's key is among: a signed-in user's, or an anonymous client address's."""

    user_id: int | None
    address: str = ""

    def rows(self) -> Q:
        if self.user_id is not None:
            return Q(user_id=self.user_id)
        return Q(user__isnull=True, client_address=self.address)


@dataclass(frozen=True)
class RequestIdentity:
    """What identifies a request for its key: method, path (with query) and the body's digest."""

    method: str
    path: str
    body_sha256: str


@dataclass(frozen=True)
class Claim:
    """The key's row, taken by this request: it does the work, then stores or releases the answer."""

    pk: int


def applies(request: HttpRequest) -> bool:
    """Return whether the request is an API write that carries an Idempotency-Key."""
    return (
        request.method in WRITE_METHODS
        and request.path_info.startswith(API_PREFIX)
        and "HTTP_IDEMPOTENCY_KEY" in request.META
    )


def key_of(request: HttpRequest) -> str:
    """Return the request's key, or refuse one that is empty, too long or not printable ASCII (400)."""
    key = str(request.META.get("HTTP_IDEMPOTENCY_KEY", "")).strip()
    if not _KEY_RE.match(key):
        raise ApplicationError(
            _("The Idempotency-Key header must be 1 to %(max)d printable ASCII characters, such as a UUID.")
            % {"max": KEY_MAX_LENGTH},
            code=ErrorCode.IDEMPOTENCY_KEY_INVALID,
            detail={"header": HEADER},
        )
    return key


def owner_of(request: HttpRequest) -> Owner | None:
    """Return whose key it is: the user the API authenticates the request as, else the client's address.

    None when the credentials are refused (a bad token, a session write without its CSRF token):
    the view refuses the request too, so there is nothing to claim.
    """
    wrapped = Request(request)
    for authentication_class in cast(list[type[BaseAuthentication]], api_settings.DEFAULT_AUTHENTICATION_CLASSES):
        try:
            found = authentication_class().authenticate(wrapped)
        except APIException:
            return None
        if found is not None:
            return Owner(user_id=found[0].pk)
    return Owner(user_id=None, address=client_ip(request))


def fingerprint(request: HttpRequest) -> RequestIdentity:
    """Return what identifies the request, reading its body so that the view can still read it."""
    return RequestIdentity(method=str(request.method), path=request.get_full_path(), body_sha256=_body_sha256(request))


def _boundary(request: HttpRequest) -> bytes | None:
    if request.content_type != "multipart/form-data":
        return None
    boundary = (request.content_params or {}).get("boundary", "")
    return boundary.encode("latin-1") if boundary else None


def _body_sha256(request: HttpRequest) -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    boundary = _boundary(request)
    if limit is None or length <= limit:
        body = request.body
        if boundary is not None:
            return hashlib.sha256(body.replace(b"--" + boundary, b"--")).hexdigest()
        return hashlib.sha256(_canonical_json(request, body)).hexdigest()
    # A large upload: spool it to a temporary file as Django's upload handlers would, hash it
    # there, and give the view that file as the request's unread stream.
    # Not a `with`: the request reads it after this returns, and closes it when it is collected.
    spooled = cast(BinaryIO, tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE))  # noqa: SIM115
    while chunk := request.read(_CHUNK):
        spooled.write(chunk)
    spooled.seek(0)
    digest = hashlib.sha256()
    # A multipart boundary always stands on a line of its own, so it is replaced line by line.
    for line in spooled:
        digest.update(line.replace(b"--" + boundary, b"--") if boundary is not None else line)
    spooled.seek(0)
    request._stream = spooled
    request._read_started = False  # type: ignore[attr-defined]
    return digest.hexdigest()


def _canonical_json(request: HttpRequest, body: bytes) -> bytes:
    content_type = request.content_type or ""
    if not body or not (content_type == "application/json" or content_type.endswith("+json")):
        return body
    try:
        parsed = json.loads(body)
    except ValueError:
        return body
    return json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def claim(*, owner: Owner, key: str, request: RequestIdentity, now: datetime | None = None) -> Claim | HttpResponse:
    """Take the key for this request, or return the stored answer of its first request.

    Raise Conflict when the key was used for another request, or its first request is still running.
    """
    now = now or timezone.now()
    # Two rounds: a row found stale (expired, or abandoned by a dead process) is deleted, and the
    # insert tried once more; losing that race too means another request has just taken the key.
    for _round in range(2):
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    user_id=owner.user_id,
                    client_address=owner.address,
                    key=key,
                    method=request.method,
                    path=request.path,
                    request_sha256=request.body_sha256,
                    created_at=now,
                )
            return Claim(pk=row.pk)
        except IntegrityError:
            pass
        first = IdempotencyKey.objects.filter(owner.rows(), key=key).first()
        if first is None:
            continue
        abandoned = first.response_status is None and first.created_at <= now - ABANDONED_AFTER
        if first.created_at <= now - WINDOW or abandoned:
            IdempotencyKey.objects.filter(pk=first.pk, created_at=first.created_at).delete()
            continue
        if (first.method, first.path, first.request_sha256) != (request.method, request.path, request.body_sha256):
            raise Conflict(
                _(
                    "This Idempotency-Key was used for another request (another method, path or body) "
                    "in the last 24 hours. Use a new key for a new request."
                ),
                code=ErrorCode.IDEMPOTENCY_KEY_REUSED,
                detail={"header": HEADER},
            )
        if first.response_status is None:
            break
        return replay(first)
    raise Conflict(
        _("The first request with this Idempotency-Key is still running. Try again in a moment."),
        code=ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS,
        detail={"header": HEADER},
    )


def replay(row: IdempotencyKey) -> HttpResponse:
    """Return the stored answer again, marked as a replay."""
    if row.response_body is None:
        response = HttpResponse(status=row.response_status or 200)
    else:
        # As DRF's JSONRenderer writes it: compact, and UTF-8 rather than escapes.
        content = json.dumps(row.response_body, ensure_ascii=False, separators=(",", ":"))
        response = HttpResponse(content, status=row.response_status or 200, content_type="application/json")
    response[REPLAYED_HEADER] = "true"
    return response


def _kept_answer(response: HttpResponse) -> tuple[int, Any] | None:
    """Return the (status, JSON body) to store, or None when a retry must do the work again."""
    status = response.status_code
    if not (200 <= status < 300 or 400 <= status < 500) or status in NOT_KEPT:
        return None
    if getattr(response, "streaming", False):
        return None
    cache_control = {part.strip().lower() for part in response.get("Cache-Control", "").split(",")}
    if "no-store" in cache_control:
        return None
    content = response.content
    if not content:
        return status, None
    if not response.get("Content-Type", "").startswith("application/json"):
        return None
    try:
        return status, json.loads(content)
    except ValueError:
        return None


def complete(claimed: Claim, response: HttpResponse) -> None:
    """Store the answer for the key's later requests, or release the key if it is not kept."""
    kept = _kept_answer(response)
    if kept is None:
        release(claimed)
        return
    status, body = kept
    IdempotencyKey.objects.filter(pk=claimed.pk).update(
        response_status=status, response_body=body, completed_at=timezone.now()
    )


def release(claimed: Claim) -> None:
    """Give the key up: the request failed, and a retry with the key may do the work."""
    IdempotencyKey.objects.filter(pk=claimed.pk, response_status__isnull=True).delete()


def error_response(error: ApplicationError) -> JsonResponse:
    """Answer a refusal in the API's error format (the middleware answers before any DRF view)."""
    body = {"code": error.code, "message": str(error.message), "detail": error.detail}
    return JsonResponse(body, status=error.status_code)


def purge(*, now: datetime | None = None) -> int:
    """Delete the keys older than the 24 hours they are kept; return how many."""
    cutoff = (now or timezone.now()) - WINDOW
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


HEADER_DESCRIPTION = gettext_lazy(
    "Optional. A key of your choosing (a UUID, say) that makes a retry of this write safe: for 24 hours "
    "the same key with the same method, path and body gets the first answer again, with "
    "`Idempotent-Replayed: true`, without the work being done twice. The same key with another "
    "request is a 409 `idempotency_key_reused`; while the first request runs, a 409 "
    "`idempotency_key_in_progress`. Server errors (5xx) are not kept, so such a request may be retried "
    "with the same key."
)

CONFLICT_DESCRIPTION = gettext_lazy(
    "The Idempotency-Key was used for another request, or its first request is still running: `code` says which."
)
BAD_KEY_DESCRIPTION = gettext_lazy("The Idempotency-Key header is not 1 to 255 printable ASCII characters.")


def document_idempotency(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: the Idempotency-Key header on every API write.

    Each write operation gets the optional header parameter, and the 409 (and 400) answers the key
    adds when the operation did not already declare them.
    """
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        if not path.startswith(API_PREFIX):
            continue
        for method, operation in operations.items():
            if method.upper() not in WRITE_METHODS:
                continue
            parameters = operation.setdefault("parameters", [])
            if not any(p.get("in") == "header" and p.get("name") == HEADER for p in parameters):
                parameters.append(
                    {
                        "in": "header",
                        "name": HEADER,
                        "required": False,
                        "schema": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": KEY_MAX_LENGTH,
                            "pattern": KEY_PATTERN,
                        },
                        "description": str(HEADER_DESCRIPTION),
                    }
                )
            responses = operation.setdefault("responses", {})
            responses.setdefault("409", {"content": error, "description": str(CONFLICT_DESCRIPTION)})
            responses.setdefault("400", {"content": error, "description": str(BAD_KEY_DESCRIPTION)})
    return result

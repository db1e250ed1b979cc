"""The one application error type. Users see its message; clients rely on its code."""

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.text import capfirst
from django.utils.translation import gettext as _


class ApplicationError(Exception):
    """A refusal the user should see: a stable machine code and a translated message."""

    status_code = 400

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        detail: dict[str, Any] | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.detail = detail or {}
        if status_code is not None:
            self.status_code = status_code


class NotAllowed(ApplicationError):
    status_code = 403

    def __init__(self, message: str, *, code: str = "forbidden", **kwargs: Any) -> None:
        super().__init__(message, code=code, **kwargs)


class Forbidden(NotAllowed, PermissionDenied):
    """Refused by the permission table (core.permissions): the actor may not do this to this object.

    Also Django's PermissionDenied, so a page that lets it through answers 403 with the site's own
    page instead of showing the refusal as a form error; the API answers 403 with its code.
    """


class Conflict(ApplicationError):
    """The request is well formed, but the object's state does not allow it (now)."""

    status_code = 409

    def __init__(self, message: str, *, code: str = "conflict", **kwargs: Any) -> None:
        super().__init__(message, code=code, **kwargs)


class ErrorCode(StrEnum):
    """The codes core's own refusals carry. Each app lists its codes in an enumeration like this one."""

    INVALID = "invalid"
    FORBIDDEN = "forbidden"
    # A refusal by the permission table that names no code of its own; the same code DRF gives.
    PERMISSION_DENIED = "permission_denied"
    CONFLICT = "conflict"
    BAD_TRANSITION = "bad_transition"
    OUT_OF_RANGE = "out_of_range"
    NOT_FOUND = "not_found"
    # Signing in and API tokens.
    BAD_CREDENTIALS = "bad_credentials"
    TOKEN_INVALID = "token_invalid"
    TOKEN_EXPIRED = "token_expired"
    TOKEN_REVOKED = "token_revoked"
    # Idempotent API writes (core.idempotency).
    IDEMPOTENCY_KEY_INVALID = "idempotency_key_invalid"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    IDEMPOTENCY_KEY_IN_PROGRESS = "idempotency_key_in_progress"


class BadTransition(Conflict):
    """A status move the object's transition table does not allow from its current status."""

    def __init__(self, *, what: Any, from_status: str, to_status: str, from_label: Any, to_label: Any) -> None:
        super().__init__(
            _("%(what)s cannot move from “%(from)s” to “%(to)s”.")
            % {"what": capfirst(str(what)), "from": from_label, "to": to_label},
            code=ErrorCode.BAD_TRANSITION,
            detail={"from": from_status, "to": to_status},
        )

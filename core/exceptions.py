"""The one application error type. Users see its message; clients rely on its code."""

from typing import Any


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


class Conflict(ApplicationError):
    """The request is well formed, but the object's state does not allow it (now)."""

    status_code = 409

    def __init__(self, message: str, *, code: str = "conflict", **kwargs: Any) -> None:
        super().__init__(message, code=code, **kwargs)

"""The API's one error format: {"code", "message", "detail"}, its exception handler and schema class."""

import logging
from collections.abc import Callable
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.utils import Direction, OpenApiResponse
from rest_framework import exceptions, permissions, serializers, throttling
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from core.api.throttling import WriteRateThrottle
from core.exceptions import ApplicationError

logger = logging.getLogger(__name__)

# Where the API lives (coop_platform/urls.py mounts it here); errors under it are JSON.
API_PATH_PREFIX = "/api/"


class ErrorSerializer(serializers.Serializer[Any]):
    """The body of every error response."""

    code = serializers.CharField()
    message = serializers.CharField()
    detail = serializers.JSONField()


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        body = {"code": exc.code, "message": str(exc.message), "detail": exc.detail}
        return Response(body, status=exc.status_code)
    if isinstance(exc, DataError | OverflowError):
        return _out_of_range(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {
            "code": "invalid",
            "message": _("The input is not valid: see detail for each field."),
            "detail": detail,
        }
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        response.data = {
            "code": codes if isinstance(codes, str) else exc.default_code,
            "message": str(exc.detail) if not isinstance(exc.detail, dict | list) else str(exc.default_detail),
            "detail": {},
        }
    return response


def _out_of_range(exc: Exception) -> Response:
    """Answer a value the database cannot hold as bad input rather than a 500.

    The input serializers bound every number (core.api.fields), so this is a safety net for a
    value they missed. Services write inside `transaction.atomic`, which has rolled back by the
    time the error reaches here; `set_rollback` covers a request-wide transaction too. Logged as
    a warning: it means a serializer lacks a bound.
    """
    logger.warning("API input out of range for the database: %s", exc, exc_info=exc)
    set_rollback()
    body = {
        "code": "out_of_range",
        "message": _("A value in the request is too large to store. Nothing was changed."),
        "detail": {},
    }
    return Response(body, status=400)


def api_aware(
    html_view: Callable[..., HttpResponse], *, error: type[exceptions.APIException], code: str = ""
) -> Callable[..., HttpResponse]:
    """Return an error view that answers in the API's JSON format under /api/, else with `html_view`.

    Django's error handlers (handler404 and friends) serve errors raised outside a DRF view: an
    URL that matches nothing, such as /api/jobs/abc/, or a crash in middleware. A client of the
    API must not get an HTML page for those. Status, code and message are the DRF exception's
    own (the message already translated), so they match the same error raised inside a view.
    """

    def view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        if request.path_info.startswith(API_PATH_PREFIX):
            body = {"code": code or error.default_code, "message": str(error.default_detail), "detail": {}}
            return JsonResponse(body, status=error.status_code)
        return html_view(request) if exception is None else html_view(request, exception)

    view.__name__ = view.__qualname__ = f"api_aware_{getattr(html_view, '__name__', 'view')}"
    return view


# What each error status means, as the schema tells it (the body is always ErrorSerializer).
ERROR_DESCRIPTIONS: dict[int, str | Promise] = {
    400: gettext_lazy("The input is not valid: `code` says why and `detail` names each field's problem."),
    401: gettext_lazy("Not signed in, or the token is not valid (expired or revoked)."),
    403: gettext_lazy("Not allowed to do this."),
    404: gettext_lazy("There is nothing by that id that you may see (or no such page of a list)."),
    409: gettext_lazy(
        "Refused as a conflict, and nothing was changed: the object is not in a state that allows this, or the "
        "`Idempotency-Key` was already used for another request. `code` says which."
    ),
    415: gettext_lazy("The body is not in a content type this operation reads."),
    429: gettext_lazy("Too many requests: wait the number of seconds in `Retry-After` and try again."),
    502: gettext_lazy(
        "A service this operation relies on (such as the payment provider) did not answer: try again later."
    ),
}
# When DRF answers a missing or invalid credential with 403 (see AutoSchema.error_responses).
FORBIDDEN_OR_SIGNED_OUT = gettext_lazy("Not signed in (or the token is not valid), or not allowed to do this.")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
# The paginator's own query parameters: a bad value is a 404 (no such page) or ignored, never a 400.
PAGINATION_PARAMETERS = frozenset({"page", "page_size"})


class AutoSchema(BaseAutoSchema):
    """The project's schema inspector: serializer names per view, and every error an operation can answer.

    Views declare their success responses (and any error peculiar to them, such as the 404 of
    "you are not a member" or Stripe's 502); the errors every operation of a kind can answer are
    added here, from what DRF and the project's settings do with the view, so that no view can
    forget one:

    - 400 for an operation that takes input: every write (a body, or a malformed one; an invalid
      `Idempotency-Key`), and a read with query parameters other than the page;
    - 401 or 403 for missing or invalid credentials: DRF answers 401 only when the view's first
      authentication class names a `WWW-Authenticate` scheme (session authentication does not,
      so with it first the answer is 403);
    - 403 where a permission can refuse, and for a write under session authentication (CSRF);
    - 404 for a path with ids, and for a paginated list (a page past the end);
    - 409 for every write: a state that does not allow it, or an `Idempotency-Key` reused;
    - 415 for an operation with a body;
    - 429 where a throttle applies (every write, and the token endpoint's own scope).
    """

    def get_serializer_name(self, serializer: serializers.Serializer[Any], direction: Direction) -> str:
        cls = serializer if isinstance(serializer, type) else type(serializer)
        parts = cls.__qualname__.split(".")
        if len(parts) > 1 and "<locals>" not in parts:
            outer = parts[-2].removesuffix("Api").removesuffix("View")
            return f"{outer}{parts[-1]}"
        return super().get_serializer_name(serializer, direction)

    def is_write(self) -> bool:
        """Return whether the operation changes something (and so may carry an `Idempotency-Key`)."""
        return self.method in UNSAFE_METHODS

    def error_responses(self) -> dict[int, str | Promise]:
        """Return the error statuses DRF and the project's settings can answer this operation with."""
        view = self.view
        authenticators = view.get_authenticators()
        public = {type(p) for p in view.get_permissions()} <= {permissions.AllowAny}
        responses: dict[int, str | Promise] = {}
        if self.is_write() or self._query_parameter_names() - PAGINATION_PARAMETERS:
            responses[400] = ERROR_DESCRIPTIONS[400]
        signed_out = 403
        if authenticators and view.get_authenticate_header(view.request):
            signed_out = 401
            responses[401] = ERROR_DESCRIPTIONS[401]
        csrf_checked = self.is_write() and any(isinstance(a, SessionAuthentication) for a in authenticators)
        if not public or csrf_checked:
            responses[403] = ERROR_DESCRIPTIONS[403]
        if authenticators and signed_out == 403:
            responses[403] = FORBIDDEN_OR_SIGNED_OUT
        if "{" in self.path or (self._is_list_view() and getattr(view, "pagination_class", None) is not None):
            responses[404] = ERROR_DESCRIPTIONS[404]
        if self.is_write():
            responses[409] = ERROR_DESCRIPTIONS[409]
        if self.method in BODY_METHODS and self.get_request_serializer() is not None:
            responses[415] = ERROR_DESCRIPTIONS[415]
        if self._throttled():
            responses[429] = ERROR_DESCRIPTIONS[429]
        return responses

    def _query_parameter_names(self) -> set[str]:
        return {p["name"] for p in self._get_parameters() if p.get("in") == "query"}

    def _throttled(self) -> bool:
        for throttle in self.view.get_throttles():
            if isinstance(throttle, throttling.ScopedRateThrottle):
                if getattr(self.view, "throttle_scope", None):
                    return True
            elif isinstance(throttle, WriteRateThrottle):
                if self.method in UNSAFE_METHODS:
                    return True
            else:
                return True
        return False

    def _get_response_bodies(self, direction: Direction = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        defaults = self.error_responses()
        for status, description in defaults.items():
            code = str(status)
            if code not in responses:
                body = OpenApiResponse(response=ErrorSerializer, description=str(description))
                # drf-spectacular's own rendering of a response (media types, components), untyped there.
                render = cast(Callable[..., dict[str, Any]], self._get_response_for_code)
                responses[code] = render(body, code, direction=direction)
        # A view's own error responses (`403: ErrorSerializer`) get the same descriptions.
        for code, response in responses.items():
            known = defaults.get(int(code)) or ERROR_DESCRIPTIONS.get(int(code))
            if not response.get("description") and code.startswith(("4", "5")) and known:
                response["description"] = str(known)
        if "429" in responses:
            responses["429"].setdefault("headers", {})["Retry-After"] = {
                "schema": {"type": "integer"},
                "description": str(gettext_lazy("Seconds to wait before the next try.")),
            }
        return dict(sorted(responses.items()))

"""The API's one error format: {"code", "message", "detail"}, its exception handler and schema class."""

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.utils import Direction
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

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


class AutoSchema(BaseAutoSchema):
    """Name nested serializers after their view (MeApi.OutputSerializer -> "MeOutput").

    Every API view keeps its own small Input/Output serializers (HackSoft style); without this
    their schema components would all be called "Input" and "Output" and collide.
    """

    def get_serializer_name(self, serializer: serializers.Serializer[Any], direction: Direction) -> str:
        cls = serializer if isinstance(serializer, type) else type(serializer)
        parts = cls.__qualname__.split(".")
        if len(parts) > 1 and "<locals>" not in parts:
            outer = parts[-2].removesuffix("Api").removesuffix("View")
            return f"{outer}{parts[-1]}"
        return super().get_serializer_name(serializer, direction)

"""The API's one error format: {"code", "message", "detail"}."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import ApplicationError


class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    code = serializers.CharField()
    message = serializers.CharField()
    detail = serializers.JSONField()


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        body = {"code": exc.code, "message": str(exc.message), "detail": exc.detail}
        return Response(body, status=exc.status_code)
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

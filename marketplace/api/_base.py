"""A small builder for the API's write endpoints: one APIView per operation, each documented."""

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ErrorSerializer

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


class EmptyInput(serializers.Serializer):
    pass


def action_api(
    name: str,
    *,
    run: Callable[[Request, dict[str, Any], dict[str, Any]], Any],
    output: type[serializers.BaseSerializer] | None,
    summary: str,
    tag: str,
    input: type[serializers.Serializer] = EmptyInput,
    permissions: tuple[type[BasePermission], ...] = (IsAuthenticated,),
    created: bool = False,
    multipart: bool = False,
) -> type[APIView]:
    """Return an APIView class whose POST validates `input`, calls `run` and returns `output`.

    `run(request, validated_data, url_kwargs)` calls exactly one service; refusals are the
    service's ApplicationErrors, shaped by the project's exception handler.
    """
    code = status.HTTP_201_CREATED if created else status.HTTP_200_OK

    def post(self: APIView, request: Request, **kwargs: Any) -> Response:
        serializer = input(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = run(request, serializer.validated_data, kwargs)
        if output is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(output(result).data, status=code)

    responses: dict[int, Any] = {**ERRORS, code if output is not None else 204: output}
    post = extend_schema(request=input, responses=responses, summary=summary, tags=[tag], operation_id=name)(post)
    parsers = [MultiPartParser, FormParser] if multipart else [JSONParser, FormParser, MultiPartParser]
    return type(
        name,
        (APIView,),
        {"post": post, "permission_classes": list(permissions), "parser_classes": parsers, "__doc__": summary},
    )

"""What the marketplace API's write endpoints share: who may call them, the bodies they read, their errors."""

from typing import Any

from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from core.api.errors import ErrorSerializer
from core.permissions import HasVerifiedEmail
from membership.models import User

# The refusals any write may answer with, all in the project's one error format.
ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}

# Posting a job and proposing on one need a confirmed email address, as the pages do.
VERIFIED: list[type[BasePermission]] = [IsAuthenticated, HasVerifiedEmail]


class SignedInRequest(Request):
    """The request of an operation behind IsAuthenticated: a signed-in user."""

    user: User


class NoInput(serializers.Serializer):
    pass


class WriteApi(APIView):
    """Take a JSON, form or multipart body from a signed-in user and run one service on it.

    A view that reads nothing from the body keeps `NoInput`, so a body that is not an object
    is still refused with a 400 rather than ignored.
    """

    permission_classes: list[type[BasePermission]] = [IsAuthenticated]
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    InputSerializer: type[serializers.Serializer] = NoInput

    def validate_input(self, request: Request) -> dict[str, Any]:
        """Return the body as checked by the view's `InputSerializer`; raise its 400 when it is not valid."""
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class UploadApi(WriteApi):
    """Take a multipart or form body only: the operation's point is the files it carries."""

    parser_classes = [MultiPartParser, FormParser]

from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authentication import BaseAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import limits
from core.api.errors import ErrorSerializer
from core.dashboard import roles_for
from core.exceptions import ApplicationError, ErrorCode
from core.permissions import signed_in_user

TAGS = ["auth"]


class MeApi(APIView):
    """The signed-in user's account and roles."""

    class OutputSerializer(serializers.Serializer[Any]):
        id = serializers.IntegerField()
        email = serializers.EmailField()
        display_name = serializers.CharField()
        email_verified = serializers.BooleanField()
        roles = serializers.ListField(child=serializers.CharField())
        preferred_language = serializers.CharField()

    @extend_schema(responses={200: OutputSerializer, 403: ErrorSerializer})
    def get(self, request: Request) -> Response:
        from allauth.account.models import EmailAddress

        user = signed_in_user(request)
        data = {
            "id": user.pk,
            "email": user.email,
            "display_name": user.display_name,
            "email_verified": EmailAddress.objects.filter(user=user, verified=True).exists(),
            "roles": sorted(roles_for(user)),
            "preferred_language": user.preferred_language,
        }
        return Response(self.OutputSerializer(data).data)


BAD_CREDENTIALS_MESSAGE = gettext_lazy("The email address, password or two-factor code is not correct.")


def _second_factor_passes(request: Request, user: AbstractBaseUser, code: str) -> bool:
    """Return whether the user needs no second factor, or `code` is a valid TOTP or recovery code.

    A code typed counts against the account's two-factor back-off; one refused by the back-off
    fails like a wrong code, so that the answer never tells that the password was right.
    """
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    authenticators = {a.type: a for a in Authenticator.objects.filter(user=user)}
    totp = authenticators.get(Authenticator.Type.TOTP)
    if totp is None:
        return True
    if not code:
        return False
    try:
        attempt = limits.second_factor_attempt(request, user_id=user.pk)
    except limits.TooManyAttempts:
        return False
    recovery = authenticators.get(Authenticator.Type.RECOVERY_CODES)
    if TOTP(totp).validate_code(code) or (recovery is not None and RecoveryCodes(recovery).validate_code(code)):
        attempt.succeeded()
        return True
    attempt.failed()
    return False


def too_many_attempts(refused: limits.TooManyAttempts) -> exceptions.Throttled:
    """Return the API's 429 for a login back-off: code "throttled", the wait in words and in Retry-After."""
    # Throttled(wait=...) would append DRF's own "Expected available in ..." to the message;
    # the wait is set afterwards so that only the exception handler's Retry-After carries it.
    error = exceptions.Throttled(detail=refused.message)
    error.wait = refused.retry_after  # type: ignore[attr-defined]
    return error


class TokenObtainApi(APIView):
    """Exchange email and password (and the two-factor code, when it is on) for an API token.

    Send it as `Authorization: Token <key>`. A wrong email address, password or code all get the
    same answer (`bad_credentials`), so the answer never confirms a password. Failed attempts slow
    down, per account and per client address: past a few, the next must wait (`429` with
    `Retry-After`), and each further failure doubles the wait.
    """

    permission_classes = [AllowAny]
    authentication_classes: list[type[BaseAuthentication]] = []
    throttle_scope = "login"

    class InputSerializer(serializers.Serializer[Any]):
        email = serializers.EmailField()
        password = serializers.CharField(trim_whitespace=False, max_length=4096)
        code = serializers.CharField(
            required=False,
            max_length=64,
            help_text="The current code from the authenticator app (or a recovery code), when two-factor is on.",
        )

    class OutputSerializer(serializers.Serializer[Any]):
        token = serializers.CharField()

    @extend_schema(
        tags=TAGS,
        request=InputSerializer,
        responses={200: OutputSerializer, 400: ErrorSerializer, 429: ErrorSerializer},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            attempt = limits.login_attempt(request, email=data["email"])
        except limits.TooManyAttempts as refused:
            raise too_many_attempts(refused) from None
        user = authenticate(request._request, email=data["email"], password=data["password"])
        if user is None or not _second_factor_passes(request, user, data.get("code", "")):
            attempt.failed()
            raise ApplicationError(str(BAD_CREDENTIALS_MESSAGE), code=ErrorCode.BAD_CREDENTIALS)
        attempt.succeeded()
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

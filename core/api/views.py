from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import limits, tokens
from core.api.errors import ErrorSerializer
from core.api.fields import BoundedIntegerField
from core.dashboard import roles_for
from core.exceptions import ApplicationError, ErrorCode
from core.models import ApiToken
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


class TokenOutput(serializers.ModelSerializer[ApiToken]):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "created_at", "last_used_at", "expires_at"]


class TokenObtainApi(APIView):
    """Exchange email and password (and the two-factor code, when it is on) for a new API token.

    Each call makes a new token, named for the device or script that uses it and valid for
    `expires_in_days` (90 unless asked otherwise, at most 365); send it as `Authorization: Token <key>`.
    The key is in this answer only: it is stored hashed and cannot be shown again. A wrong email
    address, password or code all get the same answer (`bad_credentials`). Failed attempts slow
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
        name = serializers.CharField(
            required=False,
            max_length=tokens.NAME_MAX_LENGTH,
            help_text="What uses the token, such as “Laptop script”; shown on your tokens page.",
        )
        expires_in_days = BoundedIntegerField(
            required=False, min_value=1, max_value=tokens.MAX_DAYS, default=tokens.DEFAULT_DAYS
        )

    class OutputSerializer(TokenOutput):
        token = serializers.SerializerMethodField(help_text="The key. Shown only in this answer.")

        class Meta(TokenOutput.Meta):
            fields = ["token", *TokenOutput.Meta.fields]

        def get_token(self, token: ApiToken) -> str:
            return str(self.context["key"])

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
        made = tokens.token_create(
            user=user,
            name=data.get("name") or str(gettext_lazy("API token")),
            expires_in_days=data["expires_in_days"],
        )
        response = Response(self.OutputSerializer(made.token, context={"key": made.key}).data)
        # The key is a secret: no cache may keep the answer (RFC 6749 5.1), nor the Idempotency-Key
        # store, which keeps no answer marked no-store (a retry makes another token).
        response["Cache-Control"] = "no-store"
        return response


@extend_schema(tags=TAGS, summary="Your API tokens that are not revoked, newest first (expired ones too).")
class TokenListApi(generics.ListAPIView[ApiToken]):
    permission_classes = [IsAuthenticated]
    serializer_class = TokenOutput
    queryset = ApiToken.objects.none()

    def get_queryset(self) -> QuerySet[ApiToken]:
        return tokens.tokens_for(user=self.request.user)


class TokenRevokeApi(APIView):
    """Revoke one of your API tokens: it stops working at once."""

    permission_classes = [IsAuthenticated]

    class OutputSerializer(TokenOutput):
        class Meta(TokenOutput.Meta):
            fields = [*TokenOutput.Meta.fields, "revoked_at"]

    @extend_schema(
        tags=TAGS,
        summary="Revoke an API token.",
        request=None,
        responses={200: OutputSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
    )
    def post(self, request: Request, token_id: int) -> Response:
        token = tokens.token_revoke(user=signed_in_user(request), token_id=token_id)
        return Response(self.OutputSerializer(token).data)

from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authentication import BaseAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ErrorSerializer
from core.dashboard import roles_for
from core.exceptions import ApplicationError
from core.permissions import signed_in_user


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


def _check_second_factor(user: AbstractBaseUser, code: str) -> None:
    """Refuse a token to a user with two-factor on unless a valid TOTP or recovery code is given."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    authenticators = {a.type: a for a in Authenticator.objects.filter(user=user)}
    totp = authenticators.get(Authenticator.Type.TOTP)
    if totp is None:
        return
    if not code:
        raise ApplicationError(_("Enter the code from your authenticator app."), code="mfa_required")
    if TOTP(totp).validate_code(code):
        return
    recovery = authenticators.get(Authenticator.Type.RECOVERY_CODES)
    if recovery is not None and RecoveryCodes(recovery).validate_code(code):
        return
    raise ApplicationError(_("That two-factor code is not correct."), code="mfa_invalid")


class TokenObtainApi(APIView):
    """Exchange email and password for an API token (send it as `Authorization: Token …`)."""

    permission_classes = [AllowAny]
    authentication_classes: list[type[BaseAuthentication]] = []
    throttle_scope = "login"

    class InputSerializer(serializers.Serializer[Any]):
        email = serializers.EmailField()
        password = serializers.CharField(trim_whitespace=False)
        code = serializers.CharField(
            required=False, help_text="The current code from the authenticator app, when two-factor is on."
        )

    class OutputSerializer(serializers.Serializer[Any]):
        token = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer, 400: ErrorSerializer}, auth=[])
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            email=serializer.validated_data["email"],
            password=serializer.validated_data["password"],
        )
        if user is None:
            raise ApplicationError(_("The email address or password is not correct."), code="bad_credentials")
        _check_second_factor(user, serializer.validated_data.get("code", ""))
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

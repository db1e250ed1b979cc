"""Token authentication for the API: `Authorization: Token <key>`, looked up by the key's hash."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from core.exceptions import ErrorCode
from core.tokens import token_for_key, token_touch

KEYWORD = "Token"


class TokenAuthentication(BaseAuthentication):
    """Authenticate a request by an API token that is neither expired nor revoked, of an active user."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as “Authorization: Token <key>”, with nothing else in the header."),
                code=ErrorCode.TOKEN_INVALID,
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            key = ""
        token = token_for_key(key) if key else None
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token is not valid."), code=ErrorCode.TOKEN_INVALID)
        at = timezone.now()
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(
                _("The token was revoked. Make a new one on your account's API tokens page."),
                code=ErrorCode.TOKEN_REVOKED,
            )
        if token.expires_at <= at:
            raise exceptions.AuthenticationFailed(
                _("The token has expired. Make a new one on your account's API tokens page."),
                code=ErrorCode.TOKEN_EXPIRED,
            )
        token_touch(token, at=at)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD

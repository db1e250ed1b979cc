"""allauth wired to the kernel: the client address from core.http and the login limits of core.limits.

Settings name these classes (ACCOUNT_ADAPTER, ACCOUNT_FORMS, MFA_FORMS). allauth's own hard
"login_failed" limit is off (ACCOUNT_RATE_LIMITS), since it locked an account for everyone;
the back-off here replaces it on the login page, in reauthentication, at the two-factor step and
for password reset requests.
"""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import ResetPasswordForm
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from core import limits
from core.http import client_ip


# allauth has no type hints: its classes are Any to mypy, hence the ignores on the subclasses.
class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    _attempt: limits.Attempt | None = None

    def get_client_ip(self, request: HttpRequest) -> str:
        return client_ip(request)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        email = credentials.get("email") or credentials.get("username") or ""
        try:
            self._attempt = limits.login_attempt(request, email=str(email))
        except limits.TooManyAttempts as refused:
            raise ValidationError(refused.message, code="too_many_login_attempts") from None

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        self._attempt = None
        user: AbstractBaseUser | None = super().authenticate(request, **credentials)
        if self._attempt is not None:
            if user is not None:
                self._attempt.succeeded()
            else:
                self._attempt.failed()
        return user


class LimitedResetPasswordForm(ResetPasswordForm):  # type: ignore[misc]
    """Ask for a reset email; each request counts per address typed and per client address."""

    def clean_email(self) -> str:
        email: str = super().clean_email()
        try:
            limits.password_reset_request(context.request, email=email)
        except limits.TooManyAttempts as refused:
            raise ValidationError(refused.message, code="too_many_attempts") from None
        return email


class _SecondFactorLimit:
    """Count each code typed at the two-factor step against the account and the client address."""

    user: AbstractBaseUser

    def clean_code(self) -> str:
        try:
            attempt = limits.second_factor_attempt(context.request, user_id=self.user.pk)
        except limits.TooManyAttempts as refused:
            raise ValidationError(refused.message, code="too_many_login_attempts") from None
        try:
            code: str = super().clean_code()  # type: ignore[misc]
        except ValidationError:
            attempt.failed()
            raise
        attempt.succeeded()
        return code


class LimitedAuthenticateForm(_SecondFactorLimit, AuthenticateForm):  # type: ignore[misc]
    pass


class LimitedReauthenticateForm(_SecondFactorLimit, ReauthenticateForm):  # type: ignore[misc]
    pass

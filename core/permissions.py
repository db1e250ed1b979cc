"""Who may do what, shared by pages and the API."""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

if TYPE_CHECKING:
    # django-stubs' name for the AUTH_USER_MODEL (its mypy plugin expands it to membership's User),
    # so core is typed against the real user model without importing an app. Stubs only: no
    # such name exists at run time.
    from django.contrib.auth.models import _User


def signed_in_user(request: HttpRequest | Request) -> "_User":
    """Return the request's signed-in user; refuse an anonymous one.

    For views that already require a signed-in user (IsAuthenticated, login_required): it narrows
    `request.user` to the user model, and refuses rather than carries on should that guard be lost.
    """
    user = request.user
    if not isinstance(user, AbstractBaseUser):
        raise PermissionDenied
    return user


def has_verified_email(user: Any) -> bool:
    """Return whether the user confirmed their primary email address (cached per user object)."""
    from allauth.account.models import EmailAddress

    if not user.is_authenticated:
        return False
    cached = getattr(user, "_coop_email_verified", None)
    if cached is None:
        cached = EmailAddress.objects.filter(user_id=user.pk, email__iexact=user.email, verified=True).exists()
        user._coop_email_verified = cached
    return bool(cached)


def verified_email_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let only users with a verified email through: posting, proposing and voting need one."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_verified_email(request.user):
            messages.warning(request, _("Please verify your email address first. We sent you a link."))
            return redirect("account_email")
        return view(request, *args, **kwargs)

    return wrapper


class HasVerifiedEmail(BasePermission):
    message = gettext_lazy("Verify your email address before doing this.")
    code = "email_not_verified"

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and has_verified_email(request.user))

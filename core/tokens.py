"""API tokens: made per device with a name and an expiry, stored hashed, revoked by their owner or a password change.

A token's key is 32 random bytes (URL-safe base64); the database keeps only its SHA-256, so a
copy of the database gives nobody a usable key. The key is returned once, by `token_create`.
Every token of a person is revoked when their password is changed, reset or set, wherever that
happens: allauth's pages, the admin's password form or `manage.py changepassword` (a save of the
user after set_password(); hash upgrades at login do not count). The receivers are connected in
core's ready(). Tokens are deleted with their account (core.privacy).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, ErrorCode
from core.models import ApiToken
from core.services import audit_log

if TYPE_CHECKING:
    from django.contrib.auth.models import _User

DEFAULT_DAYS = 90
MAX_DAYS = 365
NAME_MAX_LENGTH = 100
# last_used_at is a hint for the person, not an audit trail: write it at most once a minute, so
# a script polling the API does not turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    """A token just made, with its key: the only moment the key is known."""

    token: ApiToken
    key: str


def _checked_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ApplicationError(_("Give the token a name, such as the device or script that uses it."))
    if len(name) > NAME_MAX_LENGTH:
        raise ApplicationError(
            _("A token's name can be at most %(max)d characters.") % {"max": NAME_MAX_LENGTH},
        )
    return name


def _checked_days(days: int) -> int:
    if not 1 <= days <= MAX_DAYS:
        raise ApplicationError(
            _("A token can be valid for 1 to %(max)d days.") % {"max": MAX_DAYS}, code=ErrorCode.OUT_OF_RANGE
        )
    return days


@transaction.atomic
def token_create(*, user: _User, name: str, expires_in_days: int = DEFAULT_DAYS) -> NewToken:
    """Make a token for the user and return it with its key, which is never shown again."""
    name = _checked_name(name)
    days = _checked_days(expires_in_days)
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=hash_key(key), expires_at=timezone.now() + timedelta(days=days)
    )
    audit_log(actor=user, subject=user, action="core.api_token_created", target=token, data={"name": name})
    return NewToken(token=token, key=key)


@transaction.atomic
def token_revoke(*, user: _User, token_id: int) -> ApiToken:
    """Revoke one of the user's tokens; someone else's token is as unknown as a missing one."""
    token = ApiToken.objects.select_for_update().filter(user=user, pk=token_id).first()
    if token is None:
        raise ApplicationError(_("There is no such token."), code=ErrorCode.NOT_FOUND, status_code=404)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(actor=user, subject=user, action="core.api_token_revoked", target=token, data={"name": token.name})
    return token


@transaction.atomic
def tokens_revoke_all(*, user: Any, reason: str) -> int:
    """Revoke every token of the user that is still valid; return how many."""
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if revoked:
        audit_log(actor=None, subject=user, action="core.api_tokens_revoked", data={"reason": reason, "count": revoked})
    return revoked


def tokens_for(*, user: Any) -> QuerySet[ApiToken]:
    """Return the person's tokens that are not revoked, newest first (expired ones too, marked so)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at", "-id")


def token_for_key(key: str) -> ApiToken | None:
    """Return the token with this key and its user, whatever its state, or None."""
    return ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()


def token_touch(token: ApiToken, *, at: datetime) -> None:
    """Note that the token was used at `at`, at most once per LAST_USED_RESOLUTION."""
    if token.last_used_at is not None and at - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=at)
    token.last_used_at = at


def _revoke_on(reason: str) -> Any:
    def receiver(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
        if user is not None:
            tokens_revoke_all(user=user, reason=reason)

    receiver.__name__ = f"revoke_tokens_on_{reason}"
    return receiver


_RECEIVERS = {reason: _revoke_on(reason) for reason in ("password_changed", "password_reset", "password_set")}


def _revoke_on_password_saved(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    """Revoke the tokens when a user is saved with a new password (set_password(), then save()).

    Django keeps the new raw password on the instance until save() has run the password validators'
    `password_changed`, and clears it for a hash upgrade at login, so only a real change counts.
    """
    if not created and getattr(instance, "_password", None) is not None:
        tokens_revoke_all(user=instance, reason="password_saved")


def connect_signals() -> None:
    """Revoke a person's tokens whenever their password changes (called from core's ready())."""
    from allauth.account import signals
    from django.conf import settings
    from django.db.models.signals import post_save

    for reason, receiver in _RECEIVERS.items():
        getattr(signals, reason).connect(receiver, dispatch_uid=f"core.tokens.{reason}")
    post_save.connect(_revoke_on_password_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="core.tokens.saved")

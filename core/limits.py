"""Limits on guessing: exponential back-off per account and per client address, counted in the cache.

Every way in (the login page, the token API, the two-factor step, a password reset request)
counts its failures under two keys: the account (the email address as typed, normalised, whether
or not such an account exists, so the answers say nothing about that) and the client address
(core.http.client_ip: X-Forwarded-For only from a trusted proxy). A key allows a number of free
failures; from then on each attempt must wait, and every further failure doubles the wait up to a
cap. There is no lock: the owner who waits out the back-off gets in with the right password, from
any address, and a success clears the account's count. An attempt refused while it must wait is
not counted, so hammering does not lengthen the wait beyond the cap.

The per-address limit is generous (an office behind one address is not blocked by a few people
mistyping); the per-account one slows guessing a password to a few tries an hour at the cap.

The cache is a best effort: if it fails, the attempt is allowed and a warning logged, so that
logging in never breaks because the cache is down (another layer falls back to the database).
`now` is the limiter's clock; tests freeze it instead of sleeping.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.request import Request

from core.http import client_ip

logger = logging.getLogger(__name__)

ACCOUNT = "account"
ADDRESS = "address"


def now() -> float:
    """Return the limiter's time in seconds (tests replace this to move time without sleeping)."""
    return time.time()


@dataclass(frozen=True)
class Backoff:
    """How one kind of key is limited: `free` failures, then waits of `first_wait` seconds doubling to `max_wait`.

    A key's failures are forgotten `forget_after` seconds after its last one.
    """

    name: str
    free: int
    first_wait: int
    max_wait: int
    forget_after: int

    def wait_after(self, failures: int) -> int:
        """Return how long the next attempt must wait after this many failures (0: none)."""
        if failures < self.free:
            return 0
        doublings = min(failures - self.free, 32)
        return min(self.max_wait, self.first_wait << doublings)


# Guessing a password (page login, token API): the account key and the address key.
LOGIN_ACCOUNT = Backoff("login-account", free=5, first_wait=30, max_wait=15 * 60, forget_after=24 * 60 * 60)
LOGIN_ADDRESS = Backoff("login-address", free=50, first_wait=2, max_wait=5 * 60, forget_after=60 * 60)
# Guessing a two-factor code, once the password was right; failures from an address count with its logins.
MFA_ACCOUNT = Backoff("mfa-account", free=5, first_wait=30, max_wait=15 * 60, forget_after=24 * 60 * 60)
# Asking for password reset emails: each request counts (it sends an email), so few per address to mail.
RESET_ACCOUNT = Backoff("reset-account", free=3, first_wait=60, max_wait=60 * 60, forget_after=24 * 60 * 60)
RESET_ADDRESS = Backoff("reset-address", free=20, first_wait=10, max_wait=10 * 60, forget_after=60 * 60)


class TooManyAttempts(Exception):
    """An attempt came before its back-off ended; `retry_after` is the number of seconds left."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = max(1, retry_after)

    @property
    def message(self) -> str:
        """Return the refusal in the active language, with the wait rounded up to what people read."""
        seconds = self.retry_after
        if seconds < 60:
            wait = ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
        else:
            minutes = math.ceil(seconds / 60)
            wait = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        return _("Too many failed attempts. Wait %(wait)s and try again.") % {"wait": wait}


def normalise_email(email: str) -> str:
    return email.strip().lower()


def address_key(request: HttpRequest | Request) -> str:
    """Return the client address as a limit key: an IPv6 client owns a whole /64, so that is the key."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False).network_address)
    return address


def _safely(what: str, call: Callable[..., object], *args: Any) -> None:
    try:
        call(*args)
    except Exception as exc:  # any cache failure: allow, and say so
        logger.warning("Login limits skipped: the cache failed to %s (%s: %s)", what, type(exc).__name__, exc)


@dataclass
class _Key:
    backoff: Backoff
    ident: str
    # "account" or "address". A success wipes an account's failures, but only takes back its own
    # attempt from an address: an attacker's own good logins must not reset what the address guessed.
    kind: str
    gate_claimed: float | None = None

    @property
    def base(self) -> str:
        digest = hashlib.sha256(self.ident.encode()).hexdigest()[:40]
        return f"limits:{self.backoff.name}:{digest}"

    @property
    def count_key(self) -> str:
        return f"{self.base}:n"

    @property
    def gate_key(self) -> str:
        return f"{self.base}:until"


@dataclass
class Attempt:
    """An attempt let through: tell it how it ended with `succeeded()` or `failed()`."""

    keys: list[_Key] = field(default_factory=list)
    done: bool = False

    def succeeded(self) -> None:
        if self.done:
            return
        self.done = True
        for key in self.keys:
            if key.kind == ACCOUNT:
                _safely("clear a limit", cache.delete_many, [key.count_key, key.gate_key])
            else:
                _safely("take back an attempt", _take_back, key)

    def failed(self) -> None:
        # The failure was counted when the attempt began, so that parallel guesses cannot slip
        # past the count; nothing is left to do but log once the back-off has begun.
        if self.done:
            return
        self.done = True
        for key in self.keys:
            if key.gate_claimed is not None:
                # The address is what an operator acts on; an account is named only by its key's hash.
                who = key.ident if key.kind == ADDRESS else key.base.rsplit(":", 1)[-1]
                logger.info("Back-off on %s for %s %s after a failure", key.backoff.name, key.kind, who)


def _take_back(key: _Key) -> None:
    with contextlib.suppress(ValueError):  # the count expired meanwhile
        cache.decr(key.count_key)
    if key.gate_claimed is not None and cache.get(key.gate_key) == key.gate_claimed:
        cache.delete(key.gate_key)


def _begin_key(key: _Key) -> None:
    """Count the attempt under the key, or raise TooManyAttempts if the key must still wait."""
    backoff = key.backoff
    moment = now()
    until = cache.get(key.gate_key)
    if until is not None and until > moment:
        raise TooManyAttempts(math.ceil(until - moment))
    cache.add(key.count_key, 0, timeout=backoff.forget_after)
    failures_before = cache.incr(key.count_key) - 1
    cache.touch(key.count_key, timeout=backoff.forget_after)
    wait = backoff.wait_after(failures_before + 1)
    if not wait:
        return
    # This attempt is let through, and should it fail the next must wait. Claiming the gate with
    # add() is atomic, so of parallel attempts past the free ones only one gets through per wait.
    gate = moment + wait
    timeout = wait + 1
    if not cache.add(key.gate_key, gate, timeout=timeout):
        held = cache.get(key.gate_key)
        if held is not None and held > moment:
            _safely("take back an attempt", cache.decr, key.count_key)
            raise TooManyAttempts(math.ceil(held - moment))
        # A gate whose time has passed but which the cache still holds (its expiry is a second
        # late, or the limiter's clock was moved): it no longer binds.
        cache.set(key.gate_key, gate, timeout=timeout)
    key.gate_claimed = gate


def begin(keys: Sequence[tuple[Backoff, str, str]]) -> Attempt:
    """Start an attempt counted under each (backoff, identity, ACCOUNT or ADDRESS) key.

    Raise TooManyAttempts, counting nothing, if any key must still wait.
    """
    attempt = Attempt()
    for backoff, ident, kind in keys:
        key = _Key(backoff=backoff, ident=ident, kind=kind)
        try:
            _begin_key(key)
        except TooManyAttempts:
            _undo(attempt)
            raise
        except Exception as exc:  # any cache failure: allow, and say so
            logger.warning("Login limits skipped: the cache failed (%s: %s)", type(exc).__name__, exc)
            continue
        attempt.keys.append(key)
    return attempt


def _undo(attempt: Attempt) -> None:
    """Take back the attempt under the keys already counted (another key refused it)."""
    for key in attempt.keys:
        _safely("take back an attempt", _take_back, key)
    attempt.done = True


def login_attempt(request: HttpRequest | Request, *, email: str) -> Attempt:
    """Begin a password attempt for the account `email` from the request's client address."""
    return begin(
        [
            (LOGIN_ACCOUNT, normalise_email(email), ACCOUNT),
            (LOGIN_ADDRESS, address_key(request), ADDRESS),
        ]
    )


def second_factor_attempt(request: HttpRequest | Request, *, user_id: int) -> Attempt:
    """Begin a two-factor code attempt for the user (whose password was right) from the request's address."""
    return begin(
        [
            (MFA_ACCOUNT, str(user_id), ACCOUNT),
            (LOGIN_ADDRESS, address_key(request), ADDRESS),
        ]
    )


def password_reset_request(request: HttpRequest | Request, *, email: str) -> None:
    """Count a request for a password reset email; raise TooManyAttempts when it must wait."""
    begin(
        [
            (RESET_ACCOUNT, normalise_email(email), ACCOUNT),
            (RESET_ADDRESS, address_key(request), ADDRESS),
        ]
    )

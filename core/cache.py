"""The default cache: the configured one (Redis in production), and the database while that is down.

The cache counts rate limits: the API's throttles, allauth's limits and the login back-off
(core.limits). With Redis down those would fail every login and every API write; `FallbackCache`
instead turns to Django's database cache (the table `FALLBACK_TABLE`, made by `migrate`) for
`RETRY_AFTER` seconds, then tries the configured cache again. Counts start afresh in the table when
it switches, so a limit may let a few more attempts through during an outage; none is ever refused
for want of a cache. The database cache's `incr` is a read and a write, not atomic: close enough
for a limit that exists only while Redis is down.

Configured in settings as three caches: "default" (this class), its "primary" (CACHE_URL) and its
"fallback" (a DatabaseCache on the table below), named in OPTIONS.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import redis.exceptions
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS

logger = logging.getLogger(__name__)

FALLBACK_TABLE = "core_cache_fallback"
RETRY_AFTER = 30.0
# What a cache server that is down or unreachable raises: redis-py's own errors (not subclasses of
# the built-in ones) and the socket's.
CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    OSError,
)

# Per process, by primary alias: until when (time.monotonic()) the primary is left alone. Shared by
# every thread's cache object, so one failed call spares the other threads the wait.
_down_until: dict[str, float] = {}

T = TypeVar("T")


class FallbackCache(BaseCache):
    """Delegate to the primary cache; on a connection error, to the fallback for a while."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        options = params.get("OPTIONS", {})
        self.primary_alias: str = options["PRIMARY"]
        self.fallback_alias: str = options["FALLBACK"]
        self.retry_after = float(options.get("RETRY_AFTER", RETRY_AFTER))

    @property
    def primary(self) -> BaseCache:
        return caches[self.primary_alias]

    @property
    def fallback(self) -> BaseCache:
        return caches[self.fallback_alias]

    def primary_is_down(self) -> bool:
        """Return whether calls go to the fallback now (a recent call to the primary failed)."""
        until = _down_until.get(self.primary_alias)
        return until is not None and time.monotonic() < until

    def _call(self, action: Callable[[BaseCache], T]) -> T:
        if not self.primary_is_down():
            try:
                result = action(self.primary)
            except CONNECTION_ERRORS as exc:
                logger.warning(
                    "Cache %r unreachable (%s: %s); using the database cache for %.0f s",
                    self.primary_alias,
                    type(exc).__name__,
                    exc,
                    self.retry_after,
                )
                _down_until[self.primary_alias] = time.monotonic() + self.retry_after
            else:
                if _down_until.pop(self.primary_alias, None) is not None:
                    logger.info("Cache %r is back", self.primary_alias)
                return result
        return action(self.fallback)

    def make_key(self, key: Any, version: int | None = None) -> str:
        return self.primary.make_key(key, version=version)

    def validate_key(self, key: Any) -> None:
        self.primary.validate_key(key)

    def add(self, key: Any, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call(lambda cache: cache.add(key, value, timeout=timeout, version=version))

    def get(self, key: Any, default: Any | None = None, version: int | None = None) -> Any:
        return self._call(lambda cache: cache.get(key, default=default, version=version))

    def set(self, key: Any, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._call(lambda cache: cache.set(key, value, timeout=timeout, version=version))

    def touch(self, key: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call(lambda cache: cache.touch(key, timeout=timeout, version=version))

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._call(lambda cache: cache.delete(key, version=version))

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        keys = list(keys)
        return self._call(lambda cache: cache.get_many(keys, version=version))

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._call(lambda cache: cache.has_key(key, version=version))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._call(lambda cache: cache.incr(key, delta=delta, version=version))

    def decr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._call(lambda cache: cache.decr(key, delta=delta, version=version))

    def set_many(
        self, data: dict[Any, Any], timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        return self._call(lambda cache: cache.set_many(data, timeout=timeout, version=version))

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        keys = list(keys)
        self._call(lambda cache: cache.delete_many(keys, version=version))

    def clear(self) -> None:
        self._call(lambda cache: cache.clear())


def fallback_table_create(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """Create the database caches' tables that are missing (on post_migrate, so every `migrate` makes them)."""
    call_command("createcachetable", database=using, verbosity=0)

"""With the cache (Redis) down, the rate limits count in the database, so logins and writes still work."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
import redis.exceptions
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from core import cache as fallback_cache
from core.cache import FALLBACK_TABLE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class FlakyCache(LocMemCache):
    """A local cache that can be 'down': then every call raises what redis-py raises for a refused connection."""

    down: ClassVar[bool] = True
    calls: ClassVar[int] = 0

    def _check(self) -> None:
        FlakyCache.calls += 1
        if FlakyCache.down:
            raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    def add(self, *args: Any, **kwargs: Any) -> bool:
        self._check()
        return super().add(*args, **kwargs)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        self._check()
        return super().get(*args, **kwargs)

    def set(self, *args: Any, **kwargs: Any) -> None:
        self._check()
        super().set(*args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> bool:
        self._check()
        return super().touch(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> bool:
        self._check()
        return super().delete(*args, **kwargs)

    def incr(self, *args: Any, **kwargs: Any) -> int:
        self._check()
        return super().incr(*args, **kwargs)

    def clear(self) -> None:
        self._check()
        super().clear()


def _caches(primary: dict[str, Any]) -> dict[str, Any]:
    return {**settings.CACHES, "primary": primary}


@pytest.fixture
def cache_down() -> Iterator[None]:
    FlakyCache.down, FlakyCache.calls = True, 0
    fallback_cache._down_until.clear()
    with override_settings(CACHES=_caches({"BACKEND": "tests.core.test_cache_fallback.FlakyCache"})):
        yield
        caches["fallback"].clear()
    fallback_cache._down_until.clear()


@pytest.mark.usefixtures("cache_down")
def test_a_cache_that_is_down_is_left_alone_for_a_while_and_the_database_counts_instead() -> None:
    cache.set("attempts", 1)
    cache.add("gate", "shut")
    assert cache.incr("attempts") == 2
    assert cache.get("attempts") == 2 and cache.get("gate") == "shut"
    # Only the first call waited on the dead cache; the rest went straight to the database.
    assert FlakyCache.calls == 1
    assert caches["fallback"].get("attempts") == 2

    # Once the window has passed the cache is tried again; back up, it is used again.
    FlakyCache.down = False
    fallback_cache._down_until["primary"] = time.monotonic() - 1
    cache.set("attempts", 7)
    assert caches["primary"].get("attempts") == 7
    assert "primary" not in fallback_cache._down_until
    assert caches["fallback"].get("attempts") == 2


def test_errors_other_than_a_lost_connection_are_not_hidden() -> None:
    fallback_cache._down_until.clear()
    with pytest.raises(ValueError):
        cache.incr("never-set")
    assert fallback_cache._down_until == {}


def test_a_real_redis_cache_that_refuses_connections_falls_back_fast() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dead = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{port}/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    fallback_cache._down_until.clear()
    try:
        with override_settings(CACHES=_caches(dead)):
            started = time.monotonic()
            cache.set("k", "v")
            assert cache.get("k") == "v"
            assert time.monotonic() - started < 2
            assert caches["fallback"].get("k") == "v"
            caches["fallback"].clear()
    finally:
        fallback_cache._down_until.clear()


@pytest.mark.usefixtures("cache_down")
def test_api_throttles_count_in_the_database_while_the_cache_is_down() -> None:
    api = APIClient()
    api.force_authenticate(UserFactory())
    bad_account = {"iban": "NL00X", "holder_name": "Ada"}
    rates = {"login": "100000/min", "write": "2/min"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        writes = [api.post(reverse("api-money-payout-account-set"), bad_account, format="json") for _ in range(3)]
    assert [r.status_code for r in writes] == [400, 400, 429]


@pytest.mark.usefixtures("cache_down")
def test_page_and_api_login_work_while_the_cache_is_down() -> None:
    UserFactory(email="ada@example.org")
    limits = {"login": "30/m/ip", "signup": "20/m/ip"}
    with override_settings(ACCOUNT_RATE_LIMITS=limits):
        page = Client()
        answer = page.post(reverse("account_login"), {"login": "ada@example.org", "password": "correct-horse-battery"})
        assert answer.status_code == 302
        assert page.get(reverse("dashboard")).status_code == 200
    # The limiters did count: in the database, having tried the dead cache once.
    assert FlakyCache.calls == 1
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(FALLBACK_TABLE)}")
        assert cursor.fetchone()[0] > 0
    token = APIClient().post("/api/auth/token/", {"email": "ada@example.org", "password": "correct-horse-battery"})
    assert token.status_code == 200 and token.json()["token"]


def test_migrate_makes_the_fallback_table() -> None:
    def has_table() -> bool:
        with connection.cursor() as cursor:
            return FALLBACK_TABLE in connection.introspection.table_names(cursor)

    assert has_table()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(FALLBACK_TABLE)}")
    assert not has_table()
    # What `migrate` sends when it is done (make run, CI and production all migrate).
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
    assert has_table()

"""Decide whether a test that needs an outside service runs, skips or fails.

With REQUIRE_SERVICES=1 (as in CI) a missing service fails the test; on a bare machine it skips
with a visible reason.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES", "") not in {"", "0", "false", "no"}


def need(available: bool, reason: str) -> None:
    """Skip (bare machine) or fail (REQUIRE_SERVICES) the calling test when a service is missing."""
    if available:
        return
    if services_required():
        pytest.fail(f"REQUIRE_SERVICES is set but {reason}", pytrace=False)
    pytest.skip(reason)


def need_postgres() -> None:
    need(connection.vendor == "postgresql", "this test needs PostgreSQL (set DATABASE_URL=postgres://...)")


def need_broker() -> None:
    need(bool(settings.CELERY_BROKER_URL), "this test needs a Celery broker (set CELERY_BROKER_URL=redis://...)")


def need_redis_server() -> str:
    """Return the path of `redis-server`, for a test that starts and stops its own Redis."""
    path = shutil.which("redis-server")
    need(path is not None, "this test needs redis-server on PATH (apt-get install redis-server)")
    assert path is not None
    return path


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured and Path(configured).exists():
        return configured
    for candidate in CHROMIUM_PATHS:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def database_url() -> str:
    """Return a DATABASE_URL naming the test database, for a process the test starts."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"

"""Fixtures shared by every test: people, a real Celery worker, and a real Chromium."""

import contextlib
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from tests.factories import MemberFactory, UserFactory
from tests.services import chromium_path, need, need_broker

# Playwright's sync API runs an event loop in the test thread; the ORM calls next to it are
# still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def user(db: Any) -> Any:
    return UserFactory()


@pytest.fixture
def member(db: Any) -> Any:
    return MemberFactory()


@pytest.fixture
def staff(db: Any) -> Any:
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def second_staff(db: Any) -> Any:
    """Another administrator: money steps need two people (who computes does not approve, and so on)."""
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def client_for() -> Any:
    """Return a test client logged in as the given user."""

    def make(user: Any) -> Client:
        c = Client()
        c.force_login(user)
        return c

    return make


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Start every test with an empty cache.

    Rate limits and the login back-off (core.limits) count in the cache, per client address, and
    every test client has the same one: without this, one test's failed logins would slow down
    the logins of the tests after it, depending on the order they ran in. A test that stops the
    cache's server on purpose has it running again by the next test, or the clear is moot.
    """
    from django.core.cache import cache

    with contextlib.suppress(Exception):
        cache.clear()


@pytest.fixture(autouse=True)
def ledger_accounts_forgotten() -> None:
    """Start every test without remembered ledger accounts (payouts.ledger.posting.account_get).

    The process remembers committed accounts by natural key; a test database emptied between tests
    would otherwise hand a later test the id of an account that no longer exists.
    """
    from payouts.ledger.posting import account_cache_clear

    account_cache_clear()


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Start and leave every test in the default language.

    A request in Dutch through the test client leaves Dutch active in the thread, as a server
    thread would until its next request; without this, messages built by a later test's services
    would come out in Dutch depending on the order the tests ran in.
    """
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def celery_in_process() -> Iterator[None]:
    """Run tasks in-process by default, as `make run` does, whatever broker is configured.

    A test that wants a real worker on the broker uses `celery_worker_redis`, which turns this off
    for its duration. Without this, tests would depend on whether CI's broker is set.
    """
    from coop_platform.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture
def celery_worker_redis(transactional_db: Any) -> Iterator[Any]:
    """A real Celery worker in a thread, consuming from the configured broker (Redis in CI)."""
    need_broker()
    from celery.contrib.testing.worker import start_worker

    from coop_platform.celery import app

    app.conf.task_always_eager = False
    # Messages left on the broker by an earlier, interrupted run must not reach this worker.
    app.control.purge()
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=30) as w:
            yield w
    finally:
        app.conf.task_always_eager = True


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    path = chromium_path()
    need(path is not None, "no Chromium is installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser page; its base URL is the live test server. Console errors fail the test."""
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors

"""A broker outage, with a real Redis this test starts and stops: writes and logins go on, no notice is lost.

Redis is both the broker and the cache here, as in production. While it is stopped, a message sent
through the API and one sent through the page answer at once, page and API login work, and the
notices wait in the outbox. Once Redis is back, the relay hands them to a real worker, which emails
each exactly once, even when the relay runs again or a message is delivered twice.
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import redis
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core import cache as fallback_cache
from core import outbox
from core.models import Notification, OutboxMessage
from core.tasks import notification_email_send
from tests.factories import UserFactory
from tests.services import need_redis_server

pytestmark = pytest.mark.services

PASSWORD = "correct-horse-battery"
FAST = 2.0  # seconds a write or a login may take with the broker down


class RedisServer:
    """A throwaway redis-server on a free local port, with nothing kept on disk."""

    def __init__(self, path: str) -> None:
        self.path = path
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.path, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        _wait_for(lambda: _answers(client), what=f"redis-server on port {self.port} to start")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


def _answers(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.exceptions.ConnectionError:
        return False


def _wait_for(condition: Callable[[], bool], *, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer(need_redis_server())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def on_redis(redis_server: RedisServer, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[RedisServer]:
    """Point Celery's broker and the cache at the test's Redis; tasks go through the broker, not in-process."""
    from kombu import pools

    from coop_platform.celery import app

    url = redis_server.url(0)
    # Celery reads CELERY_BROKER_URL from the environment (as CI sets it) before its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    monkeypatch.setitem(app.conf, "broker_url", url)
    settings.CELERY_BROKER_URL = url
    settings.CACHES = {
        **django_settings.CACHES,
        "primary": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url(1),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    # allauth's limits on, as in production (the test settings turn them off).
    settings.ACCOUNT_RATE_LIMITS = {"login": "30/m/ip", "signup": "20/m/ip"}
    # The app keeps its broker connections and producers: set the configured broker's aside, so the
    # test's sends connect to its own Redis, and put them back after.
    kept = app._pool, app.amqp._producer_pool
    app._pool = app.amqp._producer_pool = None
    app.conf.task_always_eager = False
    outbox._broker_down_until = None
    fallback_cache._down_until.clear()
    try:
        yield redis_server
    finally:
        used = {id(app._pool), id(app.amqp._producer_pool)} - {id(None)}
        for group in (pools.producers, pools.connections):
            for key in [key for key, pool in group.items() if id(pool) in used]:
                group.pop(key).force_close_all()
        app._pool, app.amqp._producer_pool = kept
        outbox._broker_down_until = None
        fallback_cache._down_until.clear()


def _thread() -> tuple[Any, Any, Any]:
    """Return a client, a freelancer and the thread of the freelancer's proposal for the client's job."""
    from marketplace.services.fees import fee_policy_create
    from marketplace.services.jobs import job_create
    from marketplace.services.profiles import client_profile_save, freelancer_profile_save
    from marketplace.services.proposals import proposal_submit

    fee_policy_create(percent=Decimal("10"), actor=None, effective_from=timezone.now() - timedelta(days=1))
    hirer, freelancer = UserFactory(), UserFactory()
    client_profile_save(user=hirer)
    freelancer_profile_save(user=freelancer, headline="Developer", skill_names=["Django"], hourly_rate_cents=6000)
    job = job_create(
        client=hirer,
        publish=True,
        title="Build a booking page",
        description="A small Django site where customers book repair slots.",
        budget_min_cents=50_000,
        budget_max_cents=150_000,
        skill_names=["Django"],
    )
    proposal = proposal_submit(
        job_id=job.pk,
        freelancer=freelancer,
        cover_letter="I built three booking sites last year.",
        amount_cents=100_000,
        duration_days=14,
        milestone_plan=[{"title": "Build", "amount_cents": 100_000}],
    )
    return hirer, freelancer, proposal.thread


def _timed(call: Callable[[], Any]) -> tuple[Any, float]:
    started = time.monotonic()
    answer = call()
    return answer, time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_delays_notices_but_loses_none_and_fails_no_write(
    on_redis: RedisServer, client_for: Any
) -> None:
    from celery.contrib.testing.worker import start_worker
    from celery.worker import state as worker_state

    from coop_platform.celery import app

    # Set up in-process, so nothing of it waits on the broker.
    app.conf.task_always_eager = True
    hirer, freelancer, thread = _thread()
    app.conf.task_always_eager = False
    mail.outbox.clear()
    before = set(Notification.objects.values_list("pk", flat=True))

    on_redis.stop()

    api = APIClient()
    api.force_authenticate(hirer)
    by_api, api_seconds = _timed(
        lambda: api.post(reverse("api-message-send", args=[thread.pk]), {"body": "When can you start?"})
    )
    assert by_api.status_code == 201, by_api.content
    by_page, page_seconds = _timed(
        lambda: client_for(freelancer).post(
            reverse("marketplace:thread-detail", args=[thread.pk]), {"body": "Next Monday."}
        )
    )
    assert by_page.status_code == 302
    assert api_seconds < FAST and page_seconds < FAST, (api_seconds, page_seconds)

    page = Client()
    login, login_seconds = _timed(
        lambda: page.post(reverse("account_login"), {"login": hirer.email, "password": PASSWORD})
    )
    assert login.status_code == 302 and login_seconds < FAST, login_seconds
    assert page.get(reverse("dashboard")).status_code == 200
    token, token_seconds = _timed(
        lambda: APIClient().post("/api/auth/token/", {"email": freelancer.email, "password": PASSWORD})
    )
    assert token.status_code == 200 and token.json()["token"] and token_seconds < FAST

    notices = list(Notification.objects.exclude(pk__in=before).filter(email=True).select_related("user"))
    assert sorted(n.user_id for n in notices) == sorted([hirer.pk, freelancer.pk])
    queued = OutboxMessage.objects.filter(task=notification_email_send.name, sent_at__isnull=True)
    assert sorted(m.args[0] for m in queued) == sorted(n.pk for n in notices)
    assert mail.outbox == []
    health = Client().get("/healthz")
    assert health.status_code == 503
    assert health.json()["outbox"]["backlog"] == len(notices)

    on_redis.start()
    assert outbox.relay() == len(notices)
    assert outbox.relay() == 0
    # A message delivered twice, as by a relay that died between sending it and marking it sent.
    notification_email_send.apply_async(args=[notices[0].pk], ignore_result=True)
    done = worker_state.total_count[notification_email_send.name]
    # The test waits on the worker's own count, not on the database: SQLite's shared in-memory test
    # database locks whole tables, so polling it while the worker writes would fail.
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10):
        _wait_for(
            lambda: worker_state.total_count[notification_email_send.name] >= done + len(notices) + 1,
            what="the worker to run the queued email tasks",
        )

    assert sorted(message.to[0] for message in mail.outbox) == sorted(n.user.email for n in notices)
    assert not Notification.objects.filter(pk__in=[n.pk for n in notices], emailed_at__isnull=True).exists()
    assert outbox.backlog() == 0
    assert Client().get("/healthz").json()["outbox"] == {"backlog": 0, "oldest_seconds": None}

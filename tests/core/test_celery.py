import pytest
from django.conf import settings

from core.tasks import ping


def test_without_a_broker_tasks_run_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from coop_platform.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    result = ping.delay()
    assert result.__class__.__name__ == "EagerResult"
    assert result.get(timeout=5) == "pong"


def test_settings_run_tasks_in_process_exactly_when_no_broker_is_set() -> None:
    assert settings.CELERY_TASK_ALWAYS_EAGER is (not settings.CELERY_BROKER_URL)


def test_a_task_goes_through_a_real_worker_on_the_broker(celery_worker_redis) -> None:
    result = ping.delay()
    assert result.get(timeout=30) == "pong"
    # The answer came back through the result backend from a worker, not from an in-process call.
    assert result.backend.__class__.__name__ != "DisabledBackend"
    assert result.status == "SUCCESS"

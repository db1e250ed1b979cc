"""The migration that moved the marketplace's notices into core keeps every notice and every email choice."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("marketplace", "0010_currency_from_setting")
AFTER = ("marketplace", "0011_notifications_to_core")


def _migrate(target: tuple[str, str]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    core = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "core"]
    # The marketplace at the target, with core's notification tables beside it.
    return executor.loader.project_state([target, *core]).apps


@pytest.fixture
def back_to_latest() -> Any:
    """Leave the test database at the latest migrations, as every later test expects."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_notices_and_email_choices_move_to_core(back_to_latest: Any) -> None:
    apps = _migrate(BEFORE)
    User = apps.get_model("membership", "User")
    old_notices = apps.get_model("marketplace", "Notification")
    old_preferences = apps.get_model("marketplace", "NotificationPreference")
    settings_model = apps.get_model("core", "NotificationSetting")
    reader, quiet, content = (User.objects.create(email=f"{name}@example.org") for name in ("r", "q", "c"))
    sent = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    read = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    first = old_notices.objects.create(
        user=reader, kind="proposal_received", data={"freelancer": "Ada", "job": "Logo"}, url="/proposals/1/"
    )
    second = old_notices.objects.create(user=reader, kind="message_received", data={"sender": "Ada"})
    old_notices.objects.filter(pk=first.pk).update(created_at=sent, read_at=read)
    old_notices.objects.filter(pk=second.pk).update(created_at=read)
    old_preferences.objects.create(user=quiet, email_messages=False, email_disputes=False)
    old_preferences.objects.create(user=content)
    # Chosen on core's page before the migration ran: that choice stands.
    settings_model.objects.create(user=quiet, kind="dispute_opened", channel="both")

    apps = _migrate(AFTER)

    notices = list(
        apps.get_model("core", "Notification")
        .objects.filter(user_id=reader.pk)
        .order_by("created_at")
        .values("kind", "data", "url", "read_at", "created_at", "in_app", "email", "emailed_at")
    )
    assert notices == [
        {
            "kind": "proposal_received",
            "data": {"freelancer": "Ada", "job": "Logo"},
            "url": "/proposals/1/",
            "read_at": read,
            "created_at": sent,
            "in_app": True,
            "email": False,
            "emailed_at": None,
        },
        {
            "kind": "message_received",
            "data": {"sender": "Ada"},
            "url": "",
            "read_at": None,
            "created_at": read,
            "in_app": True,
            "email": False,
            "emailed_at": None,
        },
    ]
    settings = dict(
        apps.get_model("core", "NotificationSetting").objects.filter(user_id=quiet.pk).values_list("kind", "channel")
    )
    assert settings == {
        "message_received": "app",
        "dispute_opened": "both",
        "dispute_responded": "app",
        "dispute_resolved": "app",
    }
    assert not apps.get_model("core", "NotificationSetting").objects.filter(user_id=content.pk).exists()
    with pytest.raises(LookupError):
        apps.get_model("marketplace", "Notification")

"""notify_many: one event to many people (a voter roll), each as they chose, in a fixed number of queries."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy

from core.models import Notification, NotificationChannel, NotificationSetting
from core.notifications import NOTIFICATION_KINDS, NotificationKind, notify_many, register_notification_kind
from tests.factories import UserFactory

KIND = "test.meeting_called"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def meeting_kind() -> Iterator[None]:
    register_notification_kind(
        NotificationKind(
            key=KIND,
            text=gettext_lazy("A meeting is called: “%(name)s”."),
            label=gettext_lazy("A meeting is called"),
            topic=gettext_lazy("Meetings"),
        )
    )
    yield
    NOTIFICATION_KINDS._items.pop(KIND, None)


def test_each_person_is_told_once_as_they_chose(django_capture_on_commit_callbacks: Any) -> None:
    both, app_only, email_only = UserFactory(), UserFactory(), UserFactory()
    NotificationSetting.objects.create(user=app_only, kind=KIND, channel=NotificationChannel.APP)
    NotificationSetting.objects.create(user=email_only, kind=KIND, channel=NotificationChannel.EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        told = notify_many(
            users=[both, app_only, email_only, both], kind=KIND, data={"name": "AGM"}, url="/governance/"
        )
    assert told == 3
    rows = {n.user_id: n for n in Notification.objects.filter(kind=KIND)}
    assert len(rows) == 3
    assert (rows[both.pk].in_app, rows[both.pk].email) == (True, True)
    assert (rows[app_only.pk].in_app, rows[app_only.pk].email) == (True, False)
    assert (rows[email_only.pk].in_app, rows[email_only.pk].email) == (False, True)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([both.email, email_only.email])
    message = mail.outbox[0]
    assert "A meeting is called: “AGM”." in message.subject
    assert "/notifications/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_notices_cost_the_same_queries_for_three_people_or_thirty() -> None:
    def queries_for(count: int) -> int:
        users = [UserFactory() for _ in range(count)]
        for user in users:
            NotificationSetting.objects.create(user=user, kind=KIND, channel=NotificationChannel.APP)
        with CaptureQueriesContext(connection) as captured:
            assert notify_many(users=users, kind=KIND, data={"name": "AGM"}) == count
        return len(captured.captured_queries)

    assert queries_for(3) == queries_for(30) == 2


def test_nobody_to_tell_costs_nothing() -> None:
    with CaptureQueriesContext(connection) as captured:
        assert notify_many(users=[], kind=KIND, data={"name": "AGM"}) == 0
    assert captured.captured_queries == []


def test_a_database_that_returns_no_keys_from_bulk_inserts_still_emails_everyone(
    monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    users = [UserFactory(), UserFactory()]
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_many(users=users, kind=KIND, data={"name": "AGM"}) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(user.email for user in users)

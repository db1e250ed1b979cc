"""The weekly digest: a person who chose it gets one email a week listing the week before's notices."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.models import Notification, NotificationChannel, NotificationSetting
from core.notifications import (
    NOTIFICATION_KINDS,
    NotificationKind,
    notification_digests_send,
    notify,
    register_notification_kind,
    week_start,
)
from tests.factories import UserFactory

KIND = "test.digest_parcel"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def parcel_kind() -> Iterator[None]:
    register_notification_kind(
        NotificationKind(
            key=KIND,
            text=gettext_lazy("Your parcel “%(name)s” arrived."),
            label=gettext_lazy("A parcel arrives"),
            topic=gettext_lazy("Parcels"),
        )
    )
    yield
    NOTIFICATION_KINDS._items.pop(KIND, None)


def _last_week(notification: Notification) -> None:
    Notification.objects.filter(pk=notification.pk).update(created_at=week_start() - timedelta(days=2))


def test_a_digest_reader_gets_no_email_per_notice_and_one_email_a_week(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = UserFactory(email="ana@example.org", preferred_language="en")
    NotificationSetting.objects.create(user=user, kind=KIND, channel=NotificationChannel.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(user=user, kind=KIND, data={"name": "books"}, url="/parcels/1/")
        second = notify(user=user, kind=KIND, data={"name": "lamp"}, url="/parcels/2/")
    assert mail.outbox == [] and first.in_app and first.digest and not first.email
    _last_week(first)
    _last_week(second)

    assert notification_digests_send() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@example.org"]
    assert "2 notices" in message.subject
    assert "Your parcel “books” arrived." in message.body and "/parcels/2/" in message.body

    # A second run in the same week sends nothing, even with a late notice of last week.
    late = notify(user=user, kind=KIND, data={"name": "chair"})
    _last_week(late)
    assert notification_digests_send() == 0
    assert len(mail.outbox) == 1
    # This week's notices wait for next week's digest.
    notify(user=user, kind=KIND, data={"name": "desk"})
    assert notification_digests_send(now=timezone.now() + timedelta(days=7)) == 1
    assert "chair" in mail.outbox[1].body and "desk" in mail.outbox[1].body


def test_the_digest_is_in_the_readers_language() -> None:
    user = UserFactory(email="bo@example.org", preferred_language="nl")
    NotificationSetting.objects.create(user=user, kind=KIND, channel=NotificationChannel.DIGEST)
    _last_week(notify(user=user, kind=KIND, data={"name": "x"}))
    notification_digests_send()
    assert "Je weekoverzicht" in mail.outbox[0].subject


def test_people_without_the_digest_get_none() -> None:
    user = UserFactory(email="cy@example.org")
    _last_week(notify(user=user, kind=KIND, data={"name": "x"}))
    mail.outbox.clear()
    assert notification_digests_send() == 0


def test_the_settings_page_offers_the_digest_for_every_kind_at_once(client: Any) -> None:
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("notification-settings")).content.decode()
    assert "weekly digest" in page
    client.post(reverse("notification-settings"), {"every_kind": NotificationChannel.DIGEST})
    channels = set(NotificationSetting.objects.filter(user=user).values_list("channel", flat=True))
    assert channels == {NotificationChannel.DIGEST}
    assert NotificationSetting.objects.filter(user=user).count() == len(NOTIFICATION_KINDS)

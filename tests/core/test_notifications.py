"""One notification service for every app: in the app and by email, as each person chose per kind."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.translation import gettext_lazy

from core.models import Notification, NotificationChannel, NotificationSetting
from core.notifications import (
    NOTIFICATION_KINDS,
    NotificationKind,
    notification_email_send,
    notification_text,
    notify,
    register_notification_kind,
    unsubscribe_token,
)
from tests.factories import UserFactory

KIND = "test.parcel_arrived"


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


def send(user: Any, capture: Any, **data: Any) -> Notification:
    with capture(execute=True):
        return notify(user=user, kind=KIND, data={"name": "Books", **data}, url="/dashboard/")


@pytest.mark.django_db
def test_a_notice_shows_in_the_app_and_is_emailed_with_one_click_unsubscribe(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = UserFactory(preferred_language="en")
    notification = send(user, django_capture_on_commit_callbacks)
    assert notification.in_app and notification.email
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Your parcel “Books” arrived." in message.subject
    assert message.to == [user.email]
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/notifications/unsubscribe/" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in message.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


@pytest.mark.django_db
def test_the_email_is_in_the_readers_language(django_capture_on_commit_callbacks: Any) -> None:
    user = UserFactory(preferred_language="nl")
    send(user, django_capture_on_commit_callbacks)
    assert "Kies wat we je sturen" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_repeated_delivery_sends_one_email(django_capture_on_commit_callbacks: Any) -> None:
    notification = send(UserFactory(), django_capture_on_commit_callbacks)
    assert notification_email_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_notice_that_rolls_back_tells_nobody(django_capture_on_commit_callbacks: Any) -> None:
    from django.db import transaction

    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notify(user=user, kind=KIND, data={"name": "Books"})
        raise RuntimeError("the service failed")
    assert not Notification.objects.filter(user=user).exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_app_only_sends_no_email_and_email_only_stays_out_of_the_list(
    django_capture_on_commit_callbacks: Any, client_for: Any
) -> None:
    user = UserFactory()
    NotificationSetting.objects.create(user=user, kind=KIND, channel=NotificationChannel.APP)
    in_app = send(user, django_capture_on_commit_callbacks)
    assert in_app.in_app and not in_app.email
    assert mail.outbox == []
    NotificationSetting.objects.filter(user=user, kind=KIND).update(channel=NotificationChannel.EMAIL)
    by_email = send(user, django_capture_on_commit_callbacks, name="Tea")
    assert not by_email.in_app and len(mail.outbox) == 1
    page = client_for(user).get(reverse("notifications")).content.decode()
    assert "Your parcel “Books” arrived." in page
    assert "Tea" not in page


@pytest.mark.django_db
def test_an_unknown_kind_is_a_programming_error() -> None:
    from core.registry import NotRegistered

    with pytest.raises(NotRegistered):
        notify(user=UserFactory(), kind="test.never_registered", data={})


@pytest.mark.django_db
def test_the_settings_page_turns_email_off_for_one_kind(
    client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory()
    client = client_for(user)
    page = client.get(reverse("notification-settings"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "A parcel arrives" in body and "<legend>Parcels</legend>" in body
    field = "kind__" + KIND.replace(".", "__")
    data = dict.fromkeys(page.context["form"].fields, NotificationChannel.BOTH)
    data[field] = NotificationChannel.APP
    data["every_kind"] = ""  # keep each kind's own choice
    response = client.post(reverse("notification-settings"), data)
    assert response.status_code == 302
    assert NotificationSetting.objects.get(user=user, kind=KIND).channel == NotificationChannel.APP
    send(user, django_capture_on_commit_callbacks)
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_settings_page_refuses_an_unknown_choice_and_changes_nothing(client_for: Any) -> None:
    user = UserFactory()
    client = client_for(user)
    field = "kind__" + KIND.replace(".", "__")
    response = client.post(reverse("notification-settings"), {field: "carrier-pigeon"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not NotificationSetting.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_the_settings_page_needs_a_login(client: Any) -> None:
    response = client.get(reverse("notification-settings"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_one_click_unsubscribe_turns_email_off_for_that_kind_only(client: Any) -> None:
    user = UserFactory()
    url = reverse("notification-unsubscribe", args=[unsubscribe_token(user_id=user.pk, kind=KIND)])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "A parcel arrives" in confirm.content.decode()
    assert not NotificationSetting.objects.filter(user=user).exists(), "a GET (a link scanner) changes nothing"
    done = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert NotificationSetting.objects.get(user=user, kind=KIND).channel == NotificationChannel.APP
    assert client.post(url).status_code == 200, "unsubscribing twice is fine"


@pytest.mark.django_db
def test_a_tampered_unsubscribe_link_is_refused(client: Any) -> None:
    user = UserFactory()
    token = unsubscribe_token(user_id=user.pk, kind=KIND)
    response = client.post(reverse("notification-unsubscribe", args=[token[:-2] + "xx"]))
    assert response.status_code == 400
    assert "This unsubscribe link is not valid." in response.content.decode()
    assert not NotificationSetting.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_the_api_lists_notices_and_saves_settings(client_for: Any, django_capture_on_commit_callbacks: Any) -> None:
    user = UserFactory()
    send(user, django_capture_on_commit_callbacks)
    client = client_for(user)
    listing = client.get("/api/notifications/").json()
    assert listing["results"][0]["text"] == "Your parcel “Books” arrived."
    rows = client.get("/api/notifications/settings/").json()
    assert {"kind": KIND, "topic": "Parcels", "label": "A parcel arrives", "channel": "both"} in rows
    saved = client.post(
        "/api/notifications/settings/save/", {"channels": {KIND: "app"}}, content_type="application/json"
    )
    assert saved.status_code == 200
    assert NotificationSetting.objects.get(user=user, kind=KIND).channel == "app"
    bad = client.post(
        "/api/notifications/settings/save/", {"channels": {"test.nope": "app"}}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["code"] == "notification_setting_invalid"
    assert client.post("/api/notifications/read/", {}, content_type="application/json").status_code == 204
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()


@pytest.mark.django_db
def test_the_api_needs_a_login(client: Any) -> None:
    assert client.get("/api/notifications/settings/").status_code in {401, 403}


@pytest.mark.django_db
def test_a_moment_in_a_notice_reads_in_the_readers_language_and_time_zone() -> None:
    from datetime import UTC, datetime

    from django.utils import translation

    register_notification_kind(
        NotificationKind(
            key="test.vote_opens",
            text=gettext_lazy("Voting opens on %(opens)s."),
            label=gettext_lazy("Voting opens"),
            topic=gettext_lazy("Parcels"),
        )
    )
    try:
        notification = notify(
            user=UserFactory(), kind="test.vote_opens", data={"opens": datetime(2026, 12, 9, 17, 19, tzinfo=UTC)}
        )
        notification.refresh_from_db()
        with translation.override("en"):
            assert notification_text(notification) == "Voting opens on 9 December 2026, 18:19."
        with translation.override("nl"):
            assert "9 december 2026, 18:19" in notification_text(notification)
        assert "2026-12-09" not in notification_text(notification)
    finally:
        NOTIFICATION_KINDS._items.pop("test.vote_opens", None)

"""A saved search's alert email goes through the outbox as every notice's: once, after commit, broker or not."""

from datetime import timedelta
from typing import Any

from django.core import mail
from django.utils import timezone

from core import outbox
from core.models import Notification, OutboxMessage
from core.tasks import notification_email_send
from marketplace.models import SavedSearch
from marketplace.services.searches import saved_search_alert, saved_search_create


def _alerted(freelancer: Any, make_job: Any, callbacks: Any) -> Notification:
    saved = saved_search_create(user=freelancer, name="Django work", params={"q": "django"})
    SavedSearch.objects.filter(pk=saved.pk).update(last_alerted_at=timezone.now() - timedelta(hours=1))
    make_job(title="Django shop")
    mail.outbox.clear()
    with callbacks(execute=False):
        assert saved_search_alert(saved_search_id=saved.pk) == 1
    return Notification.objects.get(user=freelancer, kind="saved_search_matches")


def test_the_alert_email_waits_in_the_outbox_and_is_sent_once(
    freelancer: Any, make_job: Any, django_capture_on_commit_callbacks: Any
) -> None:
    notice = _alerted(freelancer, make_job, django_capture_on_commit_callbacks)
    queued = OutboxMessage.objects.get(task=notification_email_send.name, sent_at__isnull=True)
    assert queued.args == [notice.pk]
    assert mail.outbox == []

    assert outbox.relay() == 1
    assert len(mail.outbox) == 1
    assert "Django shop" in mail.outbox[0].body
    assert mail.outbox[0].to == [freelancer.email]
    # A second delivery of the same task (a relay that crashed before marking it sent) sends nothing.
    assert notification_email_send(notice.pk) is False
    assert outbox.relay() == 0
    assert len(mail.outbox) == 1


def test_no_alert_email_once_the_search_is_deleted_before_it_is_sent(
    freelancer: Any, make_job: Any, django_capture_on_commit_callbacks: Any
) -> None:
    notice = _alerted(freelancer, make_job, django_capture_on_commit_callbacks)
    SavedSearch.objects.filter(user=freelancer).delete()
    assert outbox.relay() == 1
    assert mail.outbox == []
    notice.refresh_from_db()
    assert notice.emailed_at is None

"""Background work of the marketplace. Tasks take ids, call a service, and are safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from marketplace.models import Notification, SavedSearch


@shared_task
def milestones_auto_release_due() -> int:
    """Beat: release delivered milestones whose client let the auto-release timer run out."""
    from marketplace.services.milestones import milestones_auto_release_due as release_due

    return release_due()


@shared_task
def reviews_reveal_due() -> int:
    """Beat: reveal reviews whose blind period has passed."""
    from marketplace.services.reviews import reviews_reveal_due as reveal_due

    return reveal_due()


@shared_task
def saved_searches_alert() -> int:
    """Beat: queue one alert task per saved search that wants email."""
    ids = list(SavedSearch.objects.filter(email_alerts=True).order_by("pk").values_list("pk", flat=True))
    for saved_search_id in ids:
        saved_search_alert.delay(saved_search_id)
    return len(ids)


@shared_task
def saved_search_alert(saved_search_id: int) -> int:
    from marketplace.services.searches import saved_search_alert as alert

    return alert(saved_search_id=saved_search_id)


@shared_task
def notification_email_send(notification_id: int) -> bool:
    """Email one notification in the reader's language, if they want that kind by email."""
    from marketplace.services.notifications import email_wanted, notification_text

    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or not email_wanted(user_id=notification.user_id, kind=notification.kind):
        return False
    user = notification.user
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        text = notification_text(notification)
        link = f"{settings.SITE_URL}{notification.url}" if notification.url else settings.SITE_URL
        body = "\n\n".join(
            [
                text,
                link,
                _("You can choose which emails you get at %(url)s.")
                % {"url": f"{settings.SITE_URL}/notifications/settings/"},
            ]
        )
        send_mail(f"[{settings.COOP_NAME}] {text}", body, None, [user.email])
    return True

"""Saved searches and their email alerts."""

from collections.abc import Mapping

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, Conflict, NotAllowed
from core.models import Notification
from core.notifications import notify, unsubscribe_token
from core.permissions import authorize
from core.services import audit_log
from marketplace.exceptions import ErrorCode
from marketplace.models import Job, SavedSearch
from marketplace.selectors.search import JobSearch, job_search
from membership.models import User

MAX_SAVED_SEARCHES = 20
ALERT_LIMIT = 20
ALERT_KIND = "saved_search_matches"


@transaction.atomic
def saved_search_create(
    *, user: User, name: str, params: Mapping[str, object], email_alerts: bool = True
) -> SavedSearch:
    if not name.strip():
        raise ApplicationError(_("Give the search a name."), code=ErrorCode.NAME_BLANK)
    if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED_SEARCHES:
        raise ApplicationError(_("You can keep at most 20 saved searches."), code=ErrorCode.TOO_MANY_SAVED_SEARCHES)
    search = JobSearch.from_params(params)
    try:
        with transaction.atomic():
            saved = SavedSearch.objects.create(
                user=user,
                name=name.strip()[:120],
                params=search.as_params(),
                email_alerts=email_alerts,
                last_alerted_at=timezone.now(),
            )
    except IntegrityError:
        raise Conflict(
            _("You already have a saved search with this name."), code=ErrorCode.SAVED_SEARCH_EXISTS
        ) from None
    audit_log(actor=user, action="saved_search.created", target=saved, subject=user)
    return saved


@transaction.atomic
def saved_search_delete(*, saved_search_id: int, actor: User) -> None:
    saved = SavedSearch.objects.select_for_update().filter(pk=saved_search_id).first()
    if saved is None:
        raise NotAllowed(_("This saved search is not yours."), code=ErrorCode.NOT_OWNER)
    authorize(actor, "saved_search.delete", saved)
    audit_log(actor=actor, action="saved_search.deleted", target=saved, subject=actor, data={"name": saved.name})
    saved.delete()


@transaction.atomic
def saved_search_alert(*, saved_search_id: int) -> int:
    """Email the user the jobs published since the last alert that match; return how many matched."""
    saved = SavedSearch.objects.select_for_update().select_related("user").filter(pk=saved_search_id).first()
    if saved is None or not saved.email_alerts:
        return 0
    now = timezone.now()
    since = saved.last_alerted_at or saved.created_at
    search = JobSearch.from_params(saved.params)
    jobs = list(
        job_search(search)
        .filter(published_at__gt=since, published_at__lte=now)
        .exclude(client=saved.user)[:ALERT_LIMIT]
    )
    saved.last_alerted_at = now
    saved.save(update_fields=["last_alerted_at", "updated_at"])
    if not jobs:
        return 0
    url = f"{reverse('marketplace:job-list')}?{urlencode(search.as_params())}"
    # Its email, if the person wants one, lists the jobs themselves (saved_search_alert_email): it
    # goes through the outbox as every notice's, so it is sent once, after commit, broker or not.
    data = {"name": saved.name, "count": len(jobs), "saved_search_id": saved.pk, "job_ids": [job.pk for job in jobs]}
    notify(user=saved.user, kind=ALERT_KIND, data=data, url=url)
    audit_log(actor=None, action="saved_search.alerted", target=saved, subject=saved.user, data={"jobs": len(jobs)})
    return len(jobs)


def saved_search_alert_email(notification: Notification) -> EmailMessage | None:
    """Return the email of an alert's notice: the jobs it found; None if the search is gone or its emails off."""
    saved = (
        SavedSearch.objects.select_related("user")
        .filter(pk=notification.data.get("saved_search_id"), user_id=notification.user_id, email_alerts=True)
        .first()
    )
    job_ids = notification.data.get("job_ids", [])
    found = Job.objects.in_bulk(job_ids)
    jobs = [found[pk] for pk in job_ids if pk in found]
    if saved is None or not jobs:
        return None
    return _alert_email(saved=saved, jobs=jobs, url=notification.url)


def _alert_email(*, saved: SavedSearch, jobs: list[Job], url: str) -> EmailMessage:
    """Return the alert email in the reader's language, with a one-click unsubscribe from these alerts."""
    user = saved.user
    site = settings.SITE_URL.rstrip("/")
    unsubscribe_url = site + reverse(
        "notification-unsubscribe", args=[unsubscribe_token(user_id=user.pk, kind=ALERT_KIND)]
    )
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = _("New jobs for “%(name)s”") % {"name": saved.name}
        body = render_to_string(
            "marketplace/email/saved_search.txt",
            {
                "user": user,
                "saved": saved,
                "jobs": jobs,
                "site_url": settings.SITE_URL,
                "url": url,
                "unsubscribe_url": unsubscribe_url,
            },
        )
    return EmailMessage(
        subject=subject,
        body=body,
        to=[user.email],
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )

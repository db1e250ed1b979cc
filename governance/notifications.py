"""Emails to members about ballots, each in the member's own language."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import translation
from django.utils.translation import gettext as _

from governance.models import Ballot
from governance.selectors import ballot_subject
from membership.models import User


def send_closing_reminders(*, ballot_id: int, user_ids: list[int]) -> int:
    """Send the "voting closes tomorrow" reminder; return how many were sent."""
    ballot = Ballot.objects.get(pk=ballot_id)
    messages = []
    for user in User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"):
        with translation.override(user.preferred_language):
            title, url = ballot_subject(ballot=ballot)
            subject = _("Voting closes soon: %(title)s") % {"title": title}
            body = _(
                "Voting on “%(title)s” closes on %(closes)s and you have not voted yet.\n\nVote here: %(url)s\n"
            ) % {
                "title": title,
                "closes": ballot.closes_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                "url": settings.SITE_URL.rstrip("/") + url,
            }
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    return send_mass_mail(messages, fail_silently=False)

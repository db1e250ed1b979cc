"""The VAT a freelancer charged their clients, from the invoices the coop issued in their name."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import Coalesce


def vat_charged(*, user_id: int, start: dt.datetime, end: dt.datetime, currency: str) -> int:
    """Return the VAT on the user's self-billed invoices dated in [start, end), less their credit notes."""
    from zoneinfo import ZoneInfo

    from marketplace.models.invoices import Invoice

    zone = ZoneInfo(settings.TIME_ZONE)
    invoices = Invoice.objects.filter(
        issuer_user_id=user_id,
        currency=currency,
        issue_date__gte=start.astimezone(zone).date(),
        issue_date__lt=end.astimezone(zone).date(),
    )
    total = Coalesce(Sum("vat_cents"), 0)
    charged = invoices.filter(kind=Invoice.Kind.WORK).aggregate(t=total)["t"]
    credited = invoices.filter(kind=Invoice.Kind.WORK_CREDIT).aggregate(t=total)["t"]
    return int(charged) - int(credited)

"""Reads over approved timesheets for other apps: the hours each freelancer worked in a period."""

from datetime import datetime

from django.db.models import Sum

from marketplace.models import Timesheet, TimesheetStatusChange


def approved_minutes_by_user(start: datetime, end: datetime, currency: str) -> dict[int, int]:
    """Return {freelancer's user id: minutes} of the timesheets approved in [start, end) in the currency.

    One query grouped in SQL. A week counts in the period its approval falls in, not the period its
    hours were worked in: approval is final (no transition leaves it), so once a period is closed its
    sums never change, and a payout cycle recomputed after a crash gets the same weights. Minutes
    rather than hours, because a weight is only ever used in proportion and minutes are exact where
    hours would need rounding (61 minutes is 1.0166... hours).
    """
    rows = (
        TimesheetStatusChange.objects.filter(
            to_status=Timesheet.Status.APPROVED,
            created_at__gte=start,
            created_at__lt=end,
            timesheet__status=Timesheet.Status.APPROVED,
            timesheet__contract__currency=currency,
        )
        .order_by()
        .values("timesheet__contract__freelancer_id")
        .annotate(minutes=Sum("timesheet__minutes"))
        .values_list("timesheet__contract__freelancer_id", "minutes")
    )
    return {user_id: minutes for user_id, minutes in rows if minutes}

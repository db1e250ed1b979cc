"""Checks the marketplace services share for amounts and due dates typed by people (web or API).

Only new input is checked here. Rows the platform writes itself keep their dates as they are: a
contract's milestones copy the plan that was agreed (whose dates may have passed by then), a
timesheet's milestone is due at the end of a week already worked, and demo data is back-dated.
"""

from collections.abc import Iterable
from datetime import date

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from core.money import MAX_AMOUNT_CENTS, Money, default_currency
from marketplace.exceptions import ErrorCode


def amount_too_large_message(currency: str | None = None) -> str:
    ceiling = Money(MAX_AMOUNT_CENTS, currency or default_currency())
    return _("An amount can be at most %(max)s.") % {"max": ceiling.format()}


def check_amount_ceiling(amount_cents: int, *, currency: str | None = None, field: str = "amount") -> None:
    """Refuse an amount above the platform's ceiling (core.money.MAX_AMOUNT_CENTS)."""
    if amount_cents > MAX_AMOUNT_CENTS:
        raise ApplicationError(
            amount_too_large_message(currency),
            code=ErrorCode.AMOUNT_TOO_LARGE,
            detail={"field": field, "max_cents": MAX_AMOUNT_CENTS},
        )


def due_date_past_message() -> str:
    return _("A due date cannot be in the past.")


def check_due_date(due: date | None, *, field: str = "due_date") -> None:
    """Refuse a due date before today (in the platform's time zone); no due date is fine."""
    if due is not None and due < timezone.localdate():
        raise ApplicationError(due_date_past_message(), code=ErrorCode.DUE_DATE_PAST, detail={"field": field})


def due_dates_out_of_order_message() -> str:
    return _("Put the milestones in the order they are due: each due date on or after the one before.")


def check_due_dates_in_order(dues: Iterable[date | None]) -> None:
    """Refuse a plan whose due dates go back in time; milestones without a date are skipped."""
    previous: date | None = None
    for due in dues:
        if due is None:
            continue
        if previous is not None and due < previous:
            raise ApplicationError(
                due_dates_out_of_order_message(),
                code=ErrorCode.PLAN_DUE_DATES_OUT_OF_ORDER,
                detail={"field": "milestone_plan"},
            )
        previous = due


def check_text_length(text: str, *, limit: int, field: str) -> None:
    """Refuse a text longer than its purpose needs (the limits are in marketplace.limits)."""
    if len(text) > limit:
        raise ApplicationError(
            _("This text is %(length)s characters long; it can be at most %(max)s.")
            % {
                "length": number_format(len(text), force_grouping=True),
                "max": number_format(limit, force_grouping=True),
            },
            code=ErrorCode.TEXT_TOO_LONG,
            detail={"field": field, "max_length": limit},
        )

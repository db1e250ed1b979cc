"""Closing a financial year: once closed it takes no new postings, and its accounts are kept as they stood."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, Conflict
from core.permissions import authorize
from core.transitions import transition
from payouts.open_books.exceptions import ErrorCode
from payouts.open_books.models import AccountingPeriod
from payouts.open_books.periods import forget_closed, period_lock_exclusive
from payouts.open_books.selectors.accounts import annual_accounts

if TYPE_CHECKING:
    from membership.models import User


@transaction.atomic
def period_close(*, year: int, actor: User | None) -> AccountingPeriod:
    """Close the financial year `year` once it has ended, keeping its accounts as they stand."""
    authorize(actor, "accounting_period.close")
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ApplicationError(_("Choose a year."), code=ErrorCode.BAD_YEAR)
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    if timezone.localdate() < end:
        raise Conflict(_("A year can be closed once it has ended."), code=ErrorCode.PERIOD_NOT_ENDED)
    AccountingPeriod.objects.get_or_create(year=year, defaults={"start": start, "end": end})
    period = AccountingPeriod.objects.select_for_update().get(year=year)
    # Every posting dated in the year that is still in flight commits first; later ones wait for
    # this close and are then refused.
    period_lock_exclusive(year)
    period.closed_at = timezone.now()
    period.accounts = annual_accounts(year).as_dict()
    transition(period, AccountingPeriod.Status.CLOSED, actor=actor, update_fields=("closed_at", "accounts"))
    # Read again on the next posting; other processes read the closed years again within a minute.
    forget_closed()
    return period

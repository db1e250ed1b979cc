"""Earnings payouts: freelancers' available balances paid out in one batch through the provider.

A balance the bank could not pay is returned to the freelancer's available balance by the
withdrawal's failure (payouts.payments), and the next run, on request or on schedule, pays it again.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, Conflict
from core.money import default_currency
from core.permissions import authorize
from core.services import audit_log
from payouts import ledger
from payouts.cycles.exceptions import ErrorCode
from payouts.cycles.models import EarningsPayout

if TYPE_CHECKING:
    from membership.models import User


def payable_balances(currency: str) -> list[tuple[int, int]]:
    """Return (user id, available cents) of every payable balance at or above the minimum, in SQL."""
    from payouts.payments import PayoutAccount

    accounts = ledger.Account.objects.filter(
        purpose=ledger.AccountPurpose.PAYABLE,
        currency=currency,
        user_id__in=PayoutAccount.objects.values("user_id"),
    )
    rows = (
        ledger.with_balances(accounts)
        .filter(balance_cents__gte=settings.PAYOUTS_WITHDRAWAL_MIN_CENTS)
        .order_by("user_id")
        .values_list("user_id", "balance_cents")
    )
    return list(rows)


@transaction.atomic
def earnings_payout_run(
    *, actor: User | None, trigger: str = EarningsPayout.Trigger.REQUEST, currency: str | None = None
) -> EarningsPayout:
    """Pay every freelancer's available balance out in one batch; a scheduled run happens once a day."""
    from django.contrib.auth import get_user_model

    from payouts.payments.withdrawals import withdrawal_batch_create, withdrawal_create

    # A scheduled run is the platform's own, whoever the caller names as actor.
    authorize(None if trigger == EarningsPayout.Trigger.SCHEDULE else actor, "earnings_payout.run")
    currency = currency or default_currency()
    today = timezone.localdate()
    if trigger == EarningsPayout.Trigger.SCHEDULE:
        key = f"schedule:{currency}:{today:%Y-%m-%d}"
        existing = EarningsPayout.objects.filter(key=key).first()
        if existing is not None:
            return existing
    else:
        key = f"request:{currency}:{timezone.now():%Y%m%d%H%M%S}:{secrets.token_hex(4)}"
    users = get_user_model().objects.in_bulk([user_id for user_id, _cents in payable_balances(currency)])
    created: list[int] = []
    paid_cents = 0
    skipped: list[dict[str, Any]] = []
    for user_id, cents in payable_balances(currency):
        try:
            with transaction.atomic():
                withdrawal = withdrawal_create(user=users[user_id], amount_cents=cents, actor=actor, currency=currency)
        except ApplicationError as error:
            skipped.append({"user_id": user_id, "code": error.code})
            continue
        created.append(withdrawal.pk)
        paid_cents += cents
    if not created and trigger == EarningsPayout.Trigger.REQUEST:
        raise Conflict(_("No freelancer has a balance to pay out."), code=ErrorCode.NOTHING_TO_PAY)
    batch = withdrawal_batch_create(actor=actor, withdrawal_ids=created) if created else None
    run = EarningsPayout.objects.create(
        key=key,
        trigger=trigger,
        currency=currency,
        withdrawal_batch_id=batch.pk if batch else None,
        paid_count=len(created),
        paid_cents=paid_cents,
        skipped=skipped,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(actor=actor, action="earnings_payout.run", target=run, data={"count": len(created), "cents": paid_cents})
    return run

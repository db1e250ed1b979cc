"""Writes for payout accounts, withdrawals and the batches that pay them out.

Lock order: withdrawal batch, then withdrawals in id order, then ledger accounts (in batch_post).
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from core.exceptions import ApplicationError, Conflict
from core.money import Money, default_currency
from core.services import audit_log
from payouts import ledger
from payouts.models import (
    WITHDRAWAL_TRANSITIONS,
    PayoutAccount,
    Provider,
    Withdrawal,
    WithdrawalBatch,
    WithdrawalStatusChange,
)
from payouts.payments.providers import get_payout_sender

# How far ahead a SEPA batch may be dated. The pain.001 schema takes any ISO date, but banks refuse
# a requested execution date more than about a year out (many allow less); a year also keeps a
# mistyped year (9999-12-31) from parking members' money in a batch nobody will ever pay.
EXECUTION_DATE_MAX_DAYS = 365


def clean_bic(value: str) -> str:
    """Return the BIC in its compact form ("" when none is given), or refuse it with a clear message.

    The structure and country are checked, not schwifty's bank registry: it does not list every
    branch code (ABNANL2AXXX is real but missing), and a valid-looking BIC the bank does not know
    is caught by the bank when the batch is paid.
    """
    value = "".join(value.split()).upper()
    if not value:
        return ""
    try:
        return BIC(value).compact
    except (SchwiftyException, ValueError):
        raise ApplicationError(
            _("This is not a valid BIC. A BIC has 8 or 11 letters and digits, such as ABNANL2A."),
            code="bad_bic",
            detail={"bic": [_("This is not a valid BIC.")]},
        ) from None


def clean_iban(value: str) -> IBAN:
    """Return the IBAN parsed and checked, or refuse it with a clear message."""
    try:
        return IBAN(value)
    except (SchwiftyException, ValueError):
        raise ApplicationError(
            _("This is not a valid IBAN. Check the country code, the check digits and the length."),
            code="bad_iban",
            detail={"iban": [_("This is not a valid IBAN.")]},
        ) from None


@transaction.atomic
def payout_account_set(*, user: Any, iban: str, holder_name: str, bic: str = "", actor: Any | None) -> PayoutAccount:
    """Set where the user's withdrawals are paid to."""
    parsed = clean_iban(iban)
    bic = clean_bic(bic)
    holder_name = " ".join(holder_name.split())
    if not holder_name:
        raise ApplicationError(
            _("Enter the account holder's name."),
            code="bad_holder_name",
            detail={"holder_name": [_("Enter the account holder's name.")]},
        )
    if not bic and parsed.bic is not None:
        bic = str(parsed.bic)
    account, _created = PayoutAccount.objects.update_or_create(
        user=user, defaults={"iban": parsed.compact, "bic": bic, "holder_name": holder_name[:70]}
    )
    audit_log(
        actor=actor, action="payout_account.set", target=account, subject=user, data={"iban_last4": parsed.compact[-4:]}
    )
    return account


def _transition(*, withdrawal: Withdrawal, to_status: str, actor: Any | None, reason: str = "") -> None:
    previous = withdrawal.status
    if to_status not in WITHDRAWAL_TRANSITIONS[previous]:
        raise Conflict(
            _("A withdrawal cannot move from %(from)s to %(to)s.")
            % {"from": withdrawal.get_status_display(), "to": Withdrawal.Status(to_status).label},
            code="withdrawal_bad_transition",
        )
    withdrawal.status = to_status
    withdrawal.save(update_fields=["status", "batch", "failure_reason", "updated_at"])
    WithdrawalStatusChange.objects.create(
        withdrawal=withdrawal,
        from_status=previous,
        to_status=to_status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason[:200],
    )
    audit_log(
        actor=actor,
        action=f"withdrawal.{to_status}",
        target=withdrawal,
        subject=withdrawal.user,
        data={"from": previous, "reason": reason[:200]},
    )


@transaction.atomic
def withdrawal_create(*, user: Any, amount_cents: int, actor: Any | None, currency: str | None = None) -> Withdrawal:
    """Ask for part of the available balance to be paid to the user's payout account."""
    currency = currency or default_currency()
    minimum = settings.PAYOUTS_WITHDRAWAL_MIN_CENTS
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents < minimum:
        raise ApplicationError(
            _("You can withdraw %(minimum)s or more.") % {"minimum": Money(minimum, currency).format()},
            code="below_minimum",
            detail={"amount": [_("The amount is below the minimum.")]},
        )
    account = PayoutAccount.objects.filter(user=user).first()
    if account is None:
        raise Conflict(_("Add the bank account to pay you out to first."), code="no_payout_account")
    available = ledger.freelancer_balances(user.pk, currency)["available"]
    if amount_cents > available:
        raise Conflict(
            _("You can withdraw at most %(available)s.") % {"available": Money(available, currency).format()},
            code="insufficient_funds",
            detail={"available_cents": available},
        )
    withdrawal = Withdrawal.objects.create(
        user=user,
        amount_cents=amount_cents,
        currency=currency,
        iban=account.iban,
        bic=account.bic,
        holder_name=account.holder_name,
    )
    WithdrawalStatusChange.objects.create(
        withdrawal=withdrawal,
        to_status=withdrawal.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # The ledger locks the payable account and re-checks the balance: of two concurrent
    # requests that together exceed it, the second is refused here and rolls back entirely.
    ledger.withdrawal_request(
        withdrawal_id=withdrawal.pk, user_id=user.pk, amount_cents=amount_cents, currency=currency, actor=actor
    )
    audit_log(
        actor=actor, action="withdrawal.requested", target=withdrawal, subject=user, data={"amount_cents": amount_cents}
    )
    return withdrawal


@transaction.atomic
def withdrawal_batch_create(
    *, actor: Any | None, execution_date: date | None = None, withdrawal_ids: list[int] | None = None
) -> WithdrawalBatch:
    """Put requested withdrawals (all, or the given ones) in one batch to pay by SEPA transfer."""
    today = timezone.localdate()
    execution_date = execution_date or today
    if execution_date < today:
        raise ApplicationError(_("The execution date cannot be in the past."), code="past_date")
    latest = today + timedelta(days=EXECUTION_DATE_MAX_DAYS)
    if execution_date > latest:
        raise ApplicationError(
            _("The execution date can be at most a year ahead: %(latest)s at the latest.")
            % {"latest": date_format(latest)},
            code="execution_date_too_late",
        )
    wanted = Withdrawal.objects.select_for_update().select_related("user").filter(status=Withdrawal.Status.REQUESTED)
    if withdrawal_ids is not None:
        wanted = wanted.filter(pk__in=withdrawal_ids)
    withdrawals = list(wanted.order_by("pk"))
    if not withdrawals:
        raise Conflict(_("There are no requested withdrawals to pay."), code="nothing_to_settle")
    currencies = {w.currency for w in withdrawals}
    if len(currencies) != 1:
        raise Conflict(_("A batch can hold withdrawals in one currency only."), code="mixed_currencies")
    batch = WithdrawalBatch.objects.create(
        message_id=f"COOP{timezone.now():%Y%m%d%H%M%S}{secrets.token_hex(4).upper()}",
        execution_date=execution_date,
        currency=currencies.pop(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for withdrawal in withdrawals:
        withdrawal.batch = batch
        _transition(withdrawal=withdrawal, to_status=Withdrawal.Status.EXPORTED, actor=actor)
    audit_log(actor=actor, action="withdrawal_batch.created", target=batch, data={"count": len(withdrawals)})
    return batch


@transaction.atomic
def withdrawal_batch_settle(*, batch_id: int, actor: Any | None) -> WithdrawalBatch:
    """Mark a batch as paid by the bank: every withdrawal in it that did not fail is settled.

    Not before its execution date: the bank does not pay a batch before the date it was asked to.
    """
    batch = WithdrawalBatch.objects.select_for_update().get(pk=batch_id)
    if batch.status != WithdrawalBatch.Status.EXPORTED:
        raise Conflict(_("This batch was already settled."), code="batch_settled")
    if timezone.localdate() < batch.execution_date:
        raise Conflict(
            _("The bank pays this batch on %(date)s; it can be marked paid from that day on.")
            % {"date": date_format(batch.execution_date)},
            code="batch_not_due",
            detail={"execution_date": batch.execution_date.isoformat()},
        )
    withdrawals = list(
        batch.withdrawals.select_for_update()
        .select_related("user")
        .filter(status=Withdrawal.Status.EXPORTED)
        .order_by("pk")
    )
    for withdrawal in withdrawals:
        ledger.withdrawal_settle(withdrawal_id=withdrawal.pk, provider=Provider.BANK_TRANSFER, actor=actor)
        _transition(withdrawal=withdrawal, to_status=Withdrawal.Status.SETTLED, actor=actor)
    batch.status = WithdrawalBatch.Status.SETTLED
    batch.settled_at = timezone.now()
    batch.save(update_fields=["status", "settled_at", "updated_at"])
    audit_log(actor=actor, action="withdrawal_batch.settled", target=batch, data={"count": len(withdrawals)})
    return batch


@transaction.atomic
def withdrawal_settle_via_provider(*, withdrawal_id: int, provider: str, actor: Any | None) -> Withdrawal:
    """Pay one requested withdrawal through a provider's API (Stripe Connect) and settle it.

    The withdrawal stays locked while the provider is called, so it cannot also be put in a SEPA
    batch; the provider call carries an idempotency key, so a retry after a lost answer or a
    rollback never pays twice.
    """
    sender = get_payout_sender(provider)
    withdrawal = Withdrawal.objects.select_for_update().select_related("user").get(pk=withdrawal_id)
    if withdrawal.status != Withdrawal.Status.REQUESTED:
        raise Conflict(
            _("Only a requested withdrawal can be paid out; this one is %(status)s.")
            % {"status": withdrawal.get_status_display()},
            code="withdrawal_not_requested",
        )
    sender.send_payout(withdrawal_id=withdrawal.pk, actor=actor)
    ledger.withdrawal_settle(withdrawal_id=withdrawal.pk, provider=provider, actor=actor)
    _transition(withdrawal=withdrawal, to_status=Withdrawal.Status.SETTLED, actor=actor)
    return withdrawal


@transaction.atomic
def withdrawal_fail(*, withdrawal_id: int, reason: str, actor: Any | None) -> Withdrawal:
    """Record that a withdrawal could not be paid (a bank rejection): the money goes back."""
    withdrawal = Withdrawal.objects.select_for_update().select_related("user").get(pk=withdrawal_id)
    reason = reason.strip()
    if not reason:
        raise ApplicationError(
            _("Say why the withdrawal failed."), code="bad_reason", detail={"reason": [_("This field is required.")]}
        )
    withdrawal.failure_reason = reason[:200]
    _transition(withdrawal=withdrawal, to_status=Withdrawal.Status.FAILED, actor=actor, reason=reason)
    ledger.withdrawal_fail(withdrawal_id=withdrawal.pk, actor=actor)
    return withdrawal

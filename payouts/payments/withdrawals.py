"""Writes for payout accounts, withdrawals and the batches that pay them out.

Lock order: withdrawal batch, then withdrawals in id order, then ledger accounts (in batch_post).
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from core.exceptions import ApplicationError, Conflict, NotAllowed
from core.money import Money, default_currency
from core.permissions import authorize
from core.services import audit_log
from core.transitions import transition
from payouts import ledger
from payouts.exceptions import ErrorCode
from payouts.models import (
    PayoutAccount,
    Provider,
    Withdrawal,
    WithdrawalBatch,
    WithdrawalBatchStatusChange,
    WithdrawalStatusChange,
)
from payouts.notifications import payout_sent_notify
from payouts.payments.gates import withdrawal_gates_check
from payouts.payments.providers import get_payout_sender

if TYPE_CHECKING:
    from membership.models import User

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
            code=ErrorCode.BAD_BIC,
            detail={"bic": [_("This is not a valid BIC.")]},
        ) from None


def clean_iban(value: str) -> IBAN:
    """Return the IBAN parsed and checked, or refuse it with a clear message."""
    try:
        return IBAN(value)
    except (SchwiftyException, ValueError):
        raise ApplicationError(
            _("This is not a valid IBAN. Check the country code, the check digits and the length."),
            code=ErrorCode.BAD_IBAN,
            detail={"iban": [_("This is not a valid IBAN.")]},
        ) from None


@transaction.atomic
def payout_account_set(*, user: User, iban: str, holder_name: str, bic: str = "", actor: User | None) -> PayoutAccount:
    """Set where the user's withdrawals are paid to."""
    authorize(actor or user, "earnings.payout_account", user)
    parsed = clean_iban(iban)
    bic = clean_bic(bic)
    holder_name = " ".join(holder_name.split())
    if not holder_name:
        raise ApplicationError(
            _("Enter the account holder's name."),
            code=ErrorCode.BAD_HOLDER_NAME,
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


def _person(actor: User | None) -> User | None:
    """Return the actor when it is a signed-in person (not a task or a webhook)."""
    return actor if actor is not None and actor.is_authenticated else None


def _withdrawal_move(*, withdrawal: Withdrawal, to_status: str, actor: User | None, reason: str = "") -> None:
    transition(
        withdrawal,
        to_status,
        actor=actor,
        update_fields=("batch", "failure_reason"),
        history_data={"reason": reason[:200]},
        audit_data={"reason": reason[:200]},
        subject=withdrawal.user,
    )


@transaction.atomic
def withdrawal_create(*, user: User, amount_cents: int, actor: User | None, currency: str | None = None) -> Withdrawal:
    """Ask for part of the available balance to be paid to the user's payout account."""
    authorize(actor, "earnings.withdraw", user)
    currency = currency or default_currency()
    minimum = settings.PAYOUTS_WITHDRAWAL_MIN_CENTS
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents < minimum:
        raise ApplicationError(
            _("You can withdraw %(minimum)s or more.") % {"minimum": Money(minimum, currency).format()},
            code=ErrorCode.BELOW_MINIMUM,
            detail={"amount": [_("The amount is below the minimum.")]},
        )
    account = PayoutAccount.objects.filter(user=user).first()
    if account is None:
        raise Conflict(_("Add the bank account to pay you out to first."), code=ErrorCode.NO_PAYOUT_ACCOUNT)
    withdrawal_gates_check(user)
    available = ledger.freelancer_balances(user.pk, currency)["available"]
    if amount_cents > available:
        raise Conflict(
            _("You can withdraw at most %(available)s.") % {"available": Money(available, currency).format()},
            code=ErrorCode.INSUFFICIENT_FUNDS,
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
    WithdrawalStatusChange.objects.create(withdrawal=withdrawal, to_status=withdrawal.status, actor=_person(actor))
    # The ledger locks the payable account and re-checks the balance: of two concurrent
    # requests that together exceed it, the second is refused here and rolls back entirely.
    ledger.withdrawal_request(
        withdrawal_id=withdrawal.pk, user_id=user.pk, amount_cents=amount_cents, currency=currency, actor=actor
    )
    audit_log(
        actor=actor, action="withdrawal.requested", target=withdrawal, subject=user, data={"amount_cents": amount_cents}
    )
    return withdrawal


def batch_execution_date_check(execution_date: date | None) -> date:
    """Return the batch's execution date (today when none), or refuse one in the past or over a year ahead."""
    today = timezone.localdate()
    execution_date = execution_date or today
    if execution_date < today:
        raise ApplicationError(_("The execution date cannot be in the past."), code=ErrorCode.PAST_DATE)
    latest = today + timedelta(days=EXECUTION_DATE_MAX_DAYS)
    if execution_date > latest:
        raise ApplicationError(
            _("The execution date can be at most a year ahead: %(latest)s at the latest.")
            % {"latest": date_format(latest)},
            code=ErrorCode.EXECUTION_DATE_TOO_LATE,
        )
    return execution_date


@transaction.atomic
def withdrawal_batch_create(
    *, actor: User | None, execution_date: date | None = None, withdrawal_ids: list[int] | None = None
) -> WithdrawalBatch:
    """Put requested withdrawals (all, or the given ones) in one batch to pay by SEPA transfer."""
    authorize(actor, "withdrawal_batch.create")
    execution_date = batch_execution_date_check(execution_date)
    wanted = Withdrawal.objects.select_for_update().select_related("user").filter(status=Withdrawal.Status.REQUESTED)
    if withdrawal_ids is not None:
        wanted = wanted.filter(pk__in=withdrawal_ids)
    withdrawals = list(wanted.order_by("pk"))
    if not withdrawals:
        raise Conflict(_("There are no requested withdrawals to pay."), code=ErrorCode.NOTHING_TO_SETTLE)
    currencies = {w.currency for w in withdrawals}
    if len(currencies) != 1:
        raise Conflict(_("A batch can hold withdrawals in one currency only."), code=ErrorCode.MIXED_CURRENCIES)
    batch = WithdrawalBatch.objects.create(
        message_id=f"COOP{timezone.now():%Y%m%d%H%M%S}{secrets.token_hex(4).upper()}",
        execution_date=execution_date,
        currency=currencies.pop(),
        created_by=_person(actor),
    )
    WithdrawalBatchStatusChange.objects.create(batch=batch, to_status=batch.status, actor=_person(actor))
    for withdrawal in withdrawals:
        withdrawal.batch = batch
        _withdrawal_move(withdrawal=withdrawal, to_status=Withdrawal.Status.EXPORTED, actor=actor)
    audit_log(actor=actor, action="withdrawal_batch.created", target=batch, data={"count": len(withdrawals)})
    return batch


@transaction.atomic
def withdrawal_batch_settle(*, batch_id: int, actor: User | None) -> WithdrawalBatch:
    """Mark a batch as paid by the bank: every withdrawal in it that did not fail is settled.

    Not before its execution date: the bank does not pay a batch before the date it was asked to.
    """
    authorize(actor, "withdrawal_batch.settle")
    batch = WithdrawalBatch.objects.select_for_update().get(pk=batch_id)
    if batch.status != WithdrawalBatch.Status.EXPORTED:
        raise Conflict(_("This batch was already settled."), code=ErrorCode.BATCH_SETTLED)
    person = _person(actor)
    if person is not None and batch.created_by_id == person.pk:
        # Four eyes on money leaving: whoever exported the batch does not also confirm it paid.
        raise NotAllowed(
            _("You created this batch, so someone else from finance must confirm that the bank paid it."),
            code=ErrorCode.BATCH_SAME_PERSON,
        )
    if timezone.localdate() < batch.execution_date:
        raise Conflict(
            _("The bank pays this batch on %(date)s; it can be marked paid from that day on.")
            % {"date": date_format(batch.execution_date)},
            code=ErrorCode.BATCH_NOT_DUE,
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
        _withdrawal_move(withdrawal=withdrawal, to_status=Withdrawal.Status.SETTLED, actor=actor)
        payout_sent_notify(withdrawal)
    batch.settled_at = timezone.now()
    transition(
        batch,
        WithdrawalBatch.Status.SETTLED,
        actor=actor,
        update_fields=("settled_at",),
        audit_data={"count": len(withdrawals)},
    )
    return batch


@transaction.atomic
def withdrawal_settle_via_provider(*, withdrawal_id: int, provider: str, actor: User | None) -> Withdrawal:
    """Pay one requested withdrawal through a provider's API (Stripe Connect) and settle it.

    The withdrawal stays locked while the provider is called, so it cannot also be put in a SEPA
    batch; the provider call carries an idempotency key, so a retry after a lost answer or a
    rollback never pays twice.
    """
    authorize(actor, "withdrawal.settle")
    sender = get_payout_sender(provider)
    withdrawal = Withdrawal.objects.select_for_update().select_related("user").get(pk=withdrawal_id)
    if withdrawal.status != Withdrawal.Status.REQUESTED:
        raise Conflict(
            _("Only a requested withdrawal can be paid out; this one is %(status)s.")
            % {"status": withdrawal.get_status_display()},
            code=ErrorCode.WITHDRAWAL_NOT_REQUESTED,
        )
    sender.send_payout(withdrawal_id=withdrawal.pk, actor=actor)
    ledger.withdrawal_settle(withdrawal_id=withdrawal.pk, provider=provider, actor=actor)
    _withdrawal_move(withdrawal=withdrawal, to_status=Withdrawal.Status.SETTLED, actor=actor)
    payout_sent_notify(withdrawal)
    return withdrawal


@transaction.atomic
def withdrawal_fail(*, withdrawal_id: int, reason: str, actor: User | None) -> Withdrawal:
    """Record that a withdrawal could not be paid (a bank rejection): the money goes back."""
    authorize(actor, "withdrawal.fail")
    withdrawal = Withdrawal.objects.select_for_update().select_related("user").get(pk=withdrawal_id)
    reason = reason.strip()
    if not reason:
        raise ApplicationError(
            _("Say why the withdrawal failed."),
            code=ErrorCode.BAD_REASON,
            detail={"reason": [_("This field is required.")]},
        )
    withdrawal.failure_reason = reason[:200]
    _withdrawal_move(withdrawal=withdrawal, to_status=Withdrawal.Status.FAILED, actor=actor, reason=reason)
    ledger.withdrawal_fail(withdrawal_id=withdrawal.pk, actor=actor)
    return withdrawal

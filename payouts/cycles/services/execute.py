"""Pay a cycle out from its frozen allocation: funds, then each member's retained and cash parts.

Every ledger batch has a key derived from the cycle and the member or fund, and each row's "done"
mark commits in the same transaction as its batch, so a worker killed at any point and started
again posts each part exactly once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from core.transitions import transition
from payouts import ledger
from payouts.cycles.models import CycleAllocation, CycleFund, CycleStatus, PayoutCycle
from payouts.cycles.notifications import statement_ready_notify
from payouts.cycles.services.compute import batch_size, cycle_fail

if TYPE_CHECKING:
    from membership.models import User

CASH_KIND = ledger.PATRONAGE_CASH_KIND


def retained_key(cycle_id: int, member_id: int) -> str:
    return f"cycle:{cycle_id}:member:{member_id}:retained"


def cash_key(cycle_id: int, member_id: int) -> str:
    return f"cycle:{cycle_id}:member:{member_id}:cash"


def fund_key(cycle_id: int, name: str) -> str:
    return f"cycle:{cycle_id}:fund:{name}"


@transaction.atomic
def _execute_fund(fund_id: int, cycle: PayoutCycle, actor: User | None) -> None:
    fund = CycleFund.objects.select_for_update().get(pk=fund_id)
    if fund.done:
        return
    if fund.amount_cents:
        ledger.fund_allocate(
            fund=fund.name,
            amount_cents=fund.amount_cents,
            currency=cycle.currency,
            key=fund_key(cycle.pk, fund.name),
            actor=actor,
            memo=_("Payout cycle %(cycle)s: %(fund)s fund") % {"cycle": str(cycle), "fund": fund.name},
        )
    fund.done = True
    fund.save(update_fields=["done"])


def _pay_cash(row: CycleAllocation, cycle: PayoutCycle, actor: User | None) -> None:
    """Credit the cash part to the member's payable balance, and ask to pay it out if we can."""
    fee_income = ledger.account_get(purpose=ledger.AccountPurpose.FEE_INCOME, currency=cycle.currency)
    payable = ledger.account_get(
        purpose=ledger.AccountPurpose.PAYABLE,
        currency=cycle.currency,
        owner_type="user",
        owner_id=row.member.user_id,
        user_id=row.member.user_id,
    )
    ledger.batch_post(
        key=cash_key(cycle.pk, row.member_id),
        kind=CASH_KIND,
        legs=[ledger.Leg(fee_income, payable, row.cash_cents)],
        actor=actor,
        memo=_("Patronage paid in cash to member %(id)s") % {"id": row.member_id},
        data={"cycle_id": cycle.pk, "member_id": row.member_id},
        subject_id=row.member.user_id,
    )
    if not getattr(settings, "PAYOUT_CYCLES_WITHDRAW_CASH", True):
        return
    from payouts.payments import PayoutAccount
    from payouts.payments.withdrawals import withdrawal_create

    if row.cash_cents < settings.PAYOUTS_WITHDRAWAL_MIN_CENTS:
        return
    if not PayoutAccount.objects.filter(user_id=row.member.user_id).exists():
        return
    try:
        with transaction.atomic():
            withdrawal = withdrawal_create(
                user=row.member.user, amount_cents=row.cash_cents, actor=actor, currency=cycle.currency
            )
    except ApplicationError:
        # The member spent part of the balance meanwhile; the cash stays in their balance and
        # the next earnings payout pays it.
        return
    row.withdrawal_id = withdrawal.pk


@transaction.atomic
def _execute_member(row_id: int, cycle: PayoutCycle, actor: User | None) -> None:
    row = CycleAllocation.objects.select_for_update().select_related("member__user").get(pk=row_id)
    if row.retained_done and row.cash_done:
        return
    if not (row.retained_done or row.cash_done):
        # Both parts are marked done in this one transaction, so a resumed run tells nobody twice.
        statement_ready_notify(row, cycle)
    if not row.retained_done:
        if row.retained_cents:
            ledger.member_capital_credit(
                member_id=row.member_id,
                user_id=row.member.user_id,
                amount_cents=row.retained_cents,
                currency=cycle.currency,
                source_key=retained_key(cycle.pk, row.member_id),
                actor=actor,
                memo=_("Patronage retained, payout cycle %(cycle)s") % {"cycle": str(cycle)},
            )
        row.retained_done = True
    if not row.cash_done:
        if row.cash_cents:
            _pay_cash(row, cycle, actor)
        row.cash_done = True
    row.save(update_fields=["retained_done", "cash_done", "withdrawal_id"])


@transaction.atomic
def _progress(cycle_id: int) -> int | None:
    cycle = PayoutCycle.objects.select_for_update().get(pk=cycle_id)
    if cycle.status != CycleStatus.EXECUTING:
        return None
    cycle.progress_done = cycle.allocations.filter(retained_done=True, cash_done=True).count()
    cycle.save(update_fields=["progress_done", "updated_at"])
    return cycle.progress_done


@transaction.atomic
def _settle(cycle_id: int, *, error: str = "") -> PayoutCycle:
    cycle = PayoutCycle.objects.select_for_update().get(pk=cycle_id)
    if cycle.status != CycleStatus.EXECUTING:
        return cycle
    if error:
        return cycle_fail(cycle, error)
    open_rows = cycle.allocations.exclude(retained_done=True, cash_done=True).exists()
    if open_rows or cycle.funds.filter(done=False).exists():
        reason = _("Some parts were not paid out.")
        return cycle_fail(cycle, reason)
    transition(cycle, CycleStatus.PAID, actor=None)
    return cycle


def cycle_execute(*, cycle_id: int, actor: User | None = None) -> PayoutCycle:
    """Pay out an executing cycle; safe to run again, and after a crash, to resume."""
    cycle = PayoutCycle.objects.get(pk=cycle_id)
    if cycle.status != CycleStatus.EXECUTING:
        return cycle
    try:
        for fund_id in cycle.funds.filter(done=False).order_by("position").values_list("pk", flat=True):
            _execute_fund(fund_id, cycle, actor)
        pending = list(
            cycle.allocations.exclude(retained_done=True, cash_done=True)
            .order_by("member_id")
            .values_list("pk", flat=True)
        )
        size = batch_size()
        for offset in range(0, len(pending), size):
            for row_id in pending[offset : offset + size]:
                _execute_member(row_id, cycle, actor)
            done = _progress(cycle_id)
            if done is None:
                return PayoutCycle.objects.get(pk=cycle_id)
    except ApplicationError as error:
        return _settle(cycle_id, error=str(error.message))
    return _settle(cycle_id)

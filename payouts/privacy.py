"""The personal data of the ledger and of money in and out, for "download my data" and account deletion.

Nearly all of it is bookkeeping the law makes the coop keep, so deletion keeps the rows under the
pseudonym the user row gets and only rewrites names inside them. Batches and postings are
append-only (a database trigger refuses any update), so their memos and data must hold ids, never
names: the ledger's own events do, and a memo that named someone would make deletion fail loudly
rather than leave the name.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.privacy import DELETE, KEEP, PSEUDONYM, register_deletion_guard, register_personal_data

# Dutch law: Civil Code (BW) art. 2:10 and General Tax Act (AWR) art. 52 require books and their
# source records to be kept for seven years.
BOOKKEEPING = _(
    "The law requires the coop to keep its books and the records behind them for seven years "
    "(Dutch Civil Code art. 2:10, General Tax Act art. 52); they are kept under a pseudonym."
)


def ledger_accounts_of(user: Any) -> QuerySet:
    """Return the ledger accounts that belong to the person or are held for them."""
    from membership.models import Member
    from payouts.models import Account

    member_ids = [str(pk) for pk in Member.objects.filter(user_id=user.pk).values_list("pk", flat=True)]
    return Account.objects.filter(
        Q(user_id=user.pk)
        | Q(beneficiary_id=user.pk)
        | Q(owner_type="user", owner_id=str(user.pk))
        | Q(owner_type="member", owner_id__in=member_ids)
    )


def _postings_of(user: Any) -> QuerySet:
    from payouts.models import Posting

    accounts = ledger_accounts_of(user).values("pk")
    return Posting.objects.filter(Q(from_account__in=accounts) | Q(to_account__in=accounts))


def _batches_of(user: Any) -> QuerySet:
    from payouts.models import Batch

    return Batch.objects.filter(Q(actor_id=user.pk) | Q(pk__in=_postings_of(user).values("batch_id")))


def _money_owed(user: Any) -> str | None:
    """Refuse deletion while the coop still owes the person money: it could no longer pay it."""
    from django.utils.translation import gettext

    from core.money import Money
    from payouts.ledger import AccountPurpose, with_balances
    from payouts.models import Account, Withdrawal

    owed = (
        with_balances(
            Account.objects.filter(
                owner_type="user",
                owner_id=str(user.pk),
                purpose__in=[AccountPurpose.PAYABLE, AccountPurpose.PAYOUT_PENDING],
            )
        )
        .filter(balance_cents__gt=0)
        .values_list("purpose", "currency", "balance_cents")
    )
    available: dict[str, int] = {}
    pending: dict[str, int] = {}
    for purpose, currency, cents in owed:
        target = available if purpose == AccountPurpose.PAYABLE else pending
        target[currency] = target.get(currency, 0) + cents
    open_withdrawals = Withdrawal.objects.filter(
        user_id=user.pk, status__in=[Withdrawal.Status.REQUESTED, Withdrawal.Status.EXPORTED]
    )
    if available:
        amount = ", ".join(Money(cents, currency).format() for currency, cents in sorted(available.items()))
        return gettext(
            "You still have %(amount)s in earnings that we have not paid out to you. Withdraw it first; "
            "once it has been paid out you can delete your account."
        ) % {"amount": amount}
    if pending or open_withdrawals.exists():
        return gettext(
            "We have not yet paid out your withdrawal. You can delete your account once it has been paid, "
            "so that we still know where to send the money."
        )
    return None


def register() -> None:
    from payouts.models import (
        Account,
        BankPayment,
        BankPaymentStatusChange,
        Batch,
        PaymentRequest,
        PaymentRequestStatusChange,
        PayoutAccount,
        Posting,
        Withdrawal,
        WithdrawalBatch,
        WithdrawalBatchStatusChange,
        WithdrawalStatusChange,
    )

    register_personal_data(
        Account,
        ledger_accounts_of,
        erase=KEEP,
        purpose=_("Your accounts in the coop's books: earnings, money held in escrow for you, your shares."),
        keep_reason=BOOKKEEPING,
    )
    register_personal_data(
        Batch,
        _batches_of,
        erase=KEEP,
        purpose=_("The bookings that moved money on your accounts, or that you made as finance staff."),
        keep_reason=BOOKKEEPING,
    )
    register_personal_data(
        Posting,
        _postings_of,
        erase=KEEP,
        purpose=_("Every amount booked to or from your accounts."),
        keep_reason=BOOKKEEPING,
    )
    register_personal_data(
        PaymentRequest,
        "payer",
        erase=KEEP,
        purpose=_("What you were asked to pay (shares, milestones), and what you paid."),
        keep_reason=BOOKKEEPING,
    )
    register_personal_data(
        PaymentRequestStatusChange,
        ("payment_request__payer", "actor"),
        erase=KEEP,
        purpose=_("The history of your payments."),
        keep_reason=BOOKKEEPING,
    )
    register_personal_data(
        BankPayment,
        ("payment_request__payer", "resolved_request__payer", "recorded_by"),
        erase=KEEP,
        purpose=_("Bank transfers we received from you, or that you recorded as finance staff."),
        keep_reason=BOOKKEEPING,
    )
    register_personal_data(
        BankPaymentStatusChange,
        ("bank_payment__payment_request__payer", "bank_payment__resolved_request__payer", "actor"),
        erase=KEEP,
        purpose=_("The history of bank transfers we received from you, or that you handled as finance staff."),
        keep_reason=BOOKKEEPING,
    )
    # Where to pay the person in future: no record of a payment, so nothing to keep once the
    # account is gone (the guard below makes sure nothing is still to be paid).
    register_personal_data(
        PayoutAccount,
        "user",
        erase=DELETE,
        purpose=_("The bank account we pay your earnings to."),
    )
    # A payout is a payment record: amount, date and the IBAN paid to are kept, as the bank
    # statement shows them too; the holder's name is not needed to prove the payment.
    register_personal_data(
        Withdrawal,
        "user",
        erase={"holder_name": PSEUDONYM},
        purpose=_("Your withdrawals: how much was paid out, when, and to which bank account."),
        keep_reason=BOOKKEEPING,
    )
    register_personal_data(
        WithdrawalStatusChange,
        ("withdrawal__user", "actor"),
        erase=KEEP,
        purpose=_("The history of your withdrawals."),
        keep_reason=BOOKKEEPING,
    )
    register_personal_data(
        WithdrawalBatch,
        ("withdrawals__user", "created_by"),
        erase=KEEP,
        purpose=_("The bank transfer batches that paid your withdrawals, or that you made as finance staff."),
        keep_reason=BOOKKEEPING,
    )
    register_personal_data(
        WithdrawalBatchStatusChange,
        ("batch__withdrawals__user", "actor"),
        erase=KEEP,
        purpose=_("The history of the bank transfer batches that paid your withdrawals."),
        keep_reason=BOOKKEEPING,
    )
    register_deletion_guard(_money_owed)

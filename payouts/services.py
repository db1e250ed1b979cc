"""The payouts app's writes, in one place for views, the API and other apps.

Money events live in payouts.ledger; payment requests and bank payments in payouts.payments;
payout accounts and withdrawals in payouts.payments.withdrawals.
"""

from payouts.payments.services import (
    bank_payment_record,
    payment_request_cancel,
    payment_request_create,
    payment_request_receive,
    suspense_apply,
    suspense_refund,
)
from payouts.payments.withdrawals import (
    payout_account_set,
    withdrawal_batch_create,
    withdrawal_batch_settle,
    withdrawal_create,
    withdrawal_fail,
)

__all__ = [
    "bank_payment_record",
    "payment_request_cancel",
    "payment_request_create",
    "payment_request_receive",
    "payout_account_set",
    "suspense_apply",
    "suspense_refund",
    "withdrawal_batch_create",
    "withdrawal_batch_settle",
    "withdrawal_create",
    "withdrawal_fail",
]

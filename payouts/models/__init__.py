"""The payouts app's models: the ledger and the payments around it."""

from payouts.models.ledger import Account, AccountPurpose, Batch, Posting
from payouts.models.payments import (
    PAYMENT_REQUEST_TRANSITIONS,
    WITHDRAWAL_TRANSITIONS,
    BankPayment,
    PaymentRequest,
    PaymentRequestStatusChange,
    PayoutAccount,
    Provider,
    Withdrawal,
    WithdrawalBatch,
    WithdrawalStatusChange,
)

__all__ = [
    "PAYMENT_REQUEST_TRANSITIONS",
    "WITHDRAWAL_TRANSITIONS",
    "Account",
    "AccountPurpose",
    "BankPayment",
    "Batch",
    "PaymentRequest",
    "PaymentRequestStatusChange",
    "PayoutAccount",
    "Posting",
    "Provider",
    "Withdrawal",
    "WithdrawalBatch",
    "WithdrawalStatusChange",
]

"""The payouts app's models: the ledger and the payments around it."""

from payouts.models.ledger import Account, AccountPurpose, Batch, Posting, PostingRollup
from payouts.models.payments import (
    BankPayment,
    BankPaymentStatusChange,
    PaymentRequest,
    PaymentRequestStatusChange,
    PayoutAccount,
    Provider,
    Withdrawal,
    WithdrawalBatch,
    WithdrawalBatchStatusChange,
    WithdrawalStatusChange,
)

__all__ = [
    "Account",
    "AccountPurpose",
    "BankPayment",
    "BankPaymentStatusChange",
    "Batch",
    "PaymentRequest",
    "PaymentRequestStatusChange",
    "PayoutAccount",
    "Posting",
    "PostingRollup",
    "Provider",
    "Withdrawal",
    "WithdrawalBatch",
    "WithdrawalBatchStatusChange",
    "WithdrawalStatusChange",
]

"""Getting money in and out: payment requests, providers, bank payments and withdrawals.

Import this package only after Django has loaded its apps.
"""

from payouts.models import BankPayment, PaymentRequest, PayoutAccount, Withdrawal, WithdrawalBatch
from payouts.payments.providers import PaymentProvider, enabled_providers, get_provider, register_provider
from payouts.payments.services import (
    bank_payment_record,
    payment_request_cancel,
    payment_request_create,
    payment_request_receive,
    suspense_apply,
    suspense_refund,
)

__all__ = [
    "BankPayment",
    "PaymentProvider",
    "PaymentRequest",
    "PayoutAccount",
    "Withdrawal",
    "WithdrawalBatch",
    "bank_payment_record",
    "enabled_providers",
    "get_provider",
    "payment_request_cancel",
    "payment_request_create",
    "payment_request_receive",
    "register_provider",
    "suspense_apply",
    "suspense_refund",
]

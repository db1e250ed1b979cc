"""The codes the Stripe gateway refuses with; the API's and the webhook endpoint's `code` values."""

from enum import StrEnum


class ErrorCode(StrEnum):
    BAD_AMOUNT = "bad_amount"
    BAD_CURRENCY = "bad_currency"
    BAD_SIGNATURE = "bad_signature"
    CONNECT_NOT_READY = "connect_not_ready"
    NO_LEDGER_REFUND = "no_ledger_refund"
    NOT_A_CARD_PAYMENT = "not_a_card_payment"
    NOT_A_FREELANCER = "not_a_freelancer"
    NOT_PAID_BY_CARD = "not_paid_by_card"
    PAYMENT_REQUEST_CLOSED = "payment_request_closed"
    PROVIDER_UNAVAILABLE = "provider_unavailable"
    REFUND_TOO_LARGE = "refund_too_large"
    SECOND_PAYMENT = "second_payment"
    STRIPE_ERROR = "stripe_error"
    UNEXPECTED_PAYMENT_INTENT = "unexpected_payment_intent"
    WITHDRAWAL_NOT_REQUESTED = "withdrawal_not_requested"
    WITHDRAWAL_UNKNOWN = "withdrawal_unknown"

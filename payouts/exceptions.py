"""The codes the ledger, payments and withdrawals refuse with; the API's `code` values."""

from enum import StrEnum


class ErrorCode(StrEnum):
    # The ledger
    BAD_AMOUNT = "bad_amount"
    BAD_CATEGORY = "bad_category"
    BAD_FEE_PERCENT = "bad_fee_percent"
    BAD_FUND = "bad_fund"
    CURRENCY_MISMATCH = "currency_mismatch"
    EMPTY_BATCH = "empty_batch"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    NOT_RELEASED = "not_released"
    SAME_ACCOUNT = "same_account"
    WITHDRAWAL_UNKNOWN = "withdrawal_unknown"
    # The allocation engine (payouts.allocation)
    INVALID_SURPLUS_POLICY = "invalid_surplus_policy"
    # Payment requests, providers and received bank payments
    ALREADY_RECORDED = "already_recorded"
    BAD_CURRENCY = "bad_currency"
    BANK_TRANSACTION_MISMATCH = "bank_transaction_mismatch"
    FUTURE_DATE = "future_date"
    IMPLAUSIBLE_DATE = "implausible_date"
    NOT_IN_SUSPENSE = "not_in_suspense"
    OVERPAYMENT = "overpayment"
    PAYMENT_REQUEST_CLOSED = "payment_request_closed"
    PROVIDER_CANNOT_PAY_OUT = "provider_cannot_pay_out"
    PROVIDER_UNAVAILABLE = "provider_unavailable"
    REFERENCE_EXHAUSTED = "reference_exhausted"
    UNKNOWN_PAYMENT_PURPOSE = "unknown_payment_purpose"
    UNKNOWN_REFERENCE = "unknown_reference"
    # Payout accounts, withdrawals and SEPA batches
    BAD_BIC = "bad_bic"
    BAD_HOLDER_NAME = "bad_holder_name"
    BAD_IBAN = "bad_iban"
    BAD_REASON = "bad_reason"
    BATCH_NOT_DUE = "batch_not_due"
    BATCH_SETTLED = "batch_settled"
    BELOW_MINIMUM = "below_minimum"
    EXECUTION_DATE_TOO_LATE = "execution_date_too_late"
    MIXED_CURRENCIES = "mixed_currencies"
    NO_PAYOUT_ACCOUNT = "no_payout_account"
    NOTHING_TO_SETTLE = "nothing_to_settle"
    PAST_DATE = "past_date"
    SEPA_INVALID = "sepa_invalid"
    WITHDRAWAL_NOT_REQUESTED = "withdrawal_not_requested"

from enum import StrEnum


class ErrorCode(StrEnum):
    """The stable codes of the open books' refusals (the API's `code`)."""

    BAD_AMOUNT = "bad_amount"
    BAD_CATEGORY = "bad_category"
    BAD_DESCRIPTION = "bad_description"
    BAD_SUPPLIER = "bad_supplier"
    BAD_YEAR = "bad_year"
    BAD_BUDGET = "bad_budget"
    RECEIPT_MISSING = "receipt_missing"
    RECEIPT_TOO_LARGE = "receipt_too_large"
    RECEIPT_TYPE = "receipt_type"
    OWN_CLAIM = "own_claim"
    NO_PAYOUT_ACCOUNT = "no_payout_account"
    PERIOD_CLOSED = "period_closed"
    PERIOD_NOT_ENDED = "period_not_ended"
    PERIOD_NOT_CLOSED = "period_not_closed"
    BOOKS_NOT_PUBLIC = "books_not_public"
    UNKNOWN_DATASET = "unknown_dataset"

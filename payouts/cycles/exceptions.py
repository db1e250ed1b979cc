"""The codes payout cycles, surplus policies and earnings payouts refuse with; the API's `code` values."""

from enum import StrEnum


class ErrorCode(StrEnum):
    ALLOCATION_HASH_INVALID = "allocation_hash_invalid"
    ALLOCATION_HASH_MISMATCH = "allocation_hash_mismatch"
    ALLOCATION_HASH_MISSING = "allocation_hash_missing"
    ALLOCATION_UNKNOWN = "allocation_unknown"
    BAD_PERIOD = "bad_period"
    BASIS_UNAVAILABLE = "basis_unavailable"
    CYCLE_ID_INVALID = "cycle_id_invalid"
    CYCLE_NOT_APPROVED = "cycle_not_approved"
    CYCLE_NOT_COMPUTED = "cycle_not_computed"
    CYCLE_NOT_FOUND = "cycle_not_found"
    MEMBER_VOTE_REQUIRED = "member_vote_required"
    NO_PATRONAGE = "no_patronage"
    NO_POLICY = "no_policy"
    NOTHING_TO_PAY = "nothing_to_pay"
    PERIOD_NOT_OVER = "period_not_over"
    PERIOD_OVERLAP = "period_overlap"
    POLICY_EXISTS = "policy_exists"
    RESUME_COMPUTE = "resume_compute"
    RESUME_EXECUTION = "resume_execution"
    STAFF_ONLY = "staff_only"
    STATEMENT_NOT_FOUND = "statement_not_found"
    VOTE_ALREADY_REQUESTED = "vote_already_requested"

"""Governance refusals, each with a stable code from ErrorCode (the API's `code` values)."""

from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, Conflict, NotAllowed


class ErrorCode(StrEnum):
    """Every code governance's refusals carry. A move a status table forbids is core's "bad_transition"."""

    # Proposals and their discussion
    TITLE_REQUIRED = "title_required"
    TITLE_TOO_LONG = "title_too_long"
    INVALID_PAYLOAD = "invalid_payload"
    MEMBERS_ONLY = "members_only"
    NOT_AUTHOR = "not_author"
    NOT_A_DRAFT = "not_a_draft"
    AMEND_CLOSED = "amend_closed"
    WITHDRAW_CLOSED = "withdraw_closed"
    DECISION_HELD = "decision_held"
    COMMENT_EMPTY = "comment_empty"
    COMMENTS_CLOSED = "comments_closed"
    NOTICE_TOO_SHORT = "notice_too_short"
    URGENT_NOT_ALLOWED = "urgent_not_allowed"
    # Rules
    NO_RULES = "no_rules"
    INVALID_RULES = "invalid_rules"
    # Ballots and votes
    BALLOT_NOT_DUE = "ballot_not_due"
    BALLOT_NOT_OPEN = "ballot_not_open"
    NOT_ON_VOTER_ROLL = "not_on_voter_roll"
    EMAIL_NOT_VERIFIED = "email_not_verified"
    ALREADY_VOTED = "already_voted"
    INVALID_CHOICE = "invalid_choice"
    REASON_TOO_LONG = "reason_too_long"
    SECRET_NO_REASON = "secret_no_reason"
    VOTED_IN_PERSON = "voted_in_person"
    # Proxies
    NOT_PROXY = "not_proxy"
    PROXIES_NOT_ALLOWED = "proxies_not_allowed"
    PROXY_NOT_MEMBER = "proxy_not_member"
    PROXY_SELF = "proxy_self"
    PROXY_LIMIT = "proxy_limit"
    # Carrying out decisions
    NOTHING_TO_EXECUTE = "nothing_to_execute"
    NOT_PASSED = "not_passed"
    BOARD_ONLY = "board_only"
    # Elections
    INVALID_METHOD = "invalid_method"
    INVALID_SEATS = "invalid_seats"
    IRV_ONE_SEAT = "irv_one_seat"
    ELECTION_NOT_SECRET = "election_not_secret"
    STATEMENT_REQUIRED = "statement_required"
    STATEMENT_TOO_LONG = "statement_too_long"
    NOMINATIONS_CLOSED = "nominations_closed"
    NOT_CANDIDATE = "not_candidate"
    EMPTY_RANKING = "empty_ranking"
    INVALID_RANKING = "invalid_ranking"


class NotOnVoterRoll(NotAllowed):
    def __init__(self) -> None:
        super().__init__(
            _("You are not on the voter roll of this ballot: it lists the members who could vote when it opened."),
            code=ErrorCode.NOT_ON_VOTER_ROLL,
        )


class BallotNotOpen(Conflict):
    def __init__(self) -> None:
        super().__init__(_("This ballot is not open for voting."), code=ErrorCode.BALLOT_NOT_OPEN)


class InvalidPayload(ApplicationError):
    def __init__(self, message: str, *, detail: dict[str, Any] | None = None) -> None:
        super().__init__(message, code=ErrorCode.INVALID_PAYLOAD, detail=detail)


class MembersOnly(NotAllowed):
    def __init__(self) -> None:
        super().__init__(_("Only active members can do this."), code=ErrorCode.MEMBERS_ONLY)

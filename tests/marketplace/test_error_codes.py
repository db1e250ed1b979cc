"""The marketplace's refusal codes come from one enumeration, marketplace.exceptions.ErrorCode."""

import re
from pathlib import Path

from django.conf import settings

from marketplace.exceptions import ErrorCode

# The strings API clients compare against: renaming a member is free, changing one of these is not.
API_CODES = {
    "amount_not_positive", "amount_too_large", "awaiting_freelancer_agreement", "awaiting_response",
    "budget_invalid", "contract_not_active", "contract_not_completed", "cover_letter_blank", "deadline_past",
    "decision_blank", "decision_missing", "description_blank", "dispute_not_open", "dispute_resolved",
    "due_date_past", "duration_invalid", "effective_from_invalid", "fee_max_invalid", "fee_min_invalid",
    "fee_percent_invalid", "fee_policy_by_decision", "fee_policy_conflict", "fee_too_large", "file_invalid",
    "file_too_large", "file_type", "files_missing", "headline_blank", "hires_wanted_invalid", "invitation_answered",
    "job_cancelled",
    "job_filled", "job_invalid",
    "job_not_editable", "job_not_open", "max_value", "mediator_is_party", "mediator_not_member", "message_blank",
    "message_too_long", "milestone_not_in_escrow", "minutes_invalid", "money_in_flight", "naive_datetime",
    "name_blank", "no_counter_offer", "no_fee_policy", "no_freelancer_profile", "not_admin", "not_board",
    "not_client", "not_freelancer", "not_hourly", "not_job_owner", "not_mediator", "not_owner", "not_party",
    "not_respondent", "not_subject", "not_your_portfolio", "note_blank", "organisation_name_blank", "own_job",
    "payload_empty", "payload_invalid", "plan_due_date_invalid", "plan_due_dates_out_of_order", "plan_item_invalid",
    "plan_on_hourly", "plan_sum_mismatch", "plan_too_long", "portfolio_link_or_file", "precision",
    "pricing_type_invalid", "proposal_exists", "proposal_not_live", "rate_not_positive", "rating_invalid",
    "text_too_long",
    "reason_invalid", "response_blank", "response_exists", "response_late", "review_exists", "review_hidden",
    "saved_search_exists", "skill_name_blank", "source_invalid", "split_invalid", "statement_blank",
    "summary_blank", "text_blank", "timesheet_exists", "timesheet_pending", "title_blank", "too_many_attachments",
    "too_many_files", "too_many_saved_searches", "week_in_future", "week_not_monday",
    # The members' work rules (issue 16)
    "below_minimum_rate", "estimated_hours_required", "job_awaiting_members", "sector_invalid", "work_rule_conflict",
    # Business details and invoices (issue 15)
    "address_incomplete", "country_invalid", "kind_invalid", "kvk_number_invalid", "legal_name_blank", "not_released",
    "vat_scheme_invalid", "vat_number_country", "vat_number_invalid", "vat_number_required", "vat_number_unknown",
    "vat_rate_missing", "refund_exceeds_balance",
}  # fmt: skip


def sources() -> list[Path]:
    root = Path(settings.BASE_DIR) / "marketplace"
    return sorted(p for p in root.rglob("*.py") if "migrations" not in p.relative_to(root).parts)


def test_no_refusal_spells_its_code_as_a_string() -> None:
    literal = re.compile(r"\bcode\s*=\s*[\"']")
    found = [
        f"{p}:{n}" for p in sources() for n, line in enumerate(p.read_text().splitlines(), 1) if literal.search(line)
    ]
    assert found == []


def test_every_code_in_the_enumeration_is_raised_somewhere() -> None:
    text = "\n".join(p.read_text() for p in sources())
    unused = [code.name for code in ErrorCode if f"ErrorCode.{code.name}" not in text]
    assert unused == []


def test_the_api_codes_are_the_strings_clients_know() -> None:
    assert {code.value for code in ErrorCode} == API_CODES
    assert len({code.value for code in ErrorCode}) == len(ErrorCode)

"""The codes of the refusals of yearly statements and DAC7 (kept apart from marketplace.exceptions,
which other work edits at the same time; the API and tests compare against these)."""

from enum import StrEnum


class TaxErrorCode(StrEnum):
    DAC7_DETAILS_MISSING = "dac7_details_missing"
    TIN_INVALID = "tin_invalid"
    COUNTRY_INVALID = "country_invalid"
    BIRTH_DATE_INVALID = "birth_date_invalid"
    NAME_MISSING = "name_missing"
    REGISTRATION_NUMBER_INVALID = "registration_number_invalid"
    YEAR_INVALID = "year_invalid"
    SELLERS_INCOMPLETE = "sellers_incomplete"
    REPORT_INVALID = "report_invalid"

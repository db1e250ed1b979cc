"""Data sovereignty: the registry every app declares its personal data in.

    from membership.privacy import register_personal_data, exempt_personal_data, KEEP, PSEUDONYM, BLANK

See `register_personal_data` for the contract.
"""

from membership.privacy.guards import register_deletion_guard
from membership.privacy.registry import (
    BLANK,
    DELETE,
    KEEP,
    PSEUDONYM,
    Erasure,
    PersonalDataEntry,
    exempt_personal_data,
    personal_data_entries,
    personal_data_entry,
    personal_data_exemption,
    register_personal_data,
)

__all__ = [
    "BLANK",
    "DELETE",
    "KEEP",
    "PSEUDONYM",
    "Erasure",
    "PersonalDataEntry",
    "exempt_personal_data",
    "personal_data_entries",
    "personal_data_entry",
    "personal_data_exemption",
    "register_deletion_guard",
    "register_personal_data",
]

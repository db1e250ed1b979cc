"""Writes for users, member records and personal data. Each is atomic and audited."""

from membership.services.bylaws import bylaws_amend
from membership.services.members import (
    SHARE_PURPOSE,
    admission_blockers,
    member_admission_propose,
    member_admit,
    member_application_reject,
    member_application_withdraw,
    member_apply,
    member_exit,
    member_exit_if_due,
    member_expel,
    member_expulsion_propose,
    member_reinstate,
    member_resign,
    member_resignation_withdraw,
    member_share_paid,
    member_suspend,
)
from membership.services.privacy import (
    access_log_record,
    account_delete,
    data_export_build,
    data_export_expire,
    data_export_request,
    privacy_settings_update,
)
from membership.services.users import user_create

__all__ = [
    "SHARE_PURPOSE",
    "access_log_record",
    "account_delete",
    "admission_blockers",
    "bylaws_amend",
    "data_export_build",
    "data_export_expire",
    "data_export_request",
    "member_admission_propose",
    "member_admit",
    "member_application_reject",
    "member_application_withdraw",
    "member_apply",
    "member_exit",
    "member_exit_if_due",
    "member_expel",
    "member_expulsion_propose",
    "member_reinstate",
    "member_resign",
    "member_resignation_withdraw",
    "member_share_paid",
    "member_suspend",
    "privacy_settings_update",
    "user_create",
]

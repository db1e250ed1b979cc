"""The membership app's models: people, member records and their data-sovereignty rows."""

from membership.models.members import (
    MEMBER_TRANSITIONS,
    BylawsAcceptance,
    BylawsVersion,
    Member,
    MemberClass,
    MembershipPolicy,
    MemberStatusChange,
)
from membership.models.privacy import (
    DATA_EXPORT_TRANSITIONS,
    AccessLogEntry,
    DataExport,
    DataExportStatusChange,
    PrivacySettings,
)
from membership.models.users import User, UserManager

__all__ = [
    "DATA_EXPORT_TRANSITIONS",
    "MEMBER_TRANSITIONS",
    "AccessLogEntry",
    "BylawsAcceptance",
    "BylawsVersion",
    "DataExport",
    "DataExportStatusChange",
    "Member",
    "MemberClass",
    "MemberStatusChange",
    "MembershipPolicy",
    "PrivacySettings",
    "User",
    "UserManager",
]

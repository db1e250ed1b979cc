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
from membership.models.privacy import AccessLogEntry, DataExport, PrivacySettings
from membership.models.users import User, UserManager

__all__ = [
    "MEMBER_TRANSITIONS",
    "AccessLogEntry",
    "BylawsAcceptance",
    "BylawsVersion",
    "DataExport",
    "Member",
    "MemberClass",
    "MemberStatusChange",
    "MembershipPolicy",
    "PrivacySettings",
    "User",
    "UserManager",
]

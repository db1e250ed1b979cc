"""Membership's rows of the permission table (core.permissions), registered from MembershipConfig.ready().

A person applies, withdraws, resigns and manages their account for themselves; the board decides
admissions and keeps the member records; members (and staff) read the register.
"""

from typing import Any

from django.utils.translation import gettext_lazy

from core.permissions import Relation, register_kind, register_rule
from membership.exceptions import ErrorCode


def _self(user: Any, person: Any) -> bool:
    return bool(person.pk == user.pk)


def register() -> None:
    register_kind("account", "account (one's own)", {"self": Relation("its owner", _self)})
    yours_only = gettext_lazy("You can only do this for your own account.")
    for action, label in (
        ("apply", "apply for membership"),
        ("withdraw_application", "withdraw an application"),
        ("resign", "resign"),
        ("withdraw_resignation", "withdraw a resignation"),
        ("privacy_settings", "change privacy settings"),
        ("export_data", "download all its data"),
        ("delete", "delete"),
    ):
        register_rule("account", action, label, relations={"self"}, message=yours_only)

    register_kind("register", "member register")
    register_rule(
        "register",
        "view",
        "read",
        roles={"member", "board", "finance"},
        code=ErrorCode.MEMBERS_ONLY,
        message=gettext_lazy("Only members can see the member register."),
    )
    board_only = gettext_lazy("Only the board can do this.")
    register_rule("register", "export", "export the legal register", roles={"board"}, message=board_only)

    register_kind("member", "member record")
    register_rule("member", "view", "read a record, list applications", roles={"board"}, message=board_only)
    for action, label in (
        ("admit", "admit"),
        ("exit", "end a membership"),
    ):
        # The platform: a members' admission vote or expulsion, a resignation whose notice ran out.
        register_rule("member", action, label, roles={"board"}, system=True, message=board_only)
    # Any member may put a motion to the members, these too (they author it); the board's pages
    # offer them beside the record.
    for action, label in (
        ("propose_admission", "put an admission to a vote"),
        ("propose_expulsion", "propose an expulsion"),
    ):
        register_rule(
            "member",
            action,
            label,
            roles={"member"},
            code=ErrorCode.MEMBERS_ONLY,
            message=gettext_lazy("Only members can put this to the members' vote."),
        )
    for action, label in (
        ("reject", "turn an application down"),
        ("suspend", "suspend"),
        ("reinstate", "reinstate"),
    ):
        register_rule("member", action, label, roles={"board"}, message=board_only)

"""Governance's rows of the permission table (core.permissions), registered from GovernanceConfig.ready().

Members propose, discuss and vote; a motion's author alone amends, publishes or withdraws it; the
board calls elections, publishes under the urgent procedure and retries carrying out a passed
decision. Who is on a ballot's voter roll,
and whether a proxy was appointed, are rules of the services, not of this table.
"""

from typing import Any

from django.utils.translation import gettext_lazy

from core.permissions import Relation, register_kind, register_rule
from governance.exceptions import ErrorCode

MEMBERS_ONLY = gettext_lazy("Only active members can do this.")


def _author(user: Any, proposal: Any) -> bool:
    return bool(proposal.author_id == user.pk)


def register() -> None:
    register_kind("motion", "motion (proposal to the members)", {"author": Relation("its author", _author)})
    for action, label in (("create", "propose"), ("comment", "comment")):
        register_rule("motion", action, label, roles={"member"}, code=ErrorCode.MEMBERS_ONLY, message=MEMBERS_ONLY)
    for action, label, message in (
        ("amend", "amend", gettext_lazy("Only the author can amend a proposal.")),
        ("publish", "publish", gettext_lazy("Only the author can publish a proposal.")),
        ("withdraw", "withdraw", gettext_lazy("Only the author can withdraw a proposal.")),
    ):
        register_rule("motion", action, label, relations={"author"}, code=ErrorCode.NOT_AUTHOR, message=message)
    # The urgent procedure's shorter windows (governance.services.proposals.proposal_publish): the
    # board alone, and only for the decision types the rules in force list.
    register_rule(
        "motion",
        "publish_urgent",
        "publish under the urgent procedure",
        roles={"board"},
        code=ErrorCode.BOARD_ONLY,
        message=gettext_lazy("Only the board can use the urgent procedure."),
    )
    # The platform carries out a passed decision when its ballot closes; the board retries a failure.
    register_rule(
        "motion",
        "execute",
        "carry out (again)",
        roles={"board"},
        system=True,
        code=ErrorCode.BOARD_ONLY,
        message=gettext_lazy("Only the board can retry carrying out a decision."),
    )

    register_kind("ballot", "ballot on a motion")
    for action, label in (("vote", "vote"), ("appoint_proxy", "name or revoke a proxy")):
        register_rule("ballot", action, label, roles={"member"}, code=ErrorCode.MEMBERS_ONLY, message=MEMBERS_ONLY)

    register_kind("election", "election")
    register_rule(
        "election",
        "call",
        "call",
        roles={"board"},
        code=ErrorCode.BOARD_ONLY,
        message=gettext_lazy("Only the board can call an election."),
    )
    for action, label in (("stand", "stand, or withdraw"), ("vote", "vote")):
        register_rule("election", action, label, roles={"member"}, code=ErrorCode.MEMBERS_ONLY, message=MEMBERS_ONLY)

    register_kind("rules", "voting rules")
    # A new version of the rules comes from a members' decision (a bylaw amendment) or the founding set.
    register_rule("rules", "version", "write a new version", system=True)

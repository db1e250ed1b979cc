"""The one place where proposal, ballot and election statuses change, each against its table."""

from typing import Any

from django.utils.translation import gettext as _

from core.services import audit_log
from governance.exceptions import BadTransition
from governance.models import (
    BALLOT_TRANSITIONS,
    ELECTION_TRANSITIONS,
    PROPOSAL_TRANSITIONS,
    Ballot,
    Election,
    Proposal,
    ProposalStatusChange,
)


def _user(actor: Any | None) -> Any | None:
    return actor if getattr(actor, "pk", None) else None


def proposal_transition(*, proposal: Proposal, to_status: str, actor: Any | None) -> Proposal:
    """Move a locked proposal to `to_status` if the table allows it, with a history row and an audit row."""
    if to_status not in PROPOSAL_TRANSITIONS[proposal.status]:
        raise BadTransition(
            what=_("A proposal"), from_label=proposal.get_status_display(), to_label=Proposal.Status(to_status).label
        )
    previous = proposal.status
    proposal.status = to_status
    proposal.save(update_fields=["status", "updated_at"])
    ProposalStatusChange.objects.create(
        proposal=proposal, from_status=previous, to_status=to_status, actor=_user(actor)
    )
    audit_log(actor=actor, action=f"proposal.{to_status}", target=proposal, data={"from": previous})
    return proposal


def ballot_transition(*, ballot: Ballot, to_status: str, actor: Any | None, fields: tuple[str, ...] = ()) -> Ballot:
    """Move a locked ballot to `to_status` if the table allows it; `fields` are saved with it."""
    if to_status not in BALLOT_TRANSITIONS[ballot.status]:
        raise BadTransition(
            what=_("A ballot"), from_label=ballot.get_status_display(), to_label=Ballot.Status(to_status).label
        )
    previous = ballot.status
    ballot.status = to_status
    ballot.save(update_fields=["status", *fields])
    audit_log(actor=actor, action=f"ballot.{to_status}", target=ballot, data={"from": previous})
    return ballot


def election_transition(*, election: Election, to_status: str, actor: Any | None) -> Election:
    if to_status not in ELECTION_TRANSITIONS[election.status]:
        raise BadTransition(
            what=_("An election"), from_label=election.get_status_display(), to_label=Election.Status(to_status).label
        )
    previous = election.status
    election.status = to_status
    election.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor, action=f"election.{to_status}", target=election, data={"from": previous})
    return election

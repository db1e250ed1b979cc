"""Refunds after release: finance pays a released milestone back to the client.

The ledger reverses the release (the freelancer's part and the fee) and pays the client; after
commit the invoices of that release are corrected by credit notes (marketplace.services.invoices).
Lock order: contract, then milestone, as every milestone service.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, Conflict
from core.notifications import notify
from core.permissions import authorize
from core.transitions import transition
from marketplace.exceptions import ErrorCode
from marketplace.models import Milestone
from marketplace.services import escrow
from marketplace.services.contracts import contract_url, lock_contract
from membership.models import User


@transaction.atomic
def milestone_refund_released(*, milestone_id: int, actor: User | None, reason: str) -> Milestone:
    """Pay a released milestone back to the client, fee included; credit notes follow after commit."""
    contract_id = Milestone.objects.filter(pk=milestone_id).values_list("contract_id", flat=True).first()
    if contract_id is None:
        raise ApplicationError(_("There is no such milestone."), code=ErrorCode.NOT_RELEASED)
    contract = lock_contract(contract_id=contract_id)
    milestone = Milestone.objects.select_for_update().get(pk=milestone_id)
    milestone.contract = contract
    authorize(actor, "milestone.refund_released", milestone)
    if milestone.status != Milestone.Status.RELEASED:
        raise Conflict(_("Only a paid milestone can be refunded after release."), code=ErrorCode.NOT_RELEASED)
    if not reason.strip():
        raise ApplicationError(_("Say why the money goes back."), code=ErrorCode.NOTE_BLANK)
    transition(milestone, Milestone.Status.REFUNDED, actor=actor, history_data={"note": reason.strip()})
    escrow.release_reverse(milestone=milestone, actor=actor)
    for user in (contract.client, contract.freelancer):
        notify(
            user=user,
            kind="milestone_refunded_after_release",
            data={"milestone": milestone.title},
            url=contract_url(contract),
        )
    return milestone

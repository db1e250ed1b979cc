"""Refunds after release: finance pays a released milestone back to the client.

The ledger reverses the release (the freelancer's part and the fee) and pays the client; after
commit the invoices of that release are corrected by credit notes (marketplace.services.invoices).
Lock order: contract, then milestone, as every milestone service.

The freelancer's part comes back out of their available balance. When they have already withdrawn
it (and what they hold now is less), the refund is refused with the figures: the coop does not take
back money already paid out, or leave a balance below zero, without anyone deciding so.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, Conflict
from core.money import Money
from core.notifications import notify
from core.permissions import authorize
from core.transitions import transition
from marketplace.exceptions import ErrorCode
from marketplace.models import Milestone
from marketplace.services import escrow
from marketplace.services.contracts import contract_url, lock_contract
from membership.models import User


@dataclass(frozen=True)
class TakeBack:
    """What a refund after release takes back from the freelancer, and what they hold now (cents)."""

    freelancer_part_cents: int
    available_cents: int
    currency: str

    @property
    def short_cents(self) -> int:
        return max(0, self.freelancer_part_cents - self.available_cents)


def refund_take_back(*, milestone: Milestone) -> TakeBack:
    """Return the freelancer's part of the milestone's release and their available balance now."""
    from payouts.ledger import AccountPurpose, Posting, freelancer_balances

    contract = milestone.contract
    part = sum(
        Posting.objects.filter(
            batch__idempotency_key=f"milestone:{milestone.pk}:release", to_account__purpose=AccountPurpose.PAYABLE
        ).values_list("amount_cents", flat=True)
    )
    available = freelancer_balances(contract.freelancer_id, contract.currency)["available"]
    return TakeBack(freelancer_part_cents=part, available_cents=available, currency=contract.currency)


def _refused_for_payout(milestone: Milestone, take_back: TakeBack) -> Conflict:
    def money(cents: int) -> str:
        return Money(cents, take_back.currency).format()

    freelancer = milestone.contract.freelancer
    return Conflict(
        _(
            "%(freelancer)s has already withdrawn money from this payment: refunding it takes back their "
            "%(part)s, and their available balance holds %(available)s. Nothing was refunded. Agree with them "
            "how the %(short)s they were paid out comes back before refunding the client."
        )
        % {
            "freelancer": freelancer.get_full_name() or freelancer.email,
            "part": money(take_back.freelancer_part_cents),
            "available": money(take_back.available_cents),
            "short": money(take_back.short_cents),
        },
        code=ErrorCode.REFUND_EXCEEDS_BALANCE,
        detail={
            "freelancer_part_cents": take_back.freelancer_part_cents,
            "available_cents": take_back.available_cents,
        },
    )


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
    from payouts.ledger import InsufficientFunds

    take_back = refund_take_back(milestone=milestone)
    if take_back.short_cents:
        raise _refused_for_payout(milestone, take_back)
    transition(milestone, Milestone.Status.REFUNDED, actor=actor, history_data={"note": reason.strip()})
    try:
        escrow.release_reverse(milestone=milestone, actor=actor)
    except InsufficientFunds:
        # A withdrawal committed between the check above and the ledger's lock on the account.
        raise _refused_for_payout(milestone, refund_take_back(milestone=milestone)) from None
    for user in (contract.client, contract.freelancer):
        notify(
            user=user,
            kind="milestone_refunded_after_release",
            data={"milestone": milestone.title},
            url=contract_url(contract),
        )
    return milestone

"""Every call the marketplace makes into the money layer (payouts.ledger and payouts.payments).

Nothing else in the marketplace imports payouts: money moves only through these functions. Each
is called inside the caller's transaction, after the milestone row is locked.
"""

from decimal import Decimal
from typing import Any

from marketplace.models import Contract, Milestone

MILESTONE_FUNDING = "milestone_funding"
DEFAULT_PROVIDER = "bank_transfer"


def fee_split(*, amount_cents: int, contract: Contract) -> tuple[int, int]:
    """Return (freelancer part, fee) exactly as the ledger will post them for this contract."""
    return fee_split_terms(
        amount_cents=amount_cents,
        percent=Decimal(contract.fee_percent),
        min_cents=contract.fee_min_cents,
        max_cents=contract.fee_max_cents,
    )


def fee_split_terms(*, amount_cents: int, percent: Decimal, min_cents: int, max_cents: int | None) -> tuple[int, int]:
    from payouts.ledger import fee_split as ledger_fee_split

    return ledger_fee_split(amount_cents, Decimal(percent), min_cents, max_cents)


def funding_request_create(*, milestone: Milestone, contract: Contract, actor: Any) -> Any:
    """Ask the client to pay the milestone into escrow; idempotent per milestone."""
    from payouts.payments import payment_request_create

    return payment_request_create(
        payer=contract.client,
        amount_cents=milestone.amount_cents,
        currency=contract.currency,
        purpose=MILESTONE_FUNDING,
        purpose_ref=str(milestone.pk),
        provider=DEFAULT_PROVIDER,
        actor=actor,
    )


def funding_request_for(*, milestone_id: int) -> Any | None:
    """Return the milestone's payment request (with its reference), if one was made."""
    from payouts.payments import PaymentRequest

    return PaymentRequest.objects.filter(purpose=MILESTONE_FUNDING, purpose_ref=str(milestone_id)).first()


def fund(*, milestone: Milestone, contract: Contract, provider: str, actor: Any | None) -> Any:
    from payouts.ledger import escrow_fund

    return escrow_fund(
        contract_id=contract.pk,
        milestone_id=milestone.pk,
        freelancer_id=contract.freelancer_id,
        client_id=contract.client_id,
        amount_cents=milestone.amount_cents,
        currency=contract.currency,
        provider=provider,
        actor=actor,
    )


def release(*, milestone: Milestone, contract: Contract, actor: Any | None) -> Any:
    from payouts.ledger import escrow_release

    return escrow_release(
        contract_id=contract.pk,
        milestone_id=milestone.pk,
        freelancer_id=contract.freelancer_id,
        amount_cents=milestone.amount_cents,
        currency=contract.currency,
        fee_percent=Decimal(contract.fee_percent),
        fee_min_cents=contract.fee_min_cents,
        fee_max_cents=contract.fee_max_cents,
        actor=actor,
    )


def refund(*, milestone: Milestone, contract: Contract, actor: Any | None) -> Any:
    from payouts.ledger import escrow_refund

    return escrow_refund(
        contract_id=contract.pk,
        milestone_id=milestone.pk,
        client_id=contract.client_id,
        amount_cents=milestone.amount_cents,
        currency=contract.currency,
        provider=_provider_of(milestone),
        actor=actor,
    )


def settle(*, milestone: Milestone, contract: Contract, release_cents: int, refund_cents: int, actor: Any) -> Any:
    from payouts.ledger import dispute_settle

    return dispute_settle(
        contract_id=contract.pk,
        milestone_id=milestone.pk,
        freelancer_id=contract.freelancer_id,
        client_id=contract.client_id,
        release_cents=release_cents,
        refund_cents=refund_cents,
        currency=contract.currency,
        fee_percent=Decimal(contract.fee_percent),
        fee_min_cents=contract.fee_min_cents,
        fee_max_cents=contract.fee_max_cents,
        provider=_provider_of(milestone),
        actor=actor,
    )


def _provider_of(milestone: Milestone) -> str:
    """Refunds go back the way the money came in."""
    request = funding_request_for(milestone_id=milestone.pk)
    return request.provider if request is not None else DEFAULT_PROVIDER


def balances(*, user_id: int, currency: str) -> dict[str, int]:
    from payouts.ledger import freelancer_balances

    return freelancer_balances(user_id, currency)

"""Every call the marketplace makes into the money layer (payouts.ledger and payouts.payments).

Nothing else in the marketplace calls payouts: money moves only through these functions. Each
is called inside the caller's transaction, after the milestone row is locked.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from core.outbox import enqueue
from marketplace.models import Contract, Milestone
from marketplace.services.invoices import invoices_queue_for_batch
from membership.models import User

if TYPE_CHECKING:
    from payouts.models import Batch, PaymentRequest
    from payouts.stripe_gateway.models import StripeRefund

MILESTONE_FUNDING = "milestone_funding"
DEFAULT_PROVIDER = "bank_transfer"
# Money paid by card goes back to the card: the ledger books the refund, Stripe then sends it.
CARD_PROVIDER = "stripe"


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


def funding_request_create(
    *, milestone: Milestone, contract: Contract, actor: User, provider: str = DEFAULT_PROVIDER
) -> PaymentRequest:
    """Ask the client to pay the milestone into escrow through `provider`; idempotent per milestone.

    payouts refuses a provider that is unknown or switched off (Stripe without keys) with a clear error.
    """
    from payouts.payments import payment_request_create

    return payment_request_create(
        payer=contract.client,
        amount_cents=milestone.amount_cents,
        currency=contract.currency,
        purpose=MILESTONE_FUNDING,
        purpose_ref=str(milestone.pk),
        provider=provider,
        actor=actor,
    )


def funding_request_for(*, milestone_id: int) -> PaymentRequest | None:
    """Return the milestone's payment request (with its reference), if one was made."""
    from payouts.payments import PaymentRequest

    return PaymentRequest.objects.filter(purpose=MILESTONE_FUNDING, purpose_ref=str(milestone_id)).first()


def funding_request_get(*, milestone_id: int) -> PaymentRequest:
    """Return the payment request of a milestone in funding; moving it to funding made one."""
    request = funding_request_for(milestone_id=milestone_id)
    if request is None:
        raise LookupError(f"Milestone {milestone_id} is in funding without a payment request.")
    return request


def fund(*, milestone: Milestone, contract: Contract, provider: str, actor: User | None) -> Batch:
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


def release(*, milestone: Milestone, contract: Contract, actor: User | None) -> Batch:
    from payouts.ledger import escrow_release

    batch = escrow_release(
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
    invoices_queue_for_batch(batch=batch)
    return batch


def release_reverse(*, milestone: Milestone, actor: User | None) -> Batch:
    """Pay a released milestone back to the client (fee included); credit notes follow after commit."""
    from payouts.ledger import release_reverse as ledger_release_reverse

    request = funding_request_for(milestone_id=milestone.pk)
    batch = ledger_release_reverse(milestone_id=milestone.pk, actor=actor, provider=_provider_of(request))
    _card_refund_after_commit(request=request, ledger_key=batch.idempotency_key, actor=actor)
    invoices_queue_for_batch(batch=batch)
    return batch


def refund(*, milestone: Milestone, contract: Contract, actor: User | None) -> Batch:
    from payouts.ledger import escrow_refund

    request = funding_request_for(milestone_id=milestone.pk)
    batch = escrow_refund(
        contract_id=contract.pk,
        milestone_id=milestone.pk,
        client_id=contract.client_id,
        amount_cents=milestone.amount_cents,
        currency=contract.currency,
        provider=_provider_of(request),
        actor=actor,
    )
    _card_refund_after_commit(request=request, ledger_key=batch.idempotency_key, actor=actor)
    return batch


def settle(*, milestone: Milestone, contract: Contract, release_cents: int, refund_cents: int, actor: User) -> Batch:
    from payouts.ledger import dispute_settle

    request = funding_request_for(milestone_id=milestone.pk)
    batch = dispute_settle(
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
        provider=_provider_of(request),
        actor=actor,
    )
    if refund_cents > 0:
        _card_refund_after_commit(request=request, ledger_key=batch.idempotency_key, actor=actor)
    if release_cents > 0:
        invoices_queue_for_batch(batch=batch)
    return batch


def _provider_of(request: PaymentRequest | None) -> str:
    """Refunds go back the way the money came in."""
    return request.provider if request is not None else DEFAULT_PROVIDER


def _card_refund_after_commit(*, request: PaymentRequest | None, ledger_key: str, actor: User | None) -> None:
    """Once the ledger's refund batch commits, have Stripe send it back to the card.

    Through the outbox, so a rolled-back refund never reaches the card and a broker outage delays it
    without losing it; through a task, so a Stripe outage retries instead of failing the request
    that already committed. The ledger key is the refund's idempotency key at Stripe: a repeated
    task, or a retried request, refunds once.
    """
    if request is None or request.provider != CARD_PROVIDER:
        return
    from marketplace.tasks import milestone_card_refund

    actor_id = actor.pk if actor is not None else None
    enqueue(milestone_card_refund, payment_request_id=request.pk, ledger_key=ledger_key, actor_id=actor_id)


def card_refund_send(*, payment_request_id: int, ledger_key: str, actor: User | None) -> StripeRefund:
    """Send the card refund for a committed ledger refund batch (the task's one call)."""
    from payouts.stripe_gateway.services.refunds import stripe_refund_create

    return stripe_refund_create(payment_request_id=payment_request_id, ledger_key=ledger_key, actor=actor)


def balances(*, user_id: int, currency: str) -> dict[str, int]:
    from payouts.ledger import freelancer_balances

    return freelancer_balances(user_id, currency)

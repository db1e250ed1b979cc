"""Short ways to put money where a test needs it, through the real ledger services."""

from decimal import Decimal
from typing import Any

from payouts import ledger


def fund_and_release(*, milestone_id: int, freelancer: Any, client: Any, amount_cents: int, fee: str = "10") -> Any:
    ledger.escrow_fund(
        contract_id=milestone_id,
        milestone_id=milestone_id,
        freelancer_id=freelancer.pk,
        client_id=client.pk,
        amount_cents=amount_cents,
        currency="EUR",
        provider="bank_transfer",
        actor=None,
    )
    return ledger.escrow_release(
        contract_id=milestone_id,
        milestone_id=milestone_id,
        freelancer_id=freelancer.pk,
        amount_cents=amount_cents,
        currency="EUR",
        fee_percent=Decimal(fee),
        actor=None,
    )

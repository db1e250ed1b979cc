"""What payouts provides to the apps below it (core.ports): payment requests and the share ledger.

membership asks for share payments and records share capital through these, without importing
payouts; PayoutsConfig.ready() provides them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.exceptions import ApplicationError
from core.ports import CapitalMovement, MemberCapital, PaymentRequestInfo
from payouts import ledger
from payouts.models import Account, AccountPurpose, PaymentRequest, Posting
from payouts.payments.providers import get_provider
from payouts.payments.services import payment_request_create

if TYPE_CHECKING:
    from membership.models import User

CAPITAL_PURPOSES = (AccountPurpose.SHARE_CAPITAL, AccountPurpose.MEMBER_CAPITAL)

# What a movement of the capital account was, as the member reads it, in their language (the ledger's
# stored note is in the language of whoever posted it, and names the member by number).
CAPITAL_MOVES = {
    "share_purchase": _("You paid for your shares"),
    "share_redeem": _("Your shares were paid back to you"),
    "member_capital_credit": _("Your profit share kept in your capital account"),
}


class PaymentRequestsPort:
    """core.ports.PaymentRequests, backed by payouts.payments."""

    def create(
        self,
        *,
        payer: User,
        amount_cents: int,
        currency: str,
        purpose: str,
        purpose_ref: str,
        actor: User | None,
    ) -> str:
        payment_request = payment_request_create(
            payer=payer,
            amount_cents=amount_cents,
            currency=currency,
            purpose=purpose,
            purpose_ref=purpose_ref,
            actor=actor,
        )
        return payment_request.reference

    def info(self, reference: str) -> PaymentRequestInfo | None:
        payment_request = PaymentRequest.objects.filter(reference=reference).first()
        if payment_request is None:
            return None
        try:
            instructions = get_provider(payment_request.provider).payment_instructions(payment_request)
        except ApplicationError:
            # The provider was switched off since the request was made: show the request without
            # instructions rather than fail the member's page.
            instructions = {}
        return PaymentRequestInfo(
            reference=payment_request.reference,
            amount_cents=payment_request.amount_cents,
            outstanding_cents=payment_request.outstanding_cents,
            currency=payment_request.currency,
            status=payment_request.status,
            status_label=str(payment_request.get_status_display()),
            provider=payment_request.provider,
            instructions=instructions,
        )


class ShareLedgerPort:
    """core.ports.ShareLedger, backed by the ledger's share and member-capital accounts."""

    def share_purchase(
        self,
        *,
        member_id: int,
        user_id: int,
        amount_cents: int,
        currency: str,
        provider: str,
        payment_ref: str,
        actor: User | None,
    ) -> None:
        ledger.share_purchase(
            member_id=member_id,
            user_id=user_id,
            amount_cents=amount_cents,
            currency=currency,
            provider=provider,
            payment_ref=payment_ref,
            actor=actor,
        )

    def share_redeem(
        self,
        *,
        member_id: int,
        user_id: int,
        amount_cents: int,
        currency: str,
        provider: str,
        actor: User | None,
        key: str,
    ) -> None:
        ledger.share_redeem(
            member_id=member_id,
            user_id=user_id,
            amount_cents=amount_cents,
            currency=currency,
            provider=provider,
            actor=actor,
            key=key,
        )

    def member_capital(self, *, member_id: int, user_id: int, currency: str) -> MemberCapital:
        """Return paid-in shares, retained surplus and every movement of the person's capital accounts.

        Oldest first, with the running balance across both kinds of capital; a move between the
        two accounts (none today) would change neither total and is left out.
        """
        capital = ledger.member_capital(member_id, currency)
        account_ids = set(
            Account.objects.filter(user_id=user_id, purpose__in=CAPITAL_PURPOSES, currency=currency).values_list(
                "pk", flat=True
            )
        )
        postings = (
            Posting.objects.filter(Q(to_account_id__in=account_ids) | Q(from_account_id__in=account_ids))
            .select_related("batch", "from_account", "to_account")
            .order_by("created_at", "id")
        )
        movements = []
        balance = 0
        for posting in postings:
            incoming = posting.to_account_id in account_ids
            if incoming and posting.from_account_id in account_ids:
                continue
            mine = posting.to_account if incoming else posting.from_account
            amount = posting.amount_cents if incoming else -posting.amount_cents
            balance += amount
            movements.append(
                CapitalMovement(
                    at=posting.created_at,
                    kind=posting.batch.kind,
                    memo=str(CAPITAL_MOVES.get(posting.batch.kind, posting.batch.memo)),
                    account=str(mine.get_purpose_display()),
                    amount_cents=amount,
                    currency=posting.currency,
                    balance_cents=balance,
                )
            )
        return MemberCapital(
            shares_cents=capital["shares_cents"], retained_cents=capital["retained_cents"], movements=movements
        )

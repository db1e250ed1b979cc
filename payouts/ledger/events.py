"""One service per money event. Each is atomic, idempotent by its key, and returns the Batch.

The source of every cent is `provider_clearing[provider]`, the outside world seen through one
payment provider: money coming in is posted out of clearing, money leaving is posted into it.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, Conflict
from core.money import allocate
from payouts.exceptions import ErrorCode
from payouts.ledger.posting import (
    Actor,
    Leg,
    batch_post,
    batch_reverse,
    clearing_account,
    escrow_account,
    expense_account,
    fee_income_account,
    fund_account,
    in_transaction,
    member_capital_account,
    payable_account,
    payout_pending_account,
    share_capital_account,
)
from payouts.ledger.selectors import batch_for_key
from payouts.models import Batch, Posting

# The batch kind of a profit share's cash part, credited from fee income to the member's payable
# balance by a payout cycle; the books (open books, earnings history) name it by this kind.
PATRONAGE_CASH_KIND = "patronage_cash"

PROVIDER_FEES_CATEGORY = "payment_provider_fees"


def fee_split(
    amount_cents: int, fee_percent: Decimal, fee_min_cents: int = 0, fee_max_cents: int | None = None
) -> tuple[int, int]:
    """Return (freelancer part, fee) of an amount: percent split by largest remainder, then clamped.

    The fee is at least fee_min_cents, at most fee_max_cents, never more than the amount; the two
    parts always add up to the amount.
    """
    percent = Decimal(fee_percent)
    if percent < 0 or percent > 100:
        raise ApplicationError(_("The fee percentage must be between 0 and 100."), code=ErrorCode.BAD_FEE_PERCENT)
    if percent == 0:
        fee = 0
    else:
        _rest, fee = allocate(amount_cents, [Decimal(100) - percent, percent])
    fee = max(fee, fee_min_cents)
    if fee_max_cents is not None:
        fee = min(fee, fee_max_cents)
    fee = min(fee, amount_cents)
    return amount_cents - fee, fee


def _legs(*legs: Leg) -> list[Leg]:
    """Drop zero legs (a fee of 0, an empty refund part)."""
    return [leg for leg in legs if leg.amount_cents != 0]


def _milestone_guard(milestone_id: int, *events: str) -> Callable[[], None]:
    """Refuse an event on a milestone after any of the given events; runs under the escrow lock."""
    messages = {
        "release": (_("This milestone was already released."), "already_released"),
        "refund": (_("This milestone was already refunded."), "already_refunded"),
        "dispute": (_("This milestone's dispute was already settled."), "already_settled"),
    }

    def guard() -> None:
        for event in events:
            if batch_for_key(f"milestone:{milestone_id}:{event}") is not None:
                message, code = messages[event]
                raise Conflict(message, code=code)

    return guard


def escrow_fund(
    *,
    contract_id: int,
    milestone_id: int,
    freelancer_id: int,
    client_id: int,
    amount_cents: int,
    currency: str,
    provider: str,
    actor: Actor,
) -> Batch:
    """Record a client's payment for a milestone as held in the contract's escrow."""
    escrow = escrow_account(
        contract_id=contract_id, currency=currency, client_id=client_id, freelancer_id=freelancer_id
    )
    return batch_post(
        key=f"milestone:{milestone_id}:fund",
        kind="escrow_fund",
        legs=[Leg(clearing_account(provider, currency), escrow, amount_cents)],
        actor=actor,
        memo=_("Milestone %(id)s funded") % {"id": milestone_id},
        data={
            "contract_id": contract_id,
            "milestone_id": milestone_id,
            "client_id": client_id,
            "freelancer_id": freelancer_id,
            "provider": provider,
        },
        subject_id=client_id,
    )


def escrow_release(
    *,
    contract_id: int,
    milestone_id: int,
    freelancer_id: int,
    amount_cents: int,
    currency: str,
    fee_percent: Decimal,
    fee_min_cents: int = 0,
    fee_max_cents: int | None = None,
    actor: Actor,
) -> Batch:
    """Pay a milestone from escrow to the freelancer's balance, minus the platform fee."""
    freelancer_part, fee = fee_split(amount_cents, fee_percent, fee_min_cents, fee_max_cents)
    escrow = escrow_account(contract_id=contract_id, currency=currency, freelancer_id=freelancer_id)
    return batch_post(
        key=f"milestone:{milestone_id}:release",
        kind="escrow_release",
        legs=_legs(
            Leg(escrow, payable_account(freelancer_id, currency), freelancer_part),
            Leg(escrow, fee_income_account(currency), fee),
        ),
        actor=actor,
        memo=_("Milestone %(id)s released") % {"id": milestone_id},
        data={
            "contract_id": contract_id,
            "milestone_id": milestone_id,
            "freelancer_id": freelancer_id,
            "fee_cents": fee,
            "fee_percent": str(fee_percent),
        },
        subject_id=freelancer_id,
        guard=_milestone_guard(milestone_id, "refund", "dispute"),
    )


def escrow_refund(
    *,
    contract_id: int,
    milestone_id: int,
    client_id: int,
    amount_cents: int,
    currency: str,
    provider: str,
    actor: Actor,
) -> Batch:
    """Pay a funded, unreleased milestone back to the client."""
    escrow = escrow_account(contract_id=contract_id, currency=currency, client_id=client_id)
    return batch_post(
        key=f"milestone:{milestone_id}:refund",
        kind="escrow_refund",
        legs=[Leg(escrow, clearing_account(provider, currency), amount_cents)],
        actor=actor,
        memo=_("Milestone %(id)s refunded") % {"id": milestone_id},
        data={"contract_id": contract_id, "milestone_id": milestone_id, "client_id": client_id, "provider": provider},
        subject_id=client_id,
        guard=_milestone_guard(milestone_id, "release", "dispute"),
    )


@in_transaction
def release_reverse(*, milestone_id: int, actor: Actor, provider: str) -> Batch:
    """Refund a released milestone: take back the freelancer's part and the fee, pay the client."""
    release = batch_for_key(f"milestone:{milestone_id}:release")
    if release is None:
        raise Conflict(_("This milestone was not released."), code=ErrorCode.NOT_RELEASED)
    # Both legs of a release (the freelancer's part and the fee) leave the milestone's escrow
    # account, so any posting names it; take the first by id so that the choice is defined.
    postings = list(release.postings.select_related("from_account").order_by("pk"))
    escrow = postings[0].from_account
    total = sum(p.amount_cents for p in postings)
    return batch_reverse(
        batch=release,
        key=f"milestone:{milestone_id}:release-reversal",
        kind="release_reversal",
        actor=actor,
        memo=_("Milestone %(id)s refunded after release") % {"id": milestone_id},
        extra_legs=[Leg(escrow, clearing_account(provider, escrow.currency), total)],
    )


def dispute_settle(
    *,
    contract_id: int,
    milestone_id: int,
    freelancer_id: int,
    client_id: int,
    release_cents: int,
    refund_cents: int,
    currency: str,
    fee_percent: Decimal,
    fee_min_cents: int = 0,
    fee_max_cents: int | None = None,
    provider: str,
    actor: Actor,
) -> Batch:
    """Split a disputed milestone's escrow: part released (with its fee), part refunded."""
    if release_cents < 0 or refund_cents < 0 or release_cents + refund_cents <= 0:
        raise ApplicationError(_("A settlement needs a positive total."), code=ErrorCode.BAD_AMOUNT)
    freelancer_part, fee = (0, 0)
    if release_cents:
        freelancer_part, fee = fee_split(release_cents, fee_percent, fee_min_cents, fee_max_cents)
    escrow = escrow_account(
        contract_id=contract_id, currency=currency, client_id=client_id, freelancer_id=freelancer_id
    )
    return batch_post(
        key=f"milestone:{milestone_id}:dispute",
        kind="dispute_settle",
        legs=_legs(
            Leg(escrow, payable_account(freelancer_id, currency), freelancer_part),
            Leg(escrow, fee_income_account(currency), fee),
            Leg(escrow, clearing_account(provider, currency), refund_cents),
        ),
        actor=actor,
        memo=_("Dispute on milestone %(id)s settled") % {"id": milestone_id},
        data={
            "contract_id": contract_id,
            "milestone_id": milestone_id,
            "freelancer_id": freelancer_id,
            "client_id": client_id,
            "release_cents": release_cents,
            "refund_cents": refund_cents,
            "fee_cents": fee,
        },
        subject_id=freelancer_id,
        guard=_milestone_guard(milestone_id, "release", "refund"),
    )


def share_purchase(
    *,
    member_id: int,
    user_id: int,
    amount_cents: int,
    currency: str,
    provider: str,
    payment_ref: str,
    actor: Actor,
) -> Batch:
    """Record money paid for shares as the member's share capital."""
    return batch_post(
        key=f"share:{payment_ref}",
        kind="share_purchase",
        legs=[
            Leg(clearing_account(provider, currency), share_capital_account(member_id, currency, user_id), amount_cents)
        ],
        actor=actor,
        memo=_("Shares bought by member %(id)s") % {"id": member_id},
        data={"member_id": member_id, "payment_ref": payment_ref, "provider": provider},
        subject_id=user_id,
    )


def share_redeem(
    *,
    member_id: int,
    user_id: int,
    amount_cents: int,
    currency: str,
    provider: str,
    actor: Actor,
    key: str,
) -> Batch:
    """Pay share capital back to a member (on exit or redemption)."""
    return batch_post(
        key=key,
        kind="share_redeem",
        legs=[
            Leg(share_capital_account(member_id, currency, user_id), clearing_account(provider, currency), amount_cents)
        ],
        actor=actor,
        memo=_("Shares of member %(id)s redeemed") % {"id": member_id},
        data={"member_id": member_id, "provider": provider},
        subject_id=user_id,
    )


def expense_record(
    *,
    amount_cents: int,
    currency: str,
    category: str,
    provider: str,
    memo: str,
    actor: Actor,
    key: str,
    kind: str = "expense",
    payee_user_id: int | None = None,
) -> Batch:
    """Record a cost paid out: fee income → expense[category] → clearing.

    The expense account passes the money on; what flowed into it over a period is that period's
    cost in its category. With `payee_user_id` (a member's expense claim) the money goes to that
    person's payable balance instead, from where a withdrawal reimburses them.
    """
    if not category:
        raise ApplicationError(_("An expense needs a category."), code=ErrorCode.BAD_CATEGORY)
    expense = expense_account(category, currency)
    paid_to = (
        clearing_account(provider, currency) if payee_user_id is None else payable_account(payee_user_id, currency)
    )
    return batch_post(
        key=key,
        kind=kind,
        legs=[
            Leg(fee_income_account(currency), expense, amount_cents),
            Leg(expense, paid_to, amount_cents),
        ],
        actor=actor,
        memo=memo,
        data={"category": category, "provider": provider, "payee_user_id": payee_user_id},
        subject_id=payee_user_id,
    )


def provider_fee_record(
    *, amount_cents: int, currency: str, provider: str, actor: Actor, key: str, memo: str = ""
) -> Batch:
    """Record what a payment provider charged the coop, as an expense in its own category."""
    return expense_record(
        amount_cents=amount_cents,
        currency=currency,
        category=PROVIDER_FEES_CATEGORY,
        provider=provider,
        memo=memo or _("Payment provider fees"),
        actor=actor,
        key=key,
        kind="provider_fee",
    )


def income_record(*, amount_cents: int, currency: str, provider: str, memo: str, actor: Actor, key: str) -> Batch:
    """Record income other than marketplace fees (a grant, a workshop) received through a provider."""
    return batch_post(
        key=key,
        kind="income",
        legs=[Leg(clearing_account(provider, currency), fee_income_account(currency), amount_cents)],
        actor=actor,
        memo=memo,
        data={"provider": provider},
    )


def withdrawal_request(*, withdrawal_id: int, user_id: int, amount_cents: int, currency: str, actor: Actor) -> Batch:
    """Set aside part of a freelancer's available balance for a withdrawal."""
    return batch_post(
        key=f"withdrawal:{withdrawal_id}:request",
        kind="withdrawal_request",
        legs=[Leg(payable_account(user_id, currency), payout_pending_account(user_id, currency), amount_cents)],
        actor=actor,
        memo=_("Withdrawal %(id)s requested") % {"id": withdrawal_id},
        data={"withdrawal_id": withdrawal_id, "user_id": user_id},
        subject_id=user_id,
    )


def _withdrawal_request_leg(withdrawal_id: int) -> tuple[Batch, Posting]:
    request = batch_for_key(f"withdrawal:{withdrawal_id}:request")
    if request is None:
        raise Conflict(_("This withdrawal was never requested."), code=ErrorCode.WITHDRAWAL_UNKNOWN)
    posting = request.postings.select_related("from_account", "to_account").get()
    return request, posting


def _refuse_if_posted(key: str, message: str, code: str) -> Callable[[], None]:
    def guard() -> None:
        if batch_for_key(key) is not None:
            raise Conflict(message, code=code)

    return guard


def withdrawal_settle(*, withdrawal_id: int, provider: str, actor: Actor) -> Batch:
    """Record a withdrawal as paid out through the provider (the money leaves the coop)."""
    _request, posting = _withdrawal_request_leg(withdrawal_id)
    pending = posting.to_account
    return batch_post(
        key=f"withdrawal:{withdrawal_id}:settle",
        kind="withdrawal_settle",
        legs=[Leg(pending, clearing_account(provider, pending.currency), posting.amount_cents)],
        actor=actor,
        memo=_("Withdrawal %(id)s paid out") % {"id": withdrawal_id},
        data={"withdrawal_id": withdrawal_id, "provider": provider},
        subject_id=pending.user_id,
        guard=_refuse_if_posted(
            f"withdrawal:{withdrawal_id}:fail", _("This withdrawal already failed."), "withdrawal_failed"
        ),
    )


def withdrawal_fail(*, withdrawal_id: int, actor: Actor) -> Batch:
    """Return a withdrawal that could not be paid to the freelancer's available balance."""
    _request, posting = _withdrawal_request_leg(withdrawal_id)
    return batch_post(
        key=f"withdrawal:{withdrawal_id}:fail",
        kind="withdrawal_fail",
        legs=[Leg(posting.to_account, posting.from_account, posting.amount_cents)],
        actor=actor,
        memo=_("Withdrawal %(id)s failed, money returned") % {"id": withdrawal_id},
        data={"withdrawal_id": withdrawal_id},
        subject_id=posting.to_account.user_id,
        guard=_refuse_if_posted(
            f"withdrawal:{withdrawal_id}:settle", _("This withdrawal was already paid out."), "withdrawal_settled"
        ),
    )


def member_capital_credit(
    *,
    member_id: int,
    user_id: int,
    amount_cents: int,
    currency: str,
    source_key: str,
    actor: Actor,
    source_fund: str | None = None,
    memo: str = "",
) -> Batch:
    """Credit retained patronage to a member's capital account, from fee income or a named fund.

    `source_key` is the batch's idempotency key (for example "cycle:3:member:7:retained").
    """
    source = fund_account(source_fund, currency) if source_fund else fee_income_account(currency)
    return batch_post(
        key=source_key,
        kind="member_capital_credit",
        legs=[Leg(source, member_capital_account(member_id, currency, user_id), amount_cents)],
        actor=actor,
        memo=memo or _("Patronage retained for member %(id)s") % {"id": member_id},
        data={"member_id": member_id, "source_fund": source_fund or ""},
        subject_id=user_id,
    )


def fund_allocate(
    *,
    fund: str,
    amount_cents: int,
    currency: str,
    key: str,
    actor: Actor,
    memo: str = "",
    source_fund: str | None = None,
) -> Batch:
    """Set part of the fee income (or of another fund) aside in a named fund (reserve, education)."""
    if not fund:
        raise ApplicationError(_("A fund needs a name."), code=ErrorCode.BAD_FUND)
    source = fund_account(source_fund, currency) if source_fund else fee_income_account(currency)
    return batch_post(
        key=key,
        kind="fund_allocate",
        legs=[Leg(source, fund_account(fund, currency), amount_cents)],
        actor=actor,
        memo=memo or _("Allocated to the %(fund)s fund") % {"fund": fund},
        data={"fund": fund, "source_fund": source_fund or ""},
    )

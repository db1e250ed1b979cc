"""The ledger: the only way money moves. Import services and reads from here.

Import this package only after Django has loaded its apps (from services, views or tasks).
"""

from payouts.ledger.events import (
    PATRONAGE_CASH_KIND,
    PROVIDER_FEES_CATEGORY,
    dispute_settle,
    escrow_fund,
    escrow_refund,
    escrow_release,
    expense_record,
    fee_split,
    fund_allocate,
    income_record,
    member_capital_credit,
    provider_fee_record,
    release_reverse,
    share_purchase,
    share_redeem,
    withdrawal_fail,
    withdrawal_request,
    withdrawal_settle,
)
from payouts.ledger.posting import InsufficientFunds, Leg, account_get, batch_post, batch_reverse
from payouts.ledger.selectors import (
    account_balance,
    account_balances,
    freelancer_balances,
    member_capital,
    period_flows,
    period_sum,
    with_balances,
)
from payouts.models import Account, AccountPurpose, Batch, Posting

__all__ = [
    "PATRONAGE_CASH_KIND",
    "PROVIDER_FEES_CATEGORY",
    "Account",
    "AccountPurpose",
    "Batch",
    "InsufficientFunds",
    "Leg",
    "Posting",
    "account_balance",
    "account_balances",
    "account_get",
    "batch_post",
    "batch_reverse",
    "dispute_settle",
    "escrow_fund",
    "escrow_refund",
    "escrow_release",
    "expense_record",
    "fee_split",
    "freelancer_balances",
    "fund_allocate",
    "income_record",
    "member_capital",
    "member_capital_credit",
    "period_flows",
    "period_sum",
    "provider_fee_record",
    "release_reverse",
    "share_purchase",
    "share_redeem",
    "with_balances",
    "withdrawal_fail",
    "withdrawal_request",
    "withdrawal_settle",
]

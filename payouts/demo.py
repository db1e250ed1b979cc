"""Demo money: the members' share payments, some income and costs, a reserve and a withdrawal.

Everything goes through the payment and ledger services with fixed keys, so running it again
posts nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from schwifty import IBAN

from core.demo import demo_user
from core.money import default_currency

if TYPE_CHECKING:
    from membership.models import User

PROVIDER = "bank_transfer"


def _pay_open_share_requests(finance: User) -> None:
    """Record a bank transfer for every open share request, as finance would from the statement.

    membership's demo has everyone apply (and the applicant wait for the board); paying here runs
    the share purpose's handler, which posts the share capital. Each transfer's bank transaction
    id is derived from the request's reference, so a second run records nothing.
    """
    from membership.services import SHARE_PURPOSE
    from payouts.models import PaymentRequest
    from payouts.payments.services import bank_payment_record

    open_requests = PaymentRequest.objects.filter(
        purpose=SHARE_PURPOSE,
        provider=PROVIDER,
        status__in=[PaymentRequest.Status.OPEN, PaymentRequest.Status.PARTIALLY_PAID],
    ).order_by("pk")
    for payment_request in open_requests:
        bank_payment_record(
            reference=payment_request.reference,
            amount_cents=payment_request.outstanding_cents,
            currency=payment_request.currency,
            received_on=timezone.localdate(),
            actor=finance,
            note="Demo share payment",
            bank_transaction_id=f"DEMO-SHARE-{payment_request.reference}",
        )


def seed() -> None:
    from membership.models import Member
    from payouts import ledger
    from payouts.models import Withdrawal
    from payouts.payments.services import bank_payment_record
    from payouts.payments.withdrawals import payout_account_set, withdrawal_create

    currency = default_currency()
    finance = demo_user("finance@example.org")
    _pay_open_share_requests(finance)
    # Members who joined before shares were paid through payment requests.
    for member in Member.objects.filter(status=Member.Status.ACTIVE).select_related("member_class"):
        if ledger.member_capital(member.pk, currency)["shares_cents"]:
            continue
        ledger.share_purchase(
            member_id=member.pk,
            user_id=member.user_id,
            amount_cents=member.member_class.share_price_cents * max(member.shares, 1),
            currency=currency,
            provider=PROVIDER,
            payment_ref=f"demo-member-{member.pk}",
            actor=finance,
        )
    ledger.income_record(
        amount_cents=45_000,
        currency=currency,
        provider=PROVIDER,
        memo="Workshop: freelancing the cooperative way",
        actor=finance,
        key="demo:income:workshop",
    )
    for category, amount, memo in [
        ("hosting", 12_000, "Servers for the year"),
        ("accounting", 30_000, "Annual accounts"),
    ]:
        ledger.expense_record(
            amount_cents=amount,
            currency=currency,
            category=category,
            provider=PROVIDER,
            memo=memo,
            actor=finance,
            key=f"demo:expense:{category}",
        )
    ledger.fund_allocate(fund="reserve", amount_cents=2_000, currency=currency, key="demo:fund:reserve", actor=finance)

    ada = demo_user("ada@example.org")
    clearing = ledger.account_get(
        purpose=ledger.AccountPurpose.PROVIDER_CLEARING, currency=currency, owner_type="provider", owner_id=PROVIDER
    )
    payable = ledger.account_get(
        purpose=ledger.AccountPurpose.PAYABLE, currency=currency, owner_type="user", owner_id=ada.pk, user_id=ada.pk
    )
    ledger.batch_post(
        key=f"demo:opening:{ada.pk}",
        kind="opening_balance",
        legs=[ledger.Leg(clearing, payable, 25_000)],
        actor=finance,
        memo="Earnings carried over from the coop's earlier bookkeeping",
        subject_id=ada.pk,
    )
    payout_account_set(
        user=ada,
        iban=IBAN.generate("NL", bank_code="RABO", account_code="0123456789").compact,
        holder_name="Ada de Vries",
        actor=ada,
    )
    if not Withdrawal.objects.filter(user=ada).exists():
        withdrawal_create(user=ada, amount_cents=10_000, actor=ada)
    bank_payment_record(
        reference="Gift for the coop",
        amount_cents=1_500,
        currency=currency,
        received_on=timezone.localdate(),
        actor=finance,
        note="No reference: finance to decide",
        bank_transaction_id="DEMO-STATEMENT-0001",
    )

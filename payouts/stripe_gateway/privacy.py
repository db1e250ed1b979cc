"""The personal data of the Stripe gateway, for "download my data" and account deletion (core.privacy).

Card payments, refunds and transfers are payment records kept with the books. Webhook events are
Stripe's own record of them and can carry the payer's name and email address (billing details,
Checkout's customer details) in events we cannot always tie to a user, so names are rewritten in
every event, not only in the person's own.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.privacy import DELETE, KEEP, exempt_personal_data, register_personal_data
from payouts.privacy import BOOKKEEPING


def _events_of(user: Any) -> QuerySet:
    """Return the webhook events about the person's payments, connected account and transfers."""
    from payouts.stripe_gateway.models import StripeConnectAccount, StripeEvent, StripePayment, StripeTransfer

    payments = StripePayment.objects.filter(payment_request__payer_id=user.pk)
    intents = [pk for pk in payments.values_list("payment_intent_id", flat=True) if pk]
    objects = [
        *intents,
        *(pk for pk in payments.values_list("checkout_session_id", flat=True) if pk),
        *(pk for pk in StripeConnectAccount.objects.filter(user_id=user.pk).values_list("account_id", flat=True) if pk),
        *(
            pk
            for pk in StripeTransfer.objects.filter(account__user_id=user.pk).values_list("transfer_id", flat=True)
            if pk
        ),
    ]
    return StripeEvent.objects.filter(
        Q(payload__data__object__id__in=objects) | Q(payload__data__object__payment_intent__in=intents)
    )


def register() -> None:
    from payouts.stripe_gateway.models import (
        StripeAccountLink,
        StripeConnectAccount,
        StripeEvent,
        StripeEventStatusChange,
        StripePayment,
        StripeRefund,
        StripeRefundStatusChange,
        StripeTransfer,
        StripeTransferStatusChange,
    )

    register_personal_data(
        StripeEvent,
        _events_of,
        erase=KEEP,
        purpose=_("What Stripe told us about your card payments, your Stripe account and your payouts."),
        keep_reason=BOOKKEEPING,
        scrub_all=True,
    )
    register_personal_data(
        StripePayment,
        "payment_request__payer",
        erase=KEEP,
        purpose=_("Your card payments through Stripe."),
        keep_reason=BOOKKEEPING,
    )
    register_personal_data(
        StripeRefund,
        "payment__payment_request__payer",
        erase=KEEP,
        purpose=_("Refunds of your card payments through Stripe."),
        keep_reason=BOOKKEEPING,
    )
    # The connected account stays because the transfers that paid the person point at it; it
    # holds only Stripe's account id and its status, no name.
    register_personal_data(
        StripeConnectAccount,
        "user",
        erase=KEEP,
        purpose=_("Your Stripe account that your earnings are paid to, and whether Stripe has verified it."),
        keep_reason=BOOKKEEPING,
    )
    # An onboarding link signs its holder in to their Stripe account until it expires: never
    # exported, and of no use once the account is gone.
    register_personal_data(
        StripeAccountLink,
        "account__user",
        erase=DELETE,
        secret=["url"],
        purpose=_("The links we gave you to set up your Stripe account."),
    )
    register_personal_data(
        StripeTransfer,
        ("withdrawal__user", "account__user"),
        erase=KEEP,
        purpose=_("The transfers that paid your withdrawals to your Stripe account."),
        keep_reason=BOOKKEEPING,
    )
    exempt_personal_data(
        StripeEventStatusChange,
        reason="Only Stripe's deliveries move a webhook event, so its history names no person as actor.",
    )
    register_personal_data(
        StripeRefundStatusChange,
        ("refund__payment__payment_request__payer", "actor"),
        erase=KEEP,
        purpose=_("The history of refunds of your card payments through Stripe."),
        keep_reason=BOOKKEEPING,
    )
    register_personal_data(
        StripeTransferStatusChange,
        ("transfer__withdrawal__user", "actor"),
        erase=KEEP,
        purpose=_("The history of the transfers that paid your withdrawals to your Stripe account."),
        keep_reason=BOOKKEEPING,
    )

"""Stripe Connect: freelancers' Express accounts, onboarding links and transfers for withdrawals.

Lock order: StripeConnectAccount row, then the withdrawal (read under lock, never written here),
then the StripeTransfer row.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any

import stripe
from django.db import transaction
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, Conflict
from core.permissions import authorize
from core.services import audit_log
from core.transitions import transition
from payouts.payments import Withdrawal
from payouts.stripe_gateway.client import connect_client, from_timestamp, provider_error
from payouts.stripe_gateway.exceptions import ErrorCode
from payouts.stripe_gateway.models import StripeAccountLink, StripeConnectAccount, StripeTransfer

if TYPE_CHECKING:
    from membership.models import User


def _account_row(user: User) -> StripeConnectAccount:
    StripeConnectAccount.objects.get_or_create(user=user, defaults={"idempotency_key": f"user:{user.pk}:connect"})
    return StripeConnectAccount.objects.select_for_update().select_related("user").get(user=user)


@transaction.atomic
def connect_account_ensure(*, user: User, actor: User | None) -> StripeConnectAccount:
    """Return the user's Express account, creating it at Stripe once."""
    authorize(actor or user, "earnings.connect_stripe", user)
    if not getattr(user, "is_freelancer", False):
        raise ApplicationError(
            _("Only freelancers can receive payouts through Stripe."), code=ErrorCode.NOT_A_FREELANCER
        )
    account = _account_row(user)
    if account.account_id:
        return account
    params: dict[str, Any] = {
        "type": "express",
        "email": user.email,
        "capabilities": {"transfers": {"requested": True}},
        "metadata": {"user_id": str(user.pk)},
    }
    try:
        created = connect_client().v1.accounts.create(params, {"idempotency_key": account.idempotency_key})  # type: ignore[arg-type]
    except stripe.StripeError as exc:
        raise provider_error(exc) from exc
    state = created.to_dict()
    account.account_id = created.id
    account.payouts_enabled = bool(state.get("payouts_enabled"))
    account.charges_enabled = bool(state.get("charges_enabled"))
    account.details_submitted = bool(state.get("details_submitted"))
    account.save()
    audit_log(
        actor=actor, action="stripe.connect_account_created", target=account, subject=user, data={"account": created.id}
    )
    return account


def connect_onboarding_link_create(*, user: User, refresh_url: str, return_url: str, actor: User | None) -> str:
    """Return a fresh onboarding link for the user's Express account (an account link expires fast)."""
    account = connect_account_ensure(user=user, actor=actor)
    with transaction.atomic():
        link = StripeAccountLink.objects.create(
            account=account, idempotency_key=f"connect:{account.pk}:link:{secrets.token_hex(8)}"
        )
    try:
        created = connect_client().v1.account_links.create(
            {
                "account": str(account.account_id),
                "refresh_url": refresh_url,
                "return_url": return_url,
                "type": "account_onboarding",
            },
            {"idempotency_key": link.idempotency_key},
        )
    except stripe.StripeError as exc:
        raise provider_error(exc) from exc
    with transaction.atomic():
        link.url = created.url
        link.expires_at = from_timestamp(created.to_dict().get("expires_at"))
        link.save(update_fields=["url", "expires_at"])
        audit_log(actor=actor, action="stripe.onboarding_link_created", target=account, subject=user)
    return str(created.url)


@transaction.atomic
def connect_account_update(*, account: dict[str, Any], as_of: datetime) -> StripeConnectAccount | None:
    """Apply an account's state from account.updated; an older state than the one held is ignored."""
    row = StripeConnectAccount.objects.select_for_update().filter(account_id=str(account.get("id"))).first()
    if row is None:
        return None
    if row.state_at is not None and as_of < row.state_at:
        return row
    before = (row.payouts_enabled, row.charges_enabled, row.details_submitted)
    row.payouts_enabled = bool(account.get("payouts_enabled"))
    row.charges_enabled = bool(account.get("charges_enabled"))
    row.details_submitted = bool(account.get("details_submitted"))
    row.state_at = as_of
    row.save()
    after = (row.payouts_enabled, row.charges_enabled, row.details_submitted)
    if before != after:
        audit_log(
            actor=None,
            action="stripe.connect_account_updated",
            target=row,
            subject=row.user,
            data={"payouts_enabled": row.payouts_enabled, "details_submitted": row.details_submitted},
        )
    return row


@transaction.atomic
def _transfer_reserve(*, withdrawal_id: int, transfer_group: str | None, actor: User | None) -> StripeTransfer:
    withdrawal = Withdrawal.objects.select_related("user").filter(pk=withdrawal_id).first()
    if withdrawal is None:
        raise ApplicationError(_("There is no such withdrawal."), code=ErrorCode.WITHDRAWAL_UNKNOWN)
    account = StripeConnectAccount.objects.select_for_update().filter(user_id=withdrawal.user_id).first()
    withdrawal = Withdrawal.objects.select_for_update().get(pk=withdrawal_id)
    existing = StripeTransfer.objects.filter(withdrawal_id=withdrawal_id).first()
    if existing is not None:
        return existing
    if withdrawal.status != Withdrawal.Status.REQUESTED:
        raise Conflict(
            _("Only a requested withdrawal can be paid through Stripe."), code=ErrorCode.WITHDRAWAL_NOT_REQUESTED
        )
    if account is None or not account.account_id or not account.payouts_enabled:
        raise Conflict(
            _("The freelancer has no Stripe account that can receive payouts yet."), code=ErrorCode.CONNECT_NOT_READY
        )
    transfer = StripeTransfer.objects.create(
        withdrawal=withdrawal,
        account=account,
        idempotency_key=f"withdrawal:{withdrawal.pk}:transfer",
        transfer_group=transfer_group or f"withdrawal:{withdrawal.pk}",
        amount_cents=withdrawal.amount_cents,
        currency=withdrawal.currency,
    )
    audit_log(
        actor=actor,
        action="stripe.transfer_requested",
        target=transfer,
        subject=withdrawal.user,
        data={"withdrawal_id": withdrawal.pk, "amount_cents": withdrawal.amount_cents},
    )
    return transfer


def stripe_transfer_for_withdrawal(
    *, withdrawal_id: int, actor: User | None, transfer_group: str | None = None
) -> StripeTransfer:
    """Send a requested withdrawal's amount to the freelancer's connected account, once.

    This moves the money at Stripe only. The caller (the withdrawal's settle service) then posts
    ledger.withdrawal_settle(provider="stripe") and moves the withdrawal to settled. The transfer
    row and its key are stored before Stripe is called, so a retry never transfers twice.
    """
    transfer = _transfer_reserve(withdrawal_id=withdrawal_id, transfer_group=transfer_group, actor=actor)
    if transfer.transfer_id:
        return transfer
    try:
        created = connect_client().v1.transfers.create(
            {
                "amount": transfer.amount_cents,
                "currency": transfer.currency.lower(),
                "destination": str(transfer.account.account_id),
                "transfer_group": transfer.transfer_group,
                "metadata": {"withdrawal_id": str(withdrawal_id)},
            },
            {"idempotency_key": transfer.idempotency_key},
        )
    except stripe.StripeError as exc:
        raise provider_error(exc) from exc
    with transaction.atomic():
        transfer = StripeTransfer.objects.select_for_update().get(pk=transfer.pk)
        transfer.transfer_id = created.id
        transition(
            transfer,
            StripeTransfer.Status.SENT,
            actor=actor,
            update_fields=("transfer_id",),
            audit_data={"transfer": created.id},
        )
    return transfer

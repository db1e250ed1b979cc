"""Writes for payment requests and received bank payments.

Lock order, everywhere: bank payment row, then payment request row, then ledger accounts (inside
batch_post, in id order). Money that arrived but cannot go to its purpose yet waits in suspense:
part payments in suspense[payment_request], unmatched and excess amounts in
suspense[bank_payment], where finance resolves them.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, Conflict
from core.money import Money, default_currency
from core.permissions import authorize
from core.ports import PAYMENT_PURPOSES, PaymentHandler
from core.registry import NotRegistered
from core.services import audit_log
from core.transitions import transition
from payouts.exceptions import ErrorCode
from payouts.ledger.posting import Leg, batch_post, clearing_account, suspense_account
from payouts.models import (
    Account,
    BankPayment,
    BankPaymentStatusChange,
    PaymentRequest,
    PaymentRequestStatusChange,
    Provider,
)
from payouts.payments.providers import get_provider
from payouts.payments.references import new_reference, normalize_reference

if TYPE_CHECKING:
    from membership.models import User

BANK = Provider.BANK_TRANSFER.value
# No payment to the coop's account can predate this: a bank statement date before it is a typo
# (0001-01-01, a two-digit year), and a wrong date puts the money in the wrong financial year.
EARLIEST_RECEIVED_ON = date(2000, 1, 1)


def _person(actor: User | None) -> User | None:
    """Return the actor when it is a signed-in person (not a task or a webhook)."""
    return actor if actor is not None and actor.is_authenticated else None


def _check_amount(amount_cents: int) -> None:
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents <= 0:
        raise ApplicationError(_("The amount must be a positive number of cents."), code=ErrorCode.BAD_AMOUNT)


def _check_received_on(received_on: date) -> None:
    today = timezone.localdate()
    if received_on > today:
        raise ApplicationError(_("The date received cannot be in the future."), code=ErrorCode.FUTURE_DATE)
    if received_on < EARLIEST_RECEIVED_ON:
        raise ApplicationError(
            _("The date received must be between %(earliest)s and today; check the year.")
            % {"earliest": date_format(EARLIEST_RECEIVED_ON)},
            code=ErrorCode.IMPLAUSIBLE_DATE,
        )


def bank_payment_already_recorded(bank_transaction_id: str) -> BankPayment | None:
    """Return the bank payment already recorded with this bank transaction id, if any."""
    if not bank_transaction_id:
        return None
    return BankPayment.objects.filter(bank_transaction_id=bank_transaction_id).select_related("payment_request").first()


def already_recorded_message(bank_payment: BankPayment) -> str:
    """Say that a bank transaction was recorded before, so finance does not look for a new match."""
    return _("Bank transaction %(id)s was already recorded on %(date)s; nothing was changed.") % {
        "id": bank_payment.bank_transaction_id,
        "date": date_format(timezone.localtime(bank_payment.created_at).date()),
    }


def _repeat(*, seen: BankPayment, amount_cents: int, currency: str) -> BankPayment:
    # A bank transaction id names one transfer: the same id with another amount is a typo in the
    # id or the amount, never the same payment, so it is refused rather than quietly ignored.
    if (seen.amount_cents, seen.currency) != (amount_cents, currency):
        raise Conflict(
            _(
                "Bank transaction %(id)s was already recorded with a different amount (%(amount)s); "
                "check the transaction id and the amount."
            )
            % {"id": seen.bank_transaction_id, "amount": Money(seen.amount_cents, seen.currency).format()},
            code=ErrorCode.BANK_TRANSACTION_MISMATCH,
            detail={"bank_transaction_id": [_("This bank transaction id was already recorded.")]},
        )
    seen.already_recorded = True
    return seen


def _check_currency(currency: str) -> None:
    if currency != default_currency():
        raise ApplicationError(
            _("Only payments in %(currency)s are accepted.") % {"currency": default_currency()},
            code=ErrorCode.BAD_CURRENCY,
        )


def _purpose_handler(purpose: str) -> PaymentHandler:
    """Return the handler the owning app registered for `purpose`; refuse a purpose nobody handles.

    Checked when a request is made and again when it is paid: money for a purpose nobody handles
    must never be taken as paid without its effect (the payment rolls back instead).
    """
    try:
        return PAYMENT_PURPOSES.get(purpose)
    except NotRegistered:
        raise ApplicationError(
            _("Unknown payment purpose: %(purpose)s.") % {"purpose": purpose},
            code=ErrorCode.UNKNOWN_PAYMENT_PURPOSE,
            detail={"purpose": purpose},
        ) from None


@transaction.atomic
def payment_request_create(
    *,
    payer: User,
    amount_cents: int,
    currency: str,
    purpose: str,
    purpose_ref: str,
    provider: str = BANK,
    actor: User | None,
    description: str = "",
) -> PaymentRequest:
    """Ask `payer` to pay an amount for a purpose; with a live request for it already, return that."""
    _check_amount(amount_cents)
    _check_currency(currency)
    _purpose_handler(purpose)
    get_provider(provider)
    existing = PaymentRequest.objects.filter(purpose=purpose, purpose_ref=str(purpose_ref)).exclude(
        status=PaymentRequest.Status.CANCELLED
    )
    found = existing.first()
    if found is not None:
        return found
    for _attempt in range(5):
        try:
            with transaction.atomic():
                payment_request = PaymentRequest.objects.create(
                    payer=payer,
                    amount_cents=amount_cents,
                    currency=currency,
                    provider=provider,
                    reference=new_reference(),
                    purpose=purpose,
                    purpose_ref=str(purpose_ref),
                    description=description[:200],
                )
            break
        except IntegrityError:
            # Either another request for this purpose won the race, or the random reference
            # collided: the first case returns the winner, the second tries a new reference.
            found = existing.first()
            if found is not None:
                return found
    else:
        raise Conflict(_("Could not create a unique payment reference; try again."), code=ErrorCode.REFERENCE_EXHAUSTED)
    PaymentRequestStatusChange.objects.create(
        payment_request=payment_request, to_status=payment_request.status, actor=_person(actor)
    )
    audit_log(
        actor=actor,
        action="payment_request.created",
        target=payment_request,
        subject=payer,
        data={"purpose": purpose, "purpose_ref": str(purpose_ref), "amount_cents": amount_cents},
    )
    return payment_request


def _request_move(*, payment_request: PaymentRequest, to_status: str, actor: User | None) -> None:
    transition(
        payment_request,
        to_status,
        actor=actor,
        update_fields=("amount_received_cents", "paid_at"),
        audit_data={"received_cents": payment_request.amount_received_cents},
        subject=payment_request.payer,
    )


def _mark_paid(*, payment_request: PaymentRequest, actor: User | None) -> None:
    payment_request.paid_at = timezone.now()
    _request_move(payment_request=payment_request, to_status=PaymentRequest.Status.PAID, actor=actor)
    # The status move is made once under the row lock, so the handler runs exactly once.
    _purpose_handler(payment_request.purpose)(payment_request)


def _record_part(*, payment_request: PaymentRequest, actor: User | None) -> None:
    if payment_request.status == PaymentRequest.Status.OPEN:
        _request_move(payment_request=payment_request, to_status=PaymentRequest.Status.PARTIALLY_PAID, actor=actor)
        return
    payment_request.save(update_fields=["amount_received_cents", "updated_at"])
    audit_log(
        actor=actor,
        action="payment_request.part_received",
        target=payment_request,
        subject=payment_request.payer,
        data={"received_cents": payment_request.amount_received_cents},
    )


@transaction.atomic
def payment_request_receive(
    *, payment_request_id: int, amount_cents: int, actor: User | None, provider_ref: str = ""
) -> PaymentRequest:
    """Record money a provider confirmed for a request (a card payment); pay it out when complete.

    The amount is in the provider's clearing account already; the purpose's handler moves the
    whole request amount out of it once the request is fully paid.
    """
    _check_amount(amount_cents)
    payment_request = PaymentRequest.objects.select_for_update().select_related("payer").get(pk=payment_request_id)
    if payment_request.status not in (PaymentRequest.Status.OPEN, PaymentRequest.Status.PARTIALLY_PAID):
        raise Conflict(_("This payment request is not open for payment."), code=ErrorCode.PAYMENT_REQUEST_CLOSED)
    if amount_cents > payment_request.outstanding_cents:
        raise Conflict(_("The amount is more than what is still due."), code=ErrorCode.OVERPAYMENT)
    payment_request.amount_received_cents += amount_cents
    if provider_ref:
        payment_request.provider_ref = provider_ref
        payment_request.save(update_fields=["provider_ref", "updated_at"])
    if payment_request.outstanding_cents == 0:
        _mark_paid(payment_request=payment_request, actor=actor)
    else:
        _record_part(payment_request=payment_request, actor=actor)
    return payment_request


@transaction.atomic
def payment_request_cancel(*, payment_request_id: int, actor: User | None) -> PaymentRequest:
    """Cancel a request nothing was paid on yet."""
    payment_request = PaymentRequest.objects.select_for_update().select_related("payer").get(pk=payment_request_id)
    authorize(actor, "payment_request.cancel", payment_request)
    _request_move(payment_request=payment_request, to_status=PaymentRequest.Status.CANCELLED, actor=actor)
    return payment_request


def _apply_to_request(
    *,
    bank_payment: BankPayment,
    payment_request: PaymentRequest,
    amount_cents: int,
    source: Account,
    key: str,
    actor: User | None,
) -> tuple[int, list[Leg]]:
    """Apply up to amount_cents from `source` to a locked request; return (applied, legs to post).

    Until a request is fully paid its money waits in suspense[payment_request]; on completion it
    all goes back to clearing, from where the purpose's handler takes the whole amount.
    """
    currency = payment_request.currency
    clearing = clearing_account(BANK, currency)
    held = suspense_account(
        owner_type="payment_request", owner_id=payment_request.pk, currency=currency, user_id=payment_request.payer_id
    )
    applied = min(amount_cents, payment_request.outstanding_cents)
    previous = payment_request.amount_received_cents
    payment_request.amount_received_cents += applied
    complete = payment_request.outstanding_cents == 0
    legs: list[Leg] = []
    if complete:
        if previous:
            legs.append(Leg(held, clearing, previous))
        if source.pk != clearing.pk:
            legs.append(Leg(source, clearing, applied))
    else:
        legs.append(Leg(source, held, applied))
    if legs:
        batch_post(
            key=key,
            kind="bank_payment_apply",
            legs=legs,
            actor=actor,
            memo=_("Bank payment %(id)s applied to %(reference)s")
            % {"id": bank_payment.pk, "reference": payment_request.reference},
            data={"bank_payment_id": bank_payment.pk, "payment_request_id": payment_request.pk},
            subject_id=payment_request.payer_id,
        )
    if complete:
        _mark_paid(payment_request=payment_request, actor=actor)
    else:
        _record_part(payment_request=payment_request, actor=actor)
    return applied, legs


def _payable_request(reference: str) -> PaymentRequest | None:
    canonical = normalize_reference(reference)
    if canonical is None:
        return None
    return (
        PaymentRequest.objects.select_for_update()
        .select_related("payer")
        .filter(
            reference=canonical,
            provider=BANK,
            status__in=[PaymentRequest.Status.OPEN, PaymentRequest.Status.PARTIALLY_PAID],
        )
        .first()
    )


@transaction.atomic
def bank_payment_record(
    *,
    reference: str,
    amount_cents: int,
    currency: str,
    received_on: date,
    actor: User | None,
    note: str = "",
    bank_transaction_id: str = "",
) -> BankPayment:
    """Record an amount that arrived on the coop's bank account and match it to its request.

    A part payment is held until the request is paid in full; an excess, or a payment whose
    reference matches no open request, goes to suspense for finance to resolve.

    The bank_transaction_id is the statement's idempotency key: recorded again (a re-imported
    statement, a retried request, demo data seeded twice), the stored payment is returned, with
    `already_recorded` set to True, and nothing changes; with another amount it is refused. A
    payment recorded now has `already_recorded` False.
    """
    authorize(actor, "bank_payment.record")
    _check_amount(amount_cents)
    _check_currency(currency)
    _check_received_on(received_on)
    seen = bank_payment_already_recorded(bank_transaction_id)
    if seen is not None:
        return _repeat(seen=seen, amount_cents=amount_cents, currency=currency)
    try:
        with transaction.atomic():
            bank_payment = BankPayment.objects.create(
                reference_text=reference[:140],
                bank_transaction_id=bank_transaction_id or None,
                amount_cents=amount_cents,
                currency=currency,
                received_on=received_on,
                note=note[:300],
                status=BankPayment.Status.IN_SUSPENSE,
                recorded_by=_person(actor),
            )
            BankPaymentStatusChange.objects.create(
                bank_payment=bank_payment, to_status=bank_payment.status, actor=_person(actor)
            )
    except IntegrityError:
        # The same transaction recorded at the same moment by another request: the unique
        # bank_transaction_id let one through; this one is the repeat.
        seen = bank_payment_already_recorded(bank_transaction_id)
        if seen is None:
            raise
        return _repeat(seen=seen, amount_cents=amount_cents, currency=currency)
    bank_payment.already_recorded = False
    clearing = clearing_account(BANK, currency)
    payment_request = _payable_request(reference)
    applied = 0
    if payment_request is not None and payment_request.currency == currency:
        applied, _legs = _apply_to_request(
            bank_payment=bank_payment,
            payment_request=payment_request,
            amount_cents=amount_cents,
            source=clearing,
            key=f"bank_payment:{bank_payment.pk}:apply",
            actor=actor,
        )
        bank_payment.payment_request = payment_request
    excess = amount_cents - applied
    if excess:
        batch_post(
            key=f"bank_payment:{bank_payment.pk}:suspense",
            kind="bank_payment_suspense",
            legs=[
                Leg(
                    clearing,
                    suspense_account(owner_type="bank_payment", owner_id=bank_payment.pk, currency=currency),
                    excess,
                )
            ],
            actor=actor,
            memo=_("Bank payment %(id)s held in suspense") % {"id": bank_payment.pk},
            data={"bank_payment_id": bank_payment.pk, "reference": reference[:140]},
        )
    bank_payment.applied_cents = applied
    bank_payment.suspense_cents = excess
    matched = ("payment_request", "applied_cents", "suspense_cents")
    if excess:
        bank_payment.save(update_fields=[*matched, "updated_at"])
    else:
        transition(
            bank_payment,
            BankPayment.Status.MATCHED,
            actor=actor,
            update_fields=matched,
            subject=payment_request.payer if payment_request else None,
        )
    audit_log(
        actor=actor,
        action="bank_payment.recorded",
        target=bank_payment,
        subject=payment_request.payer if payment_request else None,
        data={
            "reference": reference[:140],
            "amount_cents": amount_cents,
            "applied_cents": applied,
            "suspense_cents": excess,
        },
    )
    return bank_payment


def _locked_suspense(bank_payment_id: int) -> BankPayment:
    bank_payment = BankPayment.objects.select_for_update().get(pk=bank_payment_id)
    if bank_payment.status != BankPayment.Status.IN_SUSPENSE or bank_payment.suspense_cents <= 0:
        raise Conflict(_("This payment has nothing left in suspense."), code=ErrorCode.NOT_IN_SUSPENSE)
    return bank_payment


@transaction.atomic
def suspense_apply(*, bank_payment_id: int, reference: str, actor: User | None) -> BankPayment:
    """Apply a payment's amount in suspense to the open request with this reference."""
    authorize(actor, "bank_payment.apply")
    bank_payment = _locked_suspense(bank_payment_id)
    payment_request = _payable_request(reference)
    if payment_request is None or payment_request.currency != bank_payment.currency:
        raise ApplicationError(
            _("No open bank-transfer payment request has the reference %(reference)s.") % {"reference": reference},
            code=ErrorCode.UNKNOWN_REFERENCE,
        )
    source = suspense_account(owner_type="bank_payment", owner_id=bank_payment.pk, currency=bank_payment.currency)
    applied, _legs = _apply_to_request(
        bank_payment=bank_payment,
        payment_request=payment_request,
        amount_cents=bank_payment.suspense_cents,
        source=source,
        key=f"bank_payment:{bank_payment.pk}:apply:{payment_request.pk}",
        actor=actor,
    )
    bank_payment.suspense_cents -= applied
    bank_payment.applied_cents += applied
    bank_payment.resolved_request = payment_request
    applied_fields = ("suspense_cents", "applied_cents", "resolved_request", "resolution")
    if bank_payment.suspense_cents == 0:
        bank_payment.resolution = BankPayment.Resolution.APPLIED
        transition(
            bank_payment,
            BankPayment.Status.RESOLVED,
            actor=actor,
            update_fields=applied_fields,
            audit_data={"resolution": bank_payment.resolution},
            subject=payment_request.payer,
        )
    else:
        bank_payment.save(update_fields=[*applied_fields, "updated_at"])
    audit_log(
        actor=actor,
        action="bank_payment.applied",
        target=bank_payment,
        subject=payment_request.payer,
        data={"payment_request": payment_request.reference, "applied_cents": applied},
    )
    return bank_payment


@transaction.atomic
def suspense_refund(*, bank_payment_id: int, actor: User | None, note: str = "") -> BankPayment:
    """Record that the amount in suspense was paid back to whoever sent it."""
    authorize(actor, "bank_payment.refund")
    bank_payment = _locked_suspense(bank_payment_id)
    currency = bank_payment.currency
    source = suspense_account(owner_type="bank_payment", owner_id=bank_payment.pk, currency=currency)
    batch_post(
        key=f"bank_payment:{bank_payment.pk}:refund",
        kind="bank_payment_refund",
        legs=[Leg(source, clearing_account(BANK, currency), bank_payment.suspense_cents)],
        actor=actor,
        memo=note or _("Bank payment %(id)s paid back") % {"id": bank_payment.pk},
        data={"bank_payment_id": bank_payment.pk},
    )
    refunded = bank_payment.suspense_cents
    bank_payment.suspense_cents = 0
    bank_payment.resolution = BankPayment.Resolution.REFUNDED
    transition(
        bank_payment,
        BankPayment.Status.RESOLVED,
        actor=actor,
        update_fields=("suspense_cents", "resolution"),
        audit_data={"resolution": bank_payment.resolution},
    )
    audit_log(actor=actor, action="bank_payment.refunded", target=bank_payment, data={"refunded_cents": refunded})
    return bank_payment

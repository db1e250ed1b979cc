"""Accounts by purpose and the one function that posts a batch: `batch_post`.

Every money event goes through `batch_post`, which makes it idempotent by key, locks the accounts
it touches in id order, refuses to take a floored account below zero (reading the running balance in
the locked row), moves the running balances on, and writes the audit row, all in the caller's
transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, Conflict
from core.services import audit_log
from payouts.exceptions import ErrorCode
from payouts.models import Account, AccountPurpose, Batch, Posting

# Who caused a money event: a signed-in user, an anonymous visitor (a webhook, a public form), or
# nobody for the system itself. Only a signed-in user is recorded on the batch and in the audit log.
Actor: TypeAlias = AbstractBaseUser | AnonymousUser | None

# What a batch's `data` holds: JSON that says which business objects the event belongs to.
JSONValue: TypeAlias = str | int | bool | Sequence["JSONValue"] | Mapping[str, "JSONValue"] | None


@dataclass(frozen=True, slots=True)
class Leg:
    """One posting of a batch to be: `amount_cents` from one account to another."""

    from_account: Account
    to_account: Account
    amount_cents: int


def account_get(
    *,
    purpose: str,
    currency: str,
    owner_type: str = "",
    owner_id: str | int = "",
    name: str = "",
    user_id: int | None = None,
    beneficiary_id: int | None = None,
) -> Account:
    """Return the account for a purpose, owner, name and currency, creating it on first use."""
    account, _created = Account.objects.get_or_create(
        purpose=purpose,
        owner_type=owner_type,
        owner_id=str(owner_id),
        name=name,
        currency=currency,
        defaults={
            "user_id": user_id,
            "beneficiary_id": beneficiary_id,
            "allow_negative": purpose == AccountPurpose.PROVIDER_CLEARING,
        },
    )
    return account


def clearing_account(provider: str, currency: str) -> Account:
    return account_get(
        purpose=AccountPurpose.PROVIDER_CLEARING, currency=currency, owner_type="provider", owner_id=provider
    )


def escrow_account(
    *, contract_id: int, currency: str, client_id: int | None = None, freelancer_id: int | None = None
) -> Account:
    return account_get(
        purpose=AccountPurpose.ESCROW,
        currency=currency,
        owner_type="contract",
        owner_id=contract_id,
        user_id=client_id,
        beneficiary_id=freelancer_id,
    )


def payable_account(user_id: int, currency: str) -> Account:
    return account_get(
        purpose=AccountPurpose.PAYABLE, currency=currency, owner_type="user", owner_id=user_id, user_id=user_id
    )


def payout_pending_account(user_id: int, currency: str) -> Account:
    return account_get(
        purpose=AccountPurpose.PAYOUT_PENDING, currency=currency, owner_type="user", owner_id=user_id, user_id=user_id
    )


def fee_income_account(currency: str) -> Account:
    return account_get(purpose=AccountPurpose.FEE_INCOME, currency=currency)


def expense_account(category: str, currency: str) -> Account:
    return account_get(purpose=AccountPurpose.EXPENSE, currency=currency, name=category)


def fund_account(name: str, currency: str) -> Account:
    return account_get(purpose=AccountPurpose.FUND, currency=currency, name=name)


def share_capital_account(member_id: int, currency: str, user_id: int | None = None) -> Account:
    return account_get(
        purpose=AccountPurpose.SHARE_CAPITAL,
        currency=currency,
        owner_type="member",
        owner_id=member_id,
        user_id=user_id,
    )


def member_capital_account(member_id: int, currency: str, user_id: int | None = None) -> Account:
    return account_get(
        purpose=AccountPurpose.MEMBER_CAPITAL,
        currency=currency,
        owner_type="member",
        owner_id=member_id,
        user_id=user_id,
    )


def suspense_account(*, owner_type: str, owner_id: str | int, currency: str, user_id: int | None = None) -> Account:
    return account_get(
        purpose=AccountPurpose.SUSPENSE, currency=currency, owner_type=owner_type, owner_id=owner_id, user_id=user_id
    )


class InsufficientFunds(Conflict):
    def __init__(self, account: Account, balance: int, needed: int) -> None:
        super().__init__(
            _("Not enough money in %(account)s: %(balance)s available, %(needed)s needed.")
            % {"account": str(account), "balance": balance, "needed": needed},
            code=ErrorCode.INSUFFICIENT_FUNDS,
            detail={"account_id": account.pk, "balance_cents": balance, "needed_cents": needed},
        )


def _validate(legs: Sequence[Leg]) -> None:
    if not legs:
        raise ApplicationError(_("A ledger batch needs at least one posting."), code=ErrorCode.EMPTY_BATCH)
    for leg in legs:
        amount = leg.amount_cents
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise ApplicationError(
                _("Every posting moves a positive whole number of cents."), code=ErrorCode.BAD_AMOUNT
            )
        if leg.from_account.pk == leg.to_account.pk:
            raise ApplicationError(_("A posting needs two different accounts."), code=ErrorCode.SAME_ACCOUNT)
        if leg.from_account.currency != leg.to_account.currency:
            raise ApplicationError(
                _("A posting cannot move money between currencies."), code=ErrorCode.CURRENCY_MISMATCH
            )


def _existing(key: str, kind: str) -> Batch | None:
    batch = next(iter(Batch.objects.filter(idempotency_key=key).order_by()[:1]), None)
    if batch is not None and batch.kind != kind:
        raise Conflict(
            _("The key %(key)s was already used for another kind of event.") % {"key": key},
            code=ErrorCode.IDEMPOTENCY_KEY_REUSED,
        )
    return batch


@transaction.atomic
def batch_post(
    *,
    key: str,
    kind: str,
    legs: Sequence[Leg],
    actor: Actor,
    memo: str = "",
    data: Mapping[str, JSONValue] | None = None,
    reverses: Batch | None = None,
    subject_id: int | None = None,
    guard: Callable[[], None] | None = None,
) -> Batch:
    """Post `legs` as one batch under `key`; with the key already used, return that batch.

    `guard`, when given, runs after the locks are held and may raise to refuse the event (for
    example: a withdrawal that already failed cannot settle).
    """
    _validate(legs)
    net: dict[int, int] = defaultdict(int)
    accounts: dict[int, Account] = {}
    for leg in legs:
        net[leg.from_account.pk] -= leg.amount_cents
        net[leg.to_account.pk] += leg.amount_cents
        accounts[leg.from_account.pk] = leg.from_account
        accounts[leg.to_account.pk] = leg.to_account
    # Every account the batch touches is locked in id order (two events touching the same accounts
    # queue up instead of deadlocking), and the lock reads its running balance: the floor check is
    # one row per account, not a sum over its history. The key is checked after the lock, so of
    # concurrent calls for one event only the first posts.
    touched = sorted(net)
    balances = dict(
        Account.objects.select_for_update()
        .filter(pk__in=touched)
        .order_by("pk")
        .values_list("pk", "running_balance_cents")
    )
    existing = _existing(key, kind)
    if existing is not None:
        return existing
    if guard is not None:
        guard()
    for pk in touched:
        if net[pk] < 0 and not accounts[pk].allow_negative and balances[pk] + net[pk] < 0:
            raise InsufficientFunds(accounts[pk], balances[pk], -net[pk])
    now = timezone.now()
    # Held locks make this call the only one for the key: no savepoint needed.
    fields = {
        "idempotency_key": key,
        "kind": kind,
        "memo": memo[:300],
        "actor": actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        "created_at": now,
        "reverses": reverses,
        "data": dict(data or {}),
    }
    batch = Batch.objects.create(**fields)
    Posting.objects.bulk_create(
        [
            Posting(
                batch=batch,
                from_account=leg.from_account,
                to_account=leg.to_account,
                amount_cents=leg.amount_cents,
                currency=leg.from_account.currency,
                created_at=now,
            )
            for leg in legs
        ]
    )
    _balances_move({pk: net[pk] for pk in touched if net[pk]})
    audit_log(
        actor=actor,
        action=f"ledger.{kind}",
        target=batch,
        subject=_subject(subject_id),
        data={"key": key, "legs": [[leg.from_account.pk, leg.to_account.pk, leg.amount_cents] for leg in legs]},
    )
    return batch


_MOVE_SQL = (
    "UPDATE payouts_account SET running_balance_cents = running_balance_cents "
    "+ CASE id {cases} ELSE 0 END WHERE id IN ({ids})"
)


def _balances_move(changes: Mapping[int, int]) -> None:
    """Add each account's net change to its running balance, in one statement (the rows are locked)."""
    if not changes:
        return
    cases = " ".join("WHEN %s THEN %s" for _pk in changes)
    ids = ", ".join("%s" for _pk in changes)
    params: list[int] = [value for pair in changes.items() for value in pair]
    # Only placeholders are formatted in; every value is a parameter.
    sql = _MOVE_SQL.format(cases=cases, ids=ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *changes])


def _subject(user_id: int | None) -> AbstractBaseUser | None:
    if user_id is None:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model()(pk=user_id)


@transaction.atomic
def batch_reverse(
    *,
    batch: Batch,
    key: str,
    actor: Actor,
    memo: str = "",
    extra_legs: Sequence[Leg] = (),
    kind: str = "reversal",
) -> Batch:
    """Post the mirror image of `batch` (each posting back the other way), plus `extra_legs`."""
    legs = [
        Leg(p.to_account, p.from_account, p.amount_cents)
        for p in batch.postings.select_related("from_account", "to_account")
    ]
    return batch_post(
        key=key,
        kind=kind,
        legs=[*legs, *extra_legs],
        actor=actor,
        memo=memo or _("Reversal of %(key)s") % {"key": batch.idempotency_key},
        reverses=batch,
        data={"reverses": batch.idempotency_key},
    )

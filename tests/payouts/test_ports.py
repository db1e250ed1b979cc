"""What payouts provides to membership through core.ports: payment requests and the share ledger."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from core.exceptions import ApplicationError
from core.ports import PAYMENT_PURPOSES, payment_requests, register_payment_purpose, share_ledger
from payouts import ledger
from payouts.models import PaymentRequest
from payouts.payments import bank_payment_record
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

PURPOSE = "test_share"


@pytest.fixture
def member() -> Any:
    return MemberFactory()


@pytest.fixture
def share_purpose(member: Any) -> Iterator[None]:
    """A share purpose whose handler records the share through the port, as membership's does."""

    def on_paid(payment_request: PaymentRequest) -> None:
        share_ledger.get().share_purchase(
            member_id=member.pk,
            user_id=member.user_id,
            amount_cents=payment_request.amount_cents,
            currency=payment_request.currency,
            provider=payment_request.provider,
            payment_ref=payment_request.reference,
            actor=None,
        )

    register_payment_purpose(PURPOSE, on_paid)
    yield
    PAYMENT_PURPOSES._items.pop(PURPOSE, None)


def request_share(member: Any, amount_cents: int = 5_000) -> str:
    return payment_requests.get().create(
        payer=member.user,
        amount_cents=amount_cents,
        currency="EUR",
        purpose=PURPOSE,
        purpose_ref=str(member.pk),
        actor=None,
    )


def pay(reference: str, amount_cents: int, transaction_id: str) -> None:
    bank_payment_record(
        reference=reference,
        amount_cents=amount_cents,
        currency="EUR",
        received_on=timezone.localdate(),
        actor=None,
        bank_transaction_id=transaction_id,
    )


def test_a_share_paid_through_the_port_posts_to_the_ledger_once(member: Any, share_purpose: None) -> None:
    reference = request_share(member)

    pay(reference, 5_000, "TX-1")
    pay(reference, 5_000, "TX-1")

    assert ledger.Batch.objects.filter(kind="share_purchase").count() == 1
    capital = share_ledger.get().member_capital(member_id=member.pk, user_id=member.user_id, currency="EUR")
    assert capital.shares_cents == 5_000
    assert PaymentRequest.objects.get(reference=reference).status == PaymentRequest.Status.PAID


def test_a_second_request_for_the_same_share_returns_the_first_reference(member: Any, share_purpose: None) -> None:
    assert request_share(member) == request_share(member)


def test_info_tells_the_payer_how_to_pay(member: Any, share_purpose: None) -> None:
    reference = request_share(member)

    info = payment_requests.get().info(reference)

    assert info is not None
    assert (info.reference, info.amount_cents, info.currency, info.status) == (reference, 5_000, "EUR", "open")
    assert (info.status_label, info.outstanding_cents) == ("Open", 5_000)
    assert info.instructions["reference"] == reference
    assert info.instructions["amount_cents"] == 5_000
    assert payment_requests.get().info("COOP-NONE-XXXX") is None


def test_member_capital_returns_every_movement_oldest_first_with_running_balance(member: Any) -> None:
    port = share_ledger.get()
    port.share_purchase(
        member_id=member.pk,
        user_id=member.user_id,
        amount_cents=5_000,
        currency="EUR",
        provider="bank_transfer",
        payment_ref="ref-1",
        actor=None,
    )
    ledger.income_record(
        amount_cents=1_200, currency="EUR", provider="bank_transfer", memo="Income", actor=None, key="income-1"
    )
    ledger.member_capital_credit(
        member_id=member.pk,
        user_id=member.user_id,
        amount_cents=1_200,
        currency="EUR",
        source_key="cycle:1:member:1:retained",
        actor=None,
        memo="Patronage retained",
    )
    port.share_redeem(
        member_id=member.pk,
        user_id=member.user_id,
        amount_cents=2_000,
        currency="EUR",
        provider="bank_transfer",
        actor=None,
        key="redeem-1",
    )

    capital = port.member_capital(member_id=member.pk, user_id=member.user_id, currency="EUR")

    assert (capital.shares_cents, capital.retained_cents) == (3_000, 1_200)
    assert [(m.kind, m.amount_cents, m.balance_cents) for m in capital.movements] == [
        ("share_purchase", 5_000, 5_000),
        ("member_capital_credit", 1_200, 6_200),
        ("share_redeem", -2_000, 4_200),
    ]
    assert [m.account for m in capital.movements] == ["Share capital", "Member capital account", "Share capital"]
    # Each movement says what it was in the reader's words, not the note stored with the posting.
    assert [m.memo for m in capital.movements] == [
        "You paid for your shares",
        "Your profit share kept in your capital account",
        "Your shares were paid back to you",
    ]


def test_another_members_capital_is_not_in_the_statement(member: Any) -> None:
    other = MemberFactory()
    share_ledger.get().share_purchase(
        member_id=other.pk,
        user_id=other.user_id,
        amount_cents=5_000,
        currency="EUR",
        provider="bank_transfer",
        payment_ref="other",
        actor=None,
    )

    capital = share_ledger.get().member_capital(member_id=member.pk, user_id=member.user_id, currency="EUR")

    assert (capital.shares_cents, capital.movements) == (0, [])


def test_a_paid_request_whose_purpose_has_no_handler_is_refused_and_changes_nothing(
    member: Any, share_purpose: None
) -> None:
    reference = request_share(member)
    PAYMENT_PURPOSES._items.pop(PURPOSE)

    with pytest.raises(ApplicationError) as exc:
        pay(reference, 5_000, "TX-2")

    assert exc.value.code == "unknown_payment_purpose"
    assert PaymentRequest.objects.get(reference=reference).status == PaymentRequest.Status.OPEN
    assert not ledger.Batch.objects.filter(kind="share_purchase").exists()

"""Random sequences of money events keep the books balanced, every floor intact, every split exact."""

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.exceptions import Conflict
from core.money import allocate
from payouts import ledger
from payouts.ledger.checks import ledger_report
from payouts.models import Batch
from tests.factories import MemberFactory, UserFactory

MILESTONES = st.integers(min_value=1, max_value=4)
AMOUNTS = st.integers(min_value=1, max_value=500_000)
PERCENTS = st.decimals(min_value=0, max_value=30, places=2)

EVENTS = st.one_of(
    st.tuples(st.just("fund"), MILESTONES, AMOUNTS),
    st.tuples(
        st.just("release"), MILESTONES, PERCENTS, st.integers(0, 300), st.one_of(st.none(), st.integers(0, 9_000))
    ),
    st.tuples(st.just("refund"), MILESTONES),
    st.tuples(st.just("reverse"), MILESTONES),
    st.tuples(st.just("dispute"), MILESTONES, st.integers(0, 100), PERCENTS),
    st.tuples(st.just("withdraw"), st.integers(1, 6), AMOUNTS),
    st.tuples(st.just("settle"), st.integers(1, 6)),
    st.tuples(st.just("fail"), st.integers(1, 6)),
    st.tuples(st.just("share"), st.integers(1, 3), AMOUNTS),
    st.tuples(st.just("expense"), AMOUNTS),
    st.tuples(st.just("income"), AMOUNTS),
    st.tuples(st.just("fund_allocate"), AMOUNTS),
)


class Rollback(Exception):
    pass


class Books:
    """Play events against the real ledger, remembering what each milestone was funded with."""

    def __init__(self) -> None:
        self.freelancer = UserFactory()
        self.client = UserFactory()
        self.member = MemberFactory()
        self.funded: dict[int, int] = {}
        self.released: set[int] = set()
        self.n = 0

    def play(self, event: tuple[Any, ...]) -> None:
        self.n += 1
        try:
            getattr(self, f"do_{event[0]}")(*event[1:])
        except Conflict as exc:
            # Refusals are part of the property: they must leave nothing behind.
            assert exc.code in {
                "insufficient_funds",
                "already_released",
                "already_refunded",
                "already_settled",
                "not_released",
                "withdrawal_unknown",
                "withdrawal_failed",
                "withdrawal_settled",
            }, exc.code

    def common(self, milestone: int) -> dict[str, Any]:
        return {"contract_id": milestone, "milestone_id": milestone, "currency": "EUR", "actor": None}

    def do_fund(self, milestone: int, amount: int) -> None:
        batch = ledger.escrow_fund(
            **self.common(milestone),
            freelancer_id=self.freelancer.pk,
            client_id=self.client.pk,
            amount_cents=amount,
            provider="bank_transfer",
        )
        self.funded.setdefault(milestone, batch.postings.get().amount_cents)

    def do_release(self, milestone: int, percent: Decimal, fee_min: int, fee_max: int | None) -> None:
        amount = self.funded.get(milestone, 100)
        batch = ledger.escrow_release(
            **self.common(milestone),
            freelancer_id=self.freelancer.pk,
            amount_cents=amount,
            fee_percent=percent,
            fee_min_cents=fee_min,
            fee_max_cents=fee_max,
        )
        parts = {p.to_account.purpose: p.amount_cents for p in batch.postings.select_related("to_account")}
        assert sum(parts.values()) == amount
        # A repeated release returns the first release's batch, split by the first call's fee terms.
        first_release = milestone not in self.released
        self.released.add(milestone)
        if first_release:
            expected = allocate(amount, [Decimal(100) - percent, percent])[1] if percent else 0
            expected = min(max(expected, fee_min), fee_max if fee_max is not None else amount, amount)
            assert parts.get("fee_income", 0) == expected

    def do_refund(self, milestone: int) -> None:
        ledger.escrow_refund(
            **self.common(milestone),
            client_id=self.client.pk,
            amount_cents=self.funded.get(milestone, 100),
            provider="bank_transfer",
        )

    def do_reverse(self, milestone: int) -> None:
        ledger.release_reverse(milestone_id=milestone, actor=None, provider="bank_transfer")

    def do_dispute(self, milestone: int, release_share: int, percent: Decimal) -> None:
        amount = self.funded.get(milestone, 100)
        release, refund = allocate(amount, [release_share, 100 - release_share]) if amount else (0, 0)
        batch = ledger.dispute_settle(
            **self.common(milestone),
            freelancer_id=self.freelancer.pk,
            client_id=self.client.pk,
            release_cents=release,
            refund_cents=refund,
            fee_percent=percent,
            provider="bank_transfer",
        )
        assert (
            sum(p.amount_cents for p in batch.postings.all())
            == batch.data["release_cents"] + batch.data["refund_cents"]
        )

    def do_withdraw(self, withdrawal_id: int, amount: int) -> None:
        ledger.withdrawal_request(
            withdrawal_id=withdrawal_id, user_id=self.freelancer.pk, amount_cents=amount, currency="EUR", actor=None
        )

    def do_settle(self, withdrawal_id: int) -> None:
        ledger.withdrawal_settle(withdrawal_id=withdrawal_id, provider="bank_transfer", actor=None)

    def do_fail(self, withdrawal_id: int) -> None:
        ledger.withdrawal_fail(withdrawal_id=withdrawal_id, actor=None)

    def do_share(self, ref: int, amount: int) -> None:
        ledger.share_purchase(
            member_id=self.member.pk,
            user_id=self.member.user_id,
            amount_cents=amount,
            currency="EUR",
            provider="bank_transfer",
            payment_ref=f"ref-{ref}",
            actor=None,
        )

    def do_expense(self, amount: int) -> None:
        ledger.expense_record(
            amount_cents=amount,
            currency="EUR",
            category="hosting",
            provider="bank_transfer",
            memo="",
            actor=None,
            key=f"expense:{self.n}",
        )

    def do_income(self, amount: int) -> None:
        ledger.income_record(
            amount_cents=amount, currency="EUR", provider="bank_transfer", memo="", actor=None, key=f"income:{self.n}"
        )

    def do_fund_allocate(self, amount: int) -> None:
        ledger.fund_allocate(fund="reserve", amount_cents=amount, currency="EUR", key=f"fund:{self.n}", actor=None)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=st.lists(EVENTS, min_size=1, max_size=25))
def test_random_money_events_keep_the_books_balanced(events):
    try:
        with transaction.atomic():
            books = Books()
            for event in events:
                with transaction.atomic():
                    books.play(event)
            report = ledger_report()
            assert report.ok, report.discrepancies
            keys = list(Batch.objects.values_list("idempotency_key", flat=True))
            assert len(keys) == len(set(keys))
            call_command("ledger_check", stdout=io.StringIO())
            raise Rollback
    except Rollback:
        pass

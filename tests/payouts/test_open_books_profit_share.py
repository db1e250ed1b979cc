"""The open books after a payout cycle: both parts of the profit share count as paid back to members."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from payouts import ledger
from payouts import selectors as payout_selectors
from payouts.cycles.demo import DEFAULT_POLICY, backdated_activity
from payouts.cycles.models import CycleStatus
from payouts.cycles.services import (
    cycle_approve,
    cycle_compute,
    cycle_compute_start,
    cycle_execute,
    cycle_execute_start,
    cycle_open,
    surplus_policy_adopt,
)
from tests.factories import MemberFactory, UserFactory
from tests.payouts.ledger_helpers import fund_and_release

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_cycle(second_staff: Any, staff: Any) -> Any:
    """Run last month's payout cycle to the end over two freelancers' fees and a client's."""
    surplus_policy_adopt(data=DEFAULT_POLICY, actor=None)
    today = timezone.localdate()
    end = today.replace(day=1)
    start = (end - timedelta(days=1)).replace(day=1)
    joined = timezone.now() - timedelta(days=800)
    freelancers = [MemberFactory(user=UserFactory(is_freelancer=True), joined_at=joined) for _ in range(2)]
    client = MemberFactory(user=UserFactory(is_client=True), joined_at=joined)
    backdated_activity(
        start=start, freelancers=[m.user for m in freelancers], clients=[client.user], amounts=[120_000, 80_000]
    )
    cycle = cycle_open(period_start=start, period_end=end, actor=staff)
    cycle_compute_start(cycle_id=cycle.pk, actor=staff)
    cycle = cycle_compute(cycle_id=cycle.pk)
    cycle_approve(cycle_id=cycle.pk, allocation_hash=cycle.allocation_hash, actor=second_staff)
    cycle_execute_start(cycle_id=cycle.pk, actor=staff)
    cycle = cycle_execute(cycle_id=cycle.pk)
    assert cycle.status == CycleStatus.PAID
    return cycle


def _part(books: dict[str, Any], key: str) -> dict[str, Any]:
    return next(part for part in books["fee_euro"] if part["key"] == key)


def test_open_books_count_cash_and_retained_profit_share_as_paid_back(paid_cycle: Any) -> None:
    rows = list(paid_cycle.allocations.all())
    cash = sum(row.cash_cents for row in rows)
    retained = sum(row.retained_cents for row in rows)
    assert cash > 0 and retained > 0  # the policy pays part in cash, so the test covers both parts

    books = payout_selectors.open_books(timezone.localdate().year)

    assert _part(books, "member_capital")["amount_cents"] == cash + retained
    # The cash part no longer falls into "not yet allocated".
    spent = sum(part["amount_cents"] for part in books["fee_euro"] if part["key"] != "unallocated")
    assert _part(books, "unallocated")["amount_cents"] == max(books["income_cents"] - spent, 0)


def test_open_books_page_shows_the_whole_profit_share_as_paid_back(paid_cycle: Any, client_for: Any) -> None:
    rows = list(paid_cycle.allocations.select_related("member__user"))
    paid_back = sum(row.cash_cents + row.retained_cents for row in rows)

    body = client_for(rows[0].member.user).get(reverse("payouts:open_books")).content.decode()

    bar = re.search(r'id="bar-member_capital">Paid back to members</span>.*?payouts-bar-value">([^<]*)<', body, re.S)
    assert bar is not None
    assert bar.group(1).endswith(f"€{paid_back // 100:,}.{paid_back % 100:02d}")


def test_the_cash_part_reads_as_a_profit_share_in_the_members_history(paid_cycle: Any) -> None:
    assert str(payout_selectors.event_label("patronage_cash")) == "Patronage paid in cash"


def _record_costs() -> None:
    """Earn €200 of fees, then pay four costs out of them, one in a category nobody named."""
    person = UserFactory(is_freelancer=True)
    fund_and_release(milestone_id=1, freelancer=person, client=UserFactory(is_client=True), amount_cents=200_000)
    for key, category in enumerate(["hosting", "accounting", ledger.PROVIDER_FEES_CATEGORY, "office_rent"]):
        ledger.expense_record(
            amount_cents=1_000 + key,
            currency="EUR",
            category=category,
            provider="bank_transfer",
            memo="",
            actor=None,
            key=f"cost-{key}",
        )


def _cost_terms(body: str) -> list[str]:
    costs = body[body.index('id="costs-heading"') : body.index('id="reserves-heading"')]
    return re.findall(r"<dt>([^<]*)</dt>", costs)


def test_open_books_costs_have_readable_labels_not_account_keys(client_for: Any) -> None:
    _record_costs()

    body = client_for(MemberFactory().user).get(reverse("payouts:open_books")).content.decode()

    assert _cost_terms(body) == ["Office rent", "Payment provider fees", "Accounting", "Hosting", "Total"]


def test_open_books_cost_labels_are_translated_in_dutch(client_for: Any) -> None:
    _record_costs()
    http = client_for(MemberFactory().user)
    http.cookies["django_language"] = "nl"

    terms = _cost_terms(http.get(reverse("payouts:open_books")).content.decode())

    assert "Kosten van de betaalprovider" in terms
    assert "Boekhouding" in terms
    assert not {"accounting", "hosting", "payment_provider_fees", "office_rent"} & set(terms)

"""Services on the real database: compute from the ledger, approve, execute exactly once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count

from core.exceptions import ApplicationError
from payouts import ledger
from payouts.cycles.models import CycleAllocation, CycleStatus, PayoutCycle
from payouts.cycles.selectors.statements import statement_full
from payouts.cycles.selectors.sums import earnings_by_user, net_fees_by_user, period_bounds, surplus_sums
from payouts.cycles.services import (
    cycle_approve,
    cycle_compute,
    cycle_compute_start,
    cycle_execute,
    cycle_execute_start,
    cycle_open,
)

pytestmark = pytest.mark.django_db


def _computed(staff: Any, last_month: Any) -> PayoutCycle:
    cycle = cycle_open(period_start=last_month[0], period_end=last_month[1], actor=staff)
    cycle_compute_start(cycle_id=cycle.pk, actor=staff)
    return cycle_compute(cycle_id=cycle.pk)


def test_surplus_is_fees_minus_expenses_and_provider_costs(coop: Any, last_month: Any) -> None:
    start, end = period_bounds(*last_month)
    sums = surplus_sums(start, end, "EUR")
    fees = 12_000 + 8_000 + 4_550
    assert sums.fee_income_cents == fees
    assert sums.expenses_cents == 245_500 // 100
    assert sums.provider_costs_cents == 245_500 // 400
    assert sums.surplus_cents == fees - 2_455 - 613


def test_member_bases_come_from_the_ledger_grouped_by_user(coop: Any, last_month: Any) -> None:
    start, end = period_bounds(*last_month)
    f1, f2 = (m.user_id for m in coop["freelancers"])
    client = coop["client"].user_id
    assert net_fees_by_user(start, end, "EUR") == {f1: 12_000 + 4_550, f2: 8_000, client: 24_550}
    assert earnings_by_user(start, end, "EUR") == {f1: 108_000 + 40_950, f2: 72_000}


def test_compute_freezes_an_allocation_that_adds_up(coop: Any, staff: Any, last_month: Any) -> None:
    cycle = _computed(staff, last_month)
    assert cycle.status == CycleStatus.COMPUTED
    rows = list(cycle.allocations.all())
    assert len(rows) == 4 == cycle.progress_done == cycle.progress_total
    assert sum(r.allocated_cents for r in rows) == cycle.patronage_pool_cents
    assert sum(f.amount_cents for f in cycle.funds.all()) + cycle.patronage_pool_cents == cycle.distributable_cents
    assert cycle.distributable_cents == cycle.surplus_cents
    assert all(r.cash_cents + r.retained_cents == r.allocated_cents for r in rows)
    assert len(cycle.allocation_hash) == 64
    quiet = cycle.allocations.get(member=coop["quiet"])
    # A member with no fees or earnings has a part only in the classes every member shares in.
    assert [pot["name"] for pot in cycle.class_pots] == ["fees generated", "earnings", "equal share", "loyalty"]
    assert quiet.parts[:2] == [None, None] and all(cents > 0 for cents in quiet.parts[2:])
    assert set(quiet.bases) == {"equal", "years"}
    assert [step["class"] for step in statement_full(quiet)["classes"]] == ["equal share", "loyalty"]


def test_compute_twice_changes_nothing(coop: Any, staff: Any, last_month: Any) -> None:
    cycle = _computed(staff, last_month)
    again = cycle_compute(cycle_id=cycle.pk)
    assert again.status == CycleStatus.COMPUTED
    assert again.allocation_hash == cycle.allocation_hash
    assert CycleAllocation.objects.filter(cycle=cycle).count() == 4


def test_approve_needs_the_reviewed_hash(second_staff: Any, coop: Any, staff: Any, last_month: Any) -> None:
    cycle = _computed(staff, last_month)
    with pytest.raises(ApplicationError) as error:
        cycle_approve(cycle_id=cycle.pk, allocation_hash="0" * 64, actor=staff)
    assert error.value.code == "allocation_hash_mismatch"
    assert (
        cycle_approve(cycle_id=cycle.pk, allocation_hash=cycle.allocation_hash, actor=second_staff).status == "approved"
    )


def test_execute_posts_each_part_once_and_the_books_balance(
    second_staff: Any, coop: Any, staff: Any, last_month: Any
) -> None:
    cycle = _computed(staff, last_month)
    cycle_approve(cycle_id=cycle.pk, allocation_hash=cycle.allocation_hash, actor=second_staff)
    cycle_execute_start(cycle_id=cycle.pk, actor=staff)
    assert cycle_execute(cycle_id=cycle.pk).status == CycleStatus.PAID
    assert cycle_execute(cycle_id=cycle.pk).status == CycleStatus.PAID
    keys = ledger.Batch.objects.filter(idempotency_key__startswith=f"cycle:{cycle.pk}:")
    assert not keys.values("idempotency_key").annotate(n=Count("id")).filter(n__gt=1).exists()
    for row in cycle.allocations.all():
        assert ledger.member_capital(row.member_id)["retained_cents"] == row.retained_cents
    call_command("ledger_check")


def test_open_refuses_a_period_not_over(staff: Any, policy: Any) -> None:
    from django.utils import timezone

    today = timezone.localdate()
    with pytest.raises(ApplicationError) as error:
        cycle_open(period_start=today, period_end=today.replace(year=today.year + 1), actor=staff)
    assert error.value.code == "period_not_over"


def test_earnings_payout_pays_balances_in_a_batch_and_a_failure_returns_to_the_balance(coop: Any, staff: Any) -> None:
    from payouts.cycles.models import EarningsPayout
    from payouts.cycles.services import earnings_payout_run
    from payouts.payments.withdrawals import payout_account_set, withdrawal_fail

    first, second = (m.user for m in coop["freelancers"])
    payout_account_set(user=first, iban="NL91ABNA0417164300", holder_name="First", actor=first)
    available = ledger.freelancer_balances(first.pk)["available"]
    run = earnings_payout_run(actor=staff)
    assert (run.paid_count, run.paid_cents) == (1, available)
    assert ledger.freelancer_balances(first.pk)["available"] == 0
    assert ledger.freelancer_balances(second.pk)["available"] > 0  # no payout account: not paid

    withdrawal = ledger.Batch.objects.get(idempotency_key__startswith="withdrawal:", kind="withdrawal_request")
    withdrawal_fail(withdrawal_id=withdrawal.data["withdrawal_id"], reason="Account closed", actor=staff)
    assert ledger.freelancer_balances(first.pk)["available"] == available
    scheduled = earnings_payout_run(actor=None, trigger=EarningsPayout.Trigger.SCHEDULE)
    assert scheduled.paid_cents == available
    assert earnings_payout_run(actor=None, trigger=EarningsPayout.Trigger.SCHEDULE).pk == scheduled.pk


def test_a_members_vote_approves_only_the_hash_it_voted_on(coop: Any, staff: Any, last_month: Any) -> None:
    from core.decisions import decision_type

    cycle = _computed(staff, last_month)
    handler = decision_type("payouts.approve_cycle")
    payload = handler.validate_payload({"cycle_id": cycle.pk, "allocation_hash": cycle.allocation_hash})
    with pytest.raises(ApplicationError) as error:
        handler.execute(payload={**payload, "allocation_hash": "f" * 64}, proposal_id=1, actor=None)
    assert error.value.code == "allocation_hash_mismatch"
    handler.execute(payload=payload, proposal_id=1, actor=None)
    assert PayoutCycle.objects.get(pk=cycle.pk).status == CycleStatus.APPROVED


def test_a_policy_change_by_decision_adds_a_version(policy: Any) -> None:
    from core.decisions import decision_type
    from payouts.cycles.demo import DEFAULT_POLICY
    from payouts.cycles.services import surplus_policy_current

    handler = decision_type("payouts.surplus_policy")
    payload = handler.validate_payload({**DEFAULT_POLICY, "requires_member_vote": True})
    handler.execute(payload=payload, proposal_id=7, actor=None)
    current = surplus_policy_current()
    assert (current.version, current.requires_member_vote, current.proposal_id) == (2, True, 7)


def test_stored_statements_derive_exactly_the_engines_statements(coop: Any, staff: Any, last_month: Any) -> None:
    from payouts.allocation import allocate_surplus
    from payouts.cycles.services.compute import _bases, _engine_policy, _members

    cycle = _computed(staff, last_month)
    start, end = period_bounds(*last_month)
    bases = _bases(cycle, _members(cycle))
    engine, _notes = _engine_policy(cycle, surplus_sums(start, end, "EUR").surplus_cents, bases)
    reference = allocate_surplus(engine)
    assert reference.sha256() == cycle.allocation_hash
    for row in cycle.allocations.select_related("cycle", "cycle__policy"):
        derived = statement_full(row)
        for step in derived["classes"]:
            step.pop("basis")
        assert derived == reference.statements[str(row.member_id)].as_dict()


def test_a_move_the_cycle_table_forbids_is_the_kernels_bad_transition(staff: Any, policy: Any, last_month: Any) -> None:
    from core.exceptions import BadTransition, ErrorCode
    from core.transitions import transition

    cycle = cycle_open(period_start=last_month[0], period_end=last_month[1], actor=staff)

    with pytest.raises(BadTransition) as refused:
        transition(cycle, CycleStatus.PAID, actor=staff)

    assert refused.value.code == ErrorCode.BAD_TRANSITION
    assert refused.value.detail == {"from": "draft", "to": "paid"}
    assert [(c.from_status, c.to_status) for c in cycle.history.all()] == [("", "draft")]

"""Compute's fast paths: one COPY per batch on PostgreSQL, the same rows as the ORM's INSERT, lean indexes."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test import override_settings

from core.payout_bases import payout_basis
from payouts.allocation import allocate_surplus
from payouts.cycles.demo import DEFAULT_POLICY, DEMO_MILESTONE_BASE
from payouts.cycles.models import CycleAllocation, CycleStatus, PayoutCycle
from payouts.cycles.selectors.statements import statement_full
from payouts.cycles.selectors.sums import earnings_by_user, net_fees_by_user, period_bounds, surplus_sums
from payouts.cycles.services import compute, cycle_compute, cycle_compute_start, cycle_open, surplus_policy_adopt

pytestmark = pytest.mark.django_db

ROW_FIELDS_MEMBER = compute.ROW_FIELDS.index("member_id")
ROW_VALUES = ("member_id", "allocated_cents", "cash_cents", "retained_cents", "weights", "parts")


def _compute(staff: Any, last_month: Any) -> PayoutCycle:
    cycle = cycle_open(period_start=last_month[0], period_end=last_month[1], actor=staff)
    cycle_compute_start(cycle_id=cycle.pk, actor=staff)
    return cycle_compute(cycle_id=cycle.pk)


def _stored(cycle: PayoutCycle) -> list[tuple[Any, ...]]:
    return list(cycle.allocations.order_by("member_id").values_list(*ROW_VALUES, "retained_done", "cash_done"))


def test_a_release_reversed_in_the_period_counts_against_fees_and_earnings(coop: Any, last_month: Any, at: Any) -> None:
    from payouts.ledger import release_reverse

    start, end = period_bounds(*last_month)
    f1, f2 = (m.user_id for m in coop["freelancers"])
    client = coop["client"].user_id
    moment = datetime.combine(last_month[0] + timedelta(days=25), time(12), tzinfo=start.tzinfo)
    with at(moment):
        # The fixture's first milestone: 120,000 released to the first freelancer, fee 12,000.
        release_reverse(milestone_id=DEMO_MILESTONE_BASE + 1, actor=None, provider="bank_transfer")
    assert net_fees_by_user(start, end, "EUR") == {f1: 4_550, f2: 8_000, client: 24_550 - 12_000}
    assert earnings_by_user(start, end, "EUR") == {f1: 40_950, f2: 72_000}
    assert surplus_sums(start, end, "EUR").fee_income_cents == 8_000 + 4_550


def test_the_copy_writes_exactly_the_rows_the_orm_insert_writes(coop: Any, staff: Any, last_month: Any) -> None:
    copied_with: list[bool] = []
    real_copy = compute._copy_rows

    def spy(rows: list[compute.Row]) -> bool:
        copied_with.append(real_copy(rows))
        return copied_with[-1]

    with mock.patch.object(compute, "_copy_rows", spy):
        cycle = _compute(staff, last_month)
    # COPY on PostgreSQL; elsewhere the portable INSERT, so this test then compares it with itself.
    assert copied_with == [connection.vendor == "postgresql"]
    copied = _stored(cycle)
    cycle_compute_start(cycle_id=cycle.pk, actor=staff)
    with mock.patch.object(compute, "_copy_rows", return_value=False):
        again = cycle_compute(cycle_id=cycle.pk)
    assert again.status == CycleStatus.COMPUTED
    assert again.allocation_hash == cycle.allocation_hash
    assert _stored(again) == copied
    assert len(copied) == 4 and all(row[-2:] == (False, False) for row in copied)


@pytest.mark.parametrize("name", ['fees, "generated"', "back\\slash\tand tab", "naïve € share"])
def test_class_names_the_csv_must_quote_are_stored_intact(coop: Any, staff: Any, last_month: Any, name: str) -> None:
    classes = [dict(cls) for cls in DEFAULT_POLICY["classes"]]
    classes[0]["name"] = name
    surplus_policy_adopt(data={**DEFAULT_POLICY, "classes": classes}, actor=None)
    cycle = _compute(staff, last_month)
    assert cycle.status == CycleStatus.COMPUTED, cycle.failure_reason
    start, end = period_bounds(*last_month)
    bases = compute._bases(cycle, compute._members(cycle))
    engine, _notes = compute._engine_policy(cycle, surplus_sums(start, end, "EUR").surplus_cents, bases)
    reference = allocate_surplus(engine)
    assert reference.sha256() == cycle.allocation_hash
    for row in cycle.allocations.select_related("cycle", "cycle__policy"):
        derived = statement_full(row)
        for step in derived["classes"]:
            step.pop("basis")
        assert derived == reference.statements[str(row.member_id)].as_dict()
    freelancer = cycle.allocations.get(member=coop["freelancers"][0])
    assert cycle.class_pots[0]["name"] == name
    assert statement_full(freelancer)["classes"][0]["class"] == name


def recording(commit: Any, done: list[int | None]) -> Any:
    """Wrap a batch commit to note the members done after each call."""

    def call(*args: Any, **kwargs: Any) -> int | None:
        done.append(commit(*args, **kwargs))
        return done[-1]

    return call


def test_each_batch_commits_its_rows_with_one_progress_update(coop: Any, staff: Any, last_month: Any) -> None:
    assert compute.batch_size() == compute.batch_size(10_000) == 2000
    # Many members commit in about five batches too, not fifty: each commit costs its own flush.
    assert compute.batch_size(100_000) == 20_000 and compute.batch_size(100_001) == 20_001
    done: list[int | None] = []
    with (
        override_settings(PAYOUT_CYCLES_BATCH_SIZE=3),
        mock.patch.object(compute, "_write_batch", side_effect=recording(compute._write_batch, done)) as write,
    ):
        cycle = _compute(staff, last_month)
    assert [len(call.args[1]) for call in write.call_args_list] == [3, 1]
    assert done == [3, 4]
    assert cycle.progress_done == cycle.progress_total == CycleAllocation.objects.filter(cycle=cycle).count() == 4


class Killed(Exception):
    pass


def test_a_resumed_compute_writes_only_the_missing_rows(coop: Any, staff: Any, last_month: Any) -> None:
    cycle = cycle_open(period_start=last_month[0], period_end=last_month[1], actor=staff)
    cycle_compute_start(cycle_id=cycle.pk, actor=staff)
    # The worker dies right after its first batch of two committed, rows and counter together.
    write_batch = compute._write_batch

    def write_then_die(*args: Any) -> None:
        write_batch(*args)
        raise Killed

    with (
        override_settings(PAYOUT_CYCLES_BATCH_SIZE=2),
        mock.patch.object(compute, "_write_batch", side_effect=write_then_die),
        pytest.raises(Killed),
    ):
        cycle_compute(cycle_id=cycle.pk)
    killed = PayoutCycle.objects.get(pk=cycle.pk)
    assert (killed.status, killed.progress_done) == (CycleStatus.COMPUTING, 2)
    first = set(killed.allocations.values_list("member_id", flat=True))
    with mock.patch.object(compute, "_write_batch", wraps=compute._write_batch) as write:
        resumed = cycle_compute(cycle_id=cycle.pk)
    rewritten = {row[ROW_FIELDS_MEMBER] for call in write.call_args_list for row in call.args[1]}
    assert len(first) == 2 and len(rewritten) == 2 and not first & rewritten
    assert resumed.status == CycleStatus.COMPUTED and resumed.allocation_hash == killed.allocation_hash
    assert resumed.progress_done == resumed.progress_total == 4
    cycle_compute_start(cycle_id=cycle.pk, actor=staff)
    assert _stored(cycle_compute(cycle_id=cycle.pk)) == _stored(resumed)


def test_allocation_lookups_by_cycle_and_by_member_lead_an_index(db: Any) -> None:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, CycleAllocation._meta.db_table)
    leading = {tuple(c["columns"][:1]) for c in constraints.values() if c["index"] or c["unique"]}
    assert {("cycle_id",), ("member_id",)} <= leading
    single = sorted(tuple(c["columns"]) for c in constraints.values() if c["index"] and not c["unique"])
    # One index per lookup and no more: each is maintained for every row a compute writes.
    assert single == [("member_id",)]


@pytest.mark.parametrize("trim", [0, 3])
def test_the_period_read_once_gives_the_surplus_and_bases_of_the_postings(
    coop: Any, last_month: Any, at: Any, trim: int
) -> None:
    """The surplus and every ledger basis derived from the one grouped read equal the sums over the postings.

    Over the whole month (read from the monthly totals) and from its fourth day (the postings of a
    partial month), with a release reversed, an expense and provider fees in the period.
    """
    from payouts.cycles.bases import EARNINGS, NET_FEES
    from payouts.cycles.selectors.sums import period_figures, surplus_from_pairs
    from payouts.ledger import expense_record, provider_fee_record, release_reverse

    first, end_day = last_month
    moment = datetime.combine(first + timedelta(days=25), time(12), tzinfo=period_bounds(*last_month)[0].tzinfo)
    with at(moment):
        release_reverse(milestone_id=DEMO_MILESTONE_BASE + 1, actor=None, provider="bank_transfer")
        expense_record(
            key="hosting-1",
            category="hosting",
            provider="bank_transfer",
            memo="Hosting",
            amount_cents=1_234,
            currency="EUR",
            actor=None,
        )
        provider_fee_record(key="fees-1", provider="bank_transfer", amount_cents=321, currency="EUR", actor=None)
    start, end = period_bounds(first + timedelta(days=trim), end_day)
    figures = period_figures(start, end, "EUR", [])
    derived = surplus_from_pairs(figures.pairs)
    assert derived == surplus_sums(start, end, "EUR")
    assert derived.expenses_cents >= 1_234 and derived.provider_costs_cents >= 321
    assert payout_basis(NET_FEES).derive(figures) == net_fees_by_user(start, end, "EUR")
    assert payout_basis(EARNINGS).derive(figures) == earnings_by_user(start, end, "EUR")

"""The migrations to per-class parts (0004), to the user through the member (0005) and to arrays of
weights and parts (0007) keep every statement."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from membership.models import Member
from payouts.cycles.models import CycleAllocation, CycleStatus
from payouts.cycles.selectors.statements import statement_full
from payouts.cycles.services import cycle_compute, cycle_compute_start, cycle_open

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("payout_cycles", "0003_status_change_base")]
JSON_DOCUMENTS = [("payout_cycles", "0006_currency_from_setting")]
AFTER = [("payout_cycles", "0007_allocation_arrays")]


def _migrate(target: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def _members(ids: Any) -> dict[int, Member]:
    return Member.objects.in_bulk(list(ids))


@pytest.fixture
def back_to_latest() -> Any:
    """Leave the test database at the latest migrations, as every later test expects."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_statements_survive_the_move_to_parts_and_back(
    coop: Any, staff: Any, last_month: Any, back_to_latest: Any
) -> None:
    cycle = cycle_open(period_start=last_month[0], period_end=last_month[1], actor=staff)
    cycle_compute_start(cycle_id=cycle.pk, actor=staff)
    assert cycle_compute(cycle_id=cycle.pk).status == CycleStatus.COMPUTED
    rows = CycleAllocation.objects.filter(cycle=cycle).select_related("cycle", "cycle__policy").order_by("member_id")
    parts = {row.member_id: row.parts for row in rows}
    statements = {row.member_id: statement_full(row) for row in rows}
    assert any(None in p for p in parts.values()), "the demo needs a member outside some class"
    bases = {row.member_id: row.bases for row in rows}
    assert all(bases.values()) and any(len(b) > 1 for b in bases.values())

    # Back to a JSON document of {basis: weight} and a JSON list of cents per row.
    documents = _migrate(JSON_DOCUMENTS).get_model("payout_cycles", "CycleAllocation")
    assert {row.member_id: (row.bases, row.parts) for row in documents.objects.filter(cycle_id=cycle.pk)} == {
        member_id: (bases[member_id], parts[member_id]) for member_id in parts
    }

    # Back to the statement documents: each names its classes with the member's weight and cents,
    # and the row its member's user again.
    old = _migrate(BEFORE).get_model("payout_cycles", "CycleAllocation")
    documents = {row.member_id: row.statement for row in old.objects.filter(cycle_id=cycle.pk)}
    users = dict(old.objects.filter(cycle_id=cycle.pk).values_list("member_id", "user_id"))
    assert users == {member_id: member.user_id for member_id, member in _members(parts).items()}
    quiet = documents[coop["quiet"].pk]
    assert [step["class"] for step in quiet["classes"]] == ["equal share", "loyalty"]
    assert quiet["allocated_cents"] == sum(step["allocated_cents"] for step in quiet["classes"])

    _migrate(AFTER)
    rows = CycleAllocation.objects.filter(cycle=cycle).select_related("cycle", "cycle__policy").order_by("member_id")
    assert {row.member_id: row.parts for row in rows} == parts
    assert {row.member_id: statement_full(row) for row in rows} == statements

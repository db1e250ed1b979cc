"""A worker killed with SIGKILL mid-compute and mid-execute, then started again, finishes exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from payouts import ledger
from payouts.allocation import allocate_surplus
from payouts.cycles.models import CycleStatus, PayoutCycle
from payouts.cycles.selectors.sums import period_bounds, surplus_sums
from payouts.cycles.services import cycle_approve, cycle_compute_start, cycle_execute_start, cycle_open
from payouts.cycles.services.compute import _bases, _engine_policy, _members
from tests.factories import MemberFactory, UserFactory
from tests.services import database_url, need_postgres

ROOT = Path(settings.BASE_DIR)
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


def _worker(cycle_id: int, phase: str, stall_after: int | None) -> subprocess.Popen:
    """Start `payout_cycle_run` in a process of its own; with stall_after, one that stops mid-way to be killed."""
    env = {**os.environ, "DATABASE_URL": database_url(), "CELERY_BROKER_URL": ""}
    arguments = [str(cycle_id), phase, "--batch-size", "2"]
    if stall_after is None:
        command = [sys.executable, "manage.py", "payout_cycle_run", *arguments]
    else:
        # The seam lives in the tests: the worker patches its own batch commit to stall after it.
        command = [sys.executable, "-m", "tests.payout_cycles.stalling_worker", *arguments[:2], str(stall_after)]
        command += arguments[2:]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _kill_when(process: subprocess.Popen, cycle_id: int, done: int) -> None:
    deadline = time.monotonic() + 60
    while PayoutCycle.objects.get(pk=cycle_id).progress_done < done:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the worker never reached the kill point"
        time.sleep(0.1)
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL


def _finish(cycle_id: int, phase: str) -> None:
    process = _worker(cycle_id, phase, None)
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode()


def _cycle_batches(cycle_id: int) -> list[str]:
    return list(
        ledger.Batch.objects.filter(idempotency_key__startswith=f"cycle:{cycle_id}:").values_list(
            "idempotency_key", flat=True
        )
    )


def test_killed_workers_finish_exactly_once_with_the_same_numbers(
    second_staff: Any, policy: Any, last_month: Any, at: Any
) -> None:
    need_postgres()
    from payouts.cycles.demo import backdated_activity

    staff = UserFactory(is_staff=True, staff_roles=["finance", "board"])
    joined = timezone.now() - timedelta(days=500)
    members = [
        MemberFactory(user=UserFactory(is_freelancer=True), joined_at=joined - timedelta(days=i)) for i in range(9)
    ]
    client = MemberFactory(user=UserFactory(is_client=True), joined_at=joined)
    backdated_activity(
        start=last_month[0],
        freelancers=[m.user for m in members],
        clients=[client.user],
        amounts=[10_000 + 1_337 * i for i in range(9)],
    )
    with mock.patch("payouts.cycles.services.cycles._enqueue"):
        cycle = cycle_open(period_start=last_month[0], period_end=last_month[1], actor=staff)
        cycle_compute_start(cycle_id=cycle.pk, actor=staff)

    # Compute: killed after 4 of 10 members are committed, then started again.
    _kill_when(_worker(cycle.pk, "compute", 4), cycle.pk, 4)
    killed = PayoutCycle.objects.get(pk=cycle.pk)
    assert killed.status == CycleStatus.COMPUTING
    assert killed.allocations.count() == 4
    frozen_hash = killed.allocation_hash
    _finish(cycle.pk, "compute")
    cycle = PayoutCycle.objects.select_related("policy").get(pk=cycle.pk)
    assert cycle.status == CycleStatus.COMPUTED
    assert cycle.allocation_hash == frozen_hash

    start, end = period_bounds(cycle.period_start, cycle.period_end)
    member_rows = _members(cycle)
    engine, _notes = _engine_policy(cycle, surplus_sums(start, end, "EUR").surplus_cents, _bases(cycle, member_rows))
    reference = allocate_surplus(engine)
    assert reference.sha256() == cycle.allocation_hash
    stored = {str(r.member_id): (r.allocated_cents, r.cash_cents, r.retained_cents) for r in cycle.allocations.all()}
    assert stored == {k: (s.allocated_cents, s.cash_cents, s.retained_cents) for k, s in reference.members.items()}

    # Execute: killed after 4 members are paid, then started again.
    cycle_approve(cycle_id=cycle.pk, allocation_hash=cycle.allocation_hash, actor=second_staff)
    with mock.patch("payouts.cycles.services.cycles._enqueue"):
        cycle_execute_start(cycle_id=cycle.pk, actor=staff)
    _kill_when(_worker(cycle.pk, "execute", 4), cycle.pk, 4)
    assert PayoutCycle.objects.get(pk=cycle.pk).status == CycleStatus.EXECUTING
    _finish(cycle.pk, "execute")
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.PAID

    rows = list(cycle.allocations.all())
    expected = {f"cycle:{cycle.pk}:fund:{f.name}" for f in cycle.funds.all() if f.amount_cents}
    expected |= {f"cycle:{cycle.pk}:member:{r.member_id}:retained" for r in rows if r.retained_cents}
    expected |= {f"cycle:{cycle.pk}:member:{r.member_id}:cash" for r in rows if r.cash_cents}
    keys = _cycle_batches(cycle.pk)
    assert sorted(keys) == sorted(expected)
    postings = ledger.Posting.objects.filter(batch__idempotency_key__startswith=f"cycle:{cycle.pk}:")
    assert postings.count() == len(expected)
    assert sum(postings.values_list("amount_cents", flat=True)) == cycle.distributable_cents
    for row in rows:
        assert ledger.member_capital(row.member_id)["retained_cents"] == row.retained_cents
    call_command("ledger_check")

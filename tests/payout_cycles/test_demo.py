"""The demo data gives `make run` a payout cycle to try: last month computes for every member."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from membership.models import Member
from payouts.cycles.models import CycleStatus
from payouts.cycles.services import cycle_compute, cycle_compute_start, cycle_open
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_last_months_cycle_on_the_demo_data_computes_for_every_member(last_month: Any) -> None:
    call_command("seed_demo", verbosity=0)
    staff = UserFactory(is_staff=True, staff_roles=["finance", "board"])
    cycle = cycle_open(period_start=last_month[0], period_end=last_month[1], actor=staff)
    cycle_compute_start(cycle_id=cycle.pk, actor=staff)

    cycle = cycle_compute(cycle_id=cycle.pk)

    assert cycle.status == CycleStatus.COMPUTED, cycle.failure_reason
    active = Member.objects.filter(status=Member.Status.ACTIVE)
    assert cycle.allocations.count() == active.count() >= 10
    assert cycle.surplus_cents > 0
    # Members joined on different days, so the years-of-membership class weighs them differently.
    assert len(set(active.values_list("joined_at__date", flat=True))) == active.count()
    assert len({tuple(row.bases.items()) for row in cycle.allocations.all()}) > 1

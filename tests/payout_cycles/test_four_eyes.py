"""Four eyes on a payout cycle: who computed does not approve, who approved does not pay out, each
step first shows a confirmation with the totals, and two approvals at once leave one approval."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError, NotAllowed
from core.models import AuditEvent
from payouts.cycles.models import CycleStatus, PayoutCycle
from payouts.cycles.services import cycle_approve, cycle_compute_start, cycle_execute_start, cycle_open
from tests.concurrency import run_concurrently
from tests.factories import UserFactory
from tests.services import need_postgres


@pytest.fixture
def computed_by_staff(coop: Any, staff: Any, last_month: Any, django_capture_on_commit_callbacks: Any) -> PayoutCycle:
    cycle = cycle_open(period_start=last_month[0], period_end=last_month[1], actor=staff)
    with django_capture_on_commit_callbacks(execute=True):
        cycle_compute_start(cycle_id=cycle.pk, actor=staff)
    return PayoutCycle.objects.get(pk=cycle.pk)


@pytest.mark.django_db
def test_who_computed_cannot_approve_and_who_approved_cannot_execute(
    computed_by_staff: PayoutCycle, staff: Any, second_staff: Any
) -> None:
    cycle = computed_by_staff
    with pytest.raises(NotAllowed) as alone:
        cycle_approve(cycle_id=cycle.pk, allocation_hash=cycle.allocation_hash, actor=staff)
    assert alone.value.code == "same_person_approve"
    assert alone.value.status_code == 403
    cycle.refresh_from_db()
    assert (cycle.status, cycle.approved_by_id) == (CycleStatus.COMPUTED, None)

    cycle_approve(cycle_id=cycle.pk, allocation_hash=cycle.allocation_hash, actor=second_staff)
    with pytest.raises(NotAllowed) as again:
        cycle_execute_start(cycle_id=cycle.pk, actor=second_staff)
    assert again.value.code == "same_person_execute"
    assert PayoutCycle.objects.get(pk=cycle.pk).status == CycleStatus.APPROVED

    cycle_execute_start(cycle_id=cycle.pk, actor=staff)
    # The audit trail names each person: the computer, the approver, the one who paid out.
    audited = set(
        AuditEvent.objects.filter(target_id=str(cycle.pk), target_type__contains="cycle").values_list(
            "actor_id", flat=True
        )
    )
    moves = {c.to_status: c.actor_id for c in cycle.history.all()}
    assert moves[CycleStatus.COMPUTING] == staff.pk
    assert moves[CycleStatus.APPROVED] == second_staff.pk
    assert moves[CycleStatus.EXECUTING] == staff.pk
    assert {staff.pk, second_staff.pk} <= audited


@pytest.mark.django_db
def test_the_page_refuses_approving_your_own_computation_with_a_message_and_changes_nothing(
    client_for: Any, staff: Any, computed_by_staff: PayoutCycle
) -> None:
    c = client_for(staff)
    url = reverse("payout_cycles:cycle_action", args=[computed_by_staff.pk, "approve"])
    response = c.post(url, {"allocation_hash": computed_by_staff.allocation_hash}, follow=True)
    assert response.status_code == 200
    assert "You computed this allocation, so someone else must approve it" in response.content.decode()
    assert PayoutCycle.objects.get(pk=computed_by_staff.pk).status == CycleStatus.COMPUTED


@pytest.mark.django_db
def test_approving_and_paying_out_first_show_the_totals_and_change_nothing(
    client_for: Any, staff: Any, second_staff: Any, computed_by_staff: PayoutCycle
) -> None:
    cycle = computed_by_staff
    rows = list(cycle.allocations.all())
    page = client_for(second_staff).get(reverse("payout_cycles:cycle_action", args=[cycle.pk, "approve"]))
    html = page.content.decode().replace("\xa0", " ")
    assert page.status_code == 200
    for label in ("Distributable", "Paid in cash now", "Retained as members", "Members"):
        assert label in html
    assert f"<dd>{len(rows)}</dd>" in html
    cash = sum(r.cash_cents for r in rows)
    assert f"€{cash / 100:,.2f}" in html
    assert staff.display_name in html  # who computed it
    assert PayoutCycle.objects.get(pk=cycle.pk).status == CycleStatus.COMPUTED

    cycle_approve(cycle_id=cycle.pk, allocation_hash=cycle.allocation_hash, actor=second_staff)
    page = client_for(staff).get(reverse("payout_cycles:cycle_action", args=[cycle.pk, "execute"]))
    assert page.status_code == 200
    assert "Pay out now" in page.content.decode()
    assert PayoutCycle.objects.get(pk=cycle.pk).status == CycleStatus.APPROVED
    # The detail page links to the confirmation, it does not pay out from a single click.
    detail = client_for(staff).get(reverse("payout_cycles:cycle_detail", args=[cycle.pk])).content.decode()
    assert reverse("payout_cycles:cycle_action", args=[cycle.pk, "execute"]) in detail
    assert (
        'method="post" action="{}"'.format(reverse("payout_cycles:cycle_action", args=[cycle.pk, "execute"]))
        not in detail
    )


@pytest.mark.django_db
def test_a_cycle_may_include_today_but_not_tomorrow(policy: Any, staff: Any) -> None:
    today = timezone.localdate()
    cycle = cycle_open(period_start=today - timedelta(days=3), period_end=today + timedelta(days=1), actor=staff)
    assert cycle.period_end == today + timedelta(days=1)
    with pytest.raises(ApplicationError) as refused:
        cycle_open(period_start=today + timedelta(days=1), period_end=today + timedelta(days=2), actor=staff)
    assert refused.value.code == "period_not_over"


@pytest.mark.django_db(transaction=True)
@pytest.mark.services
def test_two_approvals_at_once_from_two_people_leave_one_approval(coop: Any, staff: Any, last_month: Any) -> None:
    need_postgres()
    from payouts.cycles.services import cycle_compute

    cycle = cycle_open(period_start=last_month[0], period_end=last_month[1], actor=staff)
    from unittest import mock

    with mock.patch("payouts.cycles.services.cycles._enqueue"):
        cycle_compute_start(cycle_id=cycle.pk, actor=staff)
    cycle = cycle_compute(cycle_id=cycle.pk)
    approvers = [UserFactory(is_staff=True, is_superuser=True) for _ in range(2)]
    results = run_concurrently(
        lambda i: cycle_approve(cycle_id=cycle.pk, allocation_hash=cycle.allocation_hash, actor=approvers[i]), 2
    )
    won = [r for r in results if isinstance(r, PayoutCycle)]
    lost = [r for r in results if isinstance(r, ApplicationError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert lost[0].code == "cycle_not_computed"
    cycle.refresh_from_db()
    assert cycle.approved_by_id == won[0].approved_by_id
    assert cycle.history.filter(to_status=CycleStatus.APPROVED).count() == 1

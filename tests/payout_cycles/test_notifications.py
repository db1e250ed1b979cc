"""Paying a cycle out tells each member their profit-share statement is ready, once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from core.models import Notification
from core.money import Money
from core.notifications import notification_text
from payouts.cycles.models import CycleStatus
from payouts.cycles.notifications import STATEMENT_READY
from payouts.cycles.services import (
    cycle_approve,
    cycle_compute,
    cycle_compute_start,
    cycle_execute,
    cycle_execute_start,
    cycle_open,
)

pytestmark = pytest.mark.django_db

DUTCH_MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def test_each_member_hears_their_statement_is_ready_once_the_cycle_pays_out(
    second_staff: Any, coop: dict[str, Any], staff: Any, last_month: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cycle = cycle_open(period_start=last_month[0], period_end=last_month[1], actor=staff)
    cycle_compute_start(cycle_id=cycle.pk, actor=staff)
    cycle = cycle_compute(cycle_id=cycle.pk)
    cycle_approve(cycle_id=cycle.pk, allocation_hash=cycle.allocation_hash, actor=second_staff)
    assert not Notification.objects.filter(kind=STATEMENT_READY).exists()
    cycle_execute_start(cycle_id=cycle.pk, actor=staff)

    with django_capture_on_commit_callbacks(execute=True):
        assert cycle_execute(cycle_id=cycle.pk).status == CycleStatus.PAID
        cycle_execute(cycle_id=cycle.pk)

    notices = Notification.objects.filter(kind=STATEMENT_READY)
    assert sorted(n.user_id for n in notices) == sorted(m.user_id for m in coop["members"])
    quiet = cycle.allocations.get(member=coop["quiet"])
    notice = notices.get(user=coop["quiet"].user)
    first, last = last_month[0], last_month[1] - timedelta(days=1)
    assert notice.data == {
        "first": {"$date": first.isoformat()},
        "last": {"$date": last.isoformat()},
        "amount": Money(quiet.allocated_cents, "EUR").format("en"),
    }
    assert notice.url == reverse("payout_cycles:my_statement", args=[cycle.pk])
    assert len(mail.outbox) == len(coop["members"])
    email = next(m for m in mail.outbox if m.to == [coop["quiet"].user.email])
    # The dates in words, in the reader's language: no ISO date in the subject or in the app.
    in_words = f"{first.day} {first:%B %Y} to {last.day} {last:%B %Y}"
    assert f"Your profit-share statement for {in_words} is ready" in email.subject
    assert first.isoformat() not in email.subject + email.body
    with translation.override("nl"):
        dutch = notification_text(notice)
    assert f"{first.day} {DUTCH_MONTHS[first.month - 1]} {first.year}" in dutch and first.isoformat() not in dutch

"""Fixtures for payout cycles: a policy, members, and a month of back-dated ledger activity."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone

from payouts.cycles.demo import DEFAULT_POLICY, backdated_activity
from payouts.cycles.services import surplus_policy_adopt
from tests.factories import MemberFactory, UserFactory


@pytest.fixture
def policy(db: Any) -> Any:
    return surplus_policy_adopt(data=DEFAULT_POLICY, actor=None)


@pytest.fixture
def last_month() -> tuple[date, date]:
    """Return [first of last month, first of this month)."""
    today = timezone.localdate()
    end = today.replace(day=1)
    start = (end - timedelta(days=1)).replace(day=1)
    return start, end


@pytest.fixture
def at() -> Any:
    """Return a context manager that makes "now" the given aware datetime while money moves."""

    def frozen(moment: datetime) -> Any:
        return mock.patch("django.utils.timezone.now", return_value=moment)

    return frozen


@pytest.fixture
def coop(db: Any, policy: Any, last_month: tuple[date, date]) -> dict[str, Any]:
    """Members who worked through the platform last month: two freelancers, a client, a quiet member."""
    joined = timezone.now() - timedelta(days=800)
    freelancers = [MemberFactory(user=UserFactory(is_freelancer=True), joined_at=joined) for _ in range(2)]
    client = MemberFactory(user=UserFactory(is_client=True), joined_at=joined - timedelta(days=365))
    quiet = MemberFactory(joined_at=joined)
    backdated_activity(
        start=last_month[0],
        freelancers=[m.user for m in freelancers],
        clients=[client.user],
        amounts=[120_000, 80_000, 45_500],
    )
    return {"freelancers": freelancers, "client": client, "quiet": quiet, "members": [*freelancers, client, quiet]}

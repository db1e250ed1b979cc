"""Payout bases come from one registry: a class shares by its basis's registered source, or not at all."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from django.utils.translation import gettext_lazy

from core.payout_bases import PAYOUT_BASES, PayoutBasis, payout_bases, register_payout_basis
from payouts.allocation import InvalidPolicy
from payouts.cycles.demo import DEFAULT_POLICY
from payouts.cycles.models import CycleStatus
from payouts.cycles.services import (
    cycle_compute,
    cycle_compute_start,
    cycle_open,
    surplus_policy_adopt,
)

pytestmark = pytest.mark.django_db

VOLUNTEERING = "test_volunteering"


def policy_with(basis: str) -> dict[str, Any]:
    data = copy.deepcopy(DEFAULT_POLICY)
    data["classes"][2] = {"name": "volunteering", "percent": "15", "basis": basis}
    return data


@pytest.fixture
def volunteering(coop: dict[str, Any]) -> Iterator[dict[int, int]]:
    """A basis another app might offer: hours volunteered, all of them by the quiet member."""
    hours = {coop["quiet"].user_id: 7}

    def source(start: datetime, end: datetime, currency: str) -> dict[int, int]:
        return hours

    register_payout_basis(PayoutBasis(key=VOLUNTEERING, label=gettext_lazy("Hours volunteered"), source=source))
    yield hours
    PAYOUT_BASES._items.pop(VOLUNTEERING, None)


def compute(staff: Any, last_month: Any) -> Any:
    cycle = cycle_open(period_start=last_month[0], period_end=last_month[1], actor=staff)
    cycle_compute_start(cycle_id=cycle.pk, actor=staff)
    return cycle_compute(cycle_id=cycle.pk)


def test_the_built_in_bases_are_registered_like_any_other() -> None:
    assert {"net_fees", "earnings", "equal", "years"} <= {basis.key for basis in payout_bases()}
    assert str(PAYOUT_BASES.get("net_fees").label) == "Net fees generated"


def test_a_policy_naming_a_basis_nobody_registered_is_refused_when_adopted(
    policy: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Hours worked are the marketplace's to register; without it, a policy cannot share by them.
    monkeypatch.delitem(PAYOUT_BASES._items, "hours")

    with pytest.raises(InvalidPolicy) as refused:
        surplus_policy_adopt(data=policy_with("hours"), actor=None)

    assert refused.value.detail == {"field": "classes[2].basis"}
    assert refused.value.message == "The basis of class volunteering must be one of net_fees, earnings, equal, years."


def test_a_policy_may_name_a_basis_an_app_registered(volunteering: dict[int, int]) -> None:
    adopted = surplus_policy_adopt(data=policy_with(VOLUNTEERING), actor=None)

    assert adopted.classes[2]["basis"] == VOLUNTEERING


def test_a_registered_basis_shares_its_class_by_its_source(
    coop: dict[str, Any], volunteering: dict[int, int], staff: Any, last_month: Any
) -> None:
    surplus_policy_adopt(data=policy_with(VOLUNTEERING), actor=None)

    cycle = compute(staff, last_month)

    assert cycle.status == CycleStatus.COMPUTED
    pot = next(pot for pot in cycle.class_pots if pot["name"] == "volunteering")
    quiet = cycle.allocations.get(member=coop["quiet"])
    assert quiet.bases[VOLUNTEERING] == "7"
    assert quiet.parts[2] == pot["cents"] > 0
    assert all(row.parts[2] is None for row in cycle.allocations.exclude(member=coop["quiet"]))


def test_a_cycle_whose_basis_lost_its_source_fails_loudly_instead_of_moving_the_share(
    coop: dict[str, Any], volunteering: dict[int, int], staff: Any, last_month: Any
) -> None:
    surplus_policy_adopt(data=policy_with(VOLUNTEERING), actor=None)
    PAYOUT_BASES._items.pop(VOLUNTEERING)

    cycle = compute(staff, last_month)

    assert cycle.status == CycleStatus.FAILED
    assert cycle.failed_from == CycleStatus.COMPUTING
    assert VOLUNTEERING in cycle.failure_reason
    assert not cycle.allocations.exists()
    assert cycle.history.last().reason == cycle.failure_reason

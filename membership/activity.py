"""Activity checks an admission policy can require, registered by the apps that know the activity.

marketplace registers, for example, "completed_contracts" from its AppConfig.ready():

    from membership.activity import register_activity_check
    register_activity_check("completed_contracts", _("completed contracts"), completed_contract_count)

The coop's policy (MembershipPolicy.activity_check and .activity_required) names the check and how
much activity an applicant needs before admission.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ActivityCheck:
    key: str
    label: Any
    count: Callable[[Any], int]


_CHECKS: dict[str, ActivityCheck] = {}


def register_activity_check(key: str, label: Any, count: Callable[[Any], int]) -> None:
    """Register `count(user) -> int`, how much of an activity the user has done, under `key`."""
    _CHECKS[key] = ActivityCheck(key=key, label=label, count=count)


def activity_check(key: str) -> ActivityCheck | None:
    return _CHECKS.get(key)


def activity_checks() -> list[ActivityCheck]:
    return [_CHECKS[key] for key in sorted(_CHECKS)]

"""What other apps require before a person can be paid out, checked by every withdrawal.

payouts may not import the marketplace, yet the law that decides whether a seller may be paid
(DAC7: a platform collects a seller's tax details before their first payout) is about work done
there. So the marketplace registers a gate here from its ready(), and `withdrawal_create` asks
every gate; a gate refuses by raising an ApplicationError whose `detail["url"]` names the page
where the person can put it right.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from core.registry import Registry

if TYPE_CHECKING:
    from membership.models import User

WITHDRAWAL_GATES: Registry[Callable[[User], None]] = Registry("withdrawal gates")


def withdrawal_gates_check(user: User) -> None:
    """Raise the first refusal of any registered gate for paying `user` out."""
    for gate in WITHDRAWAL_GATES.values():
        gate(user)

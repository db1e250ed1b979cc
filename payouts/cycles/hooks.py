"""A test-only pause point between batches, so a test can SIGKILL a worker mid-way.

With PAYOUT_CYCLES_STALL_AFTER="compute:4" (or "execute:4") in the environment, the worker stops
after the batch that brings it to 4 or more members done, all of it committed, and waits to be
killed. Unset, as everywhere but that test, it does nothing.
"""

from __future__ import annotations

import os
import time

STALL_ENV = "PAYOUT_CYCLES_STALL_AFTER"


def checkpoint(phase: str, done: int) -> None:
    setting = os.environ.get(STALL_ENV, "")
    if not setting:
        return
    wanted_phase, _sep, limit = setting.partition(":")
    if wanted_phase == phase and limit.isdigit() and done >= int(limit):
        while True:
            time.sleep(1)

"""A payout cycle worker that stops mid-way and waits to be killed, for the SIGKILL test.

Run from the project root as
    python -m tests.payout_cycles.stalling_worker <cycle_id> <compute|execute> <members> [--batch-size N]
it runs the real `payout_cycle_run` command, with one change made here and not in the code under
test: after the per-batch commit that brings the phase to <members> or more members done
(compute's `_write_batch`, execute's `_progress`, each its own committed transaction), it sleeps
forever instead of going on.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

# The batch commit helper of each phase, which returns the members done so far (None when the
# cycle left the phase).
BATCH_COMMITS = {"compute": "_write_batch", "execute": "_progress"}


def stall_after(module: ModuleType, name: str, members: int) -> None:
    """Make module.name stall for good once it has committed `members` or more members."""
    commit: Callable[..., int | None] = getattr(module, name)

    def committed_then_stall(*args: Any, **kwargs: Any) -> int | None:
        done = commit(*args, **kwargs)
        if done is not None and done >= members:
            while True:
                time.sleep(1)
        return done

    setattr(module, name, committed_then_stall)


def main(argv: list[str]) -> None:
    cycle_id, phase, members, *options = argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coop_platform.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    from payouts.cycles.services import compute, execute

    stall_after({"compute": compute, "execute": execute}[phase], BATCH_COMMITS[phase], int(members))
    call_command("payout_cycle_run", cycle_id, phase, *options)


if __name__ == "__main__":
    main(sys.argv[1:])

"""Vote counting: pure Python, deterministic, exact. No database, no Django.

    from governance.counting import Ballot, count

    result = count(
        "stv-scottish",
        [Ballot(("Ann", "Bo")), Ballot(("Cy",), weight=3)],
        candidates=["Ann", "Bo", "Cy"],
        seats=2,
    )
    result.winners      # ("Cy", "Ann"): in order of election
    result.rounds       # Round(number, tallies, elected, excluded, transfer, quota, ...)
    result.to_dict()    # {"winners": [...], "rounds": [...], ...}: JSON-ready, exact values as strings

Methods (METHODS): "irv" (one seat), "stv-scottish" (SSI 2007/42, 5-decimal fixed point),
"stv-meek" (Hill-Wichmann-Woodall 1987 / NZ Schedule 1A, 9-decimal fixed point), "schulze"
(winner and ranking; top N for N seats), "approval" (N most approved). Each module's docstring states
the rule exactly. Ties are broken by looking back at earlier rounds, then by a reproducible lot
(ties.py); the lot's seed is in CountResult.lot_seed.

Ballots name candidates; a ranking need not be complete. Bad input raises CountingError with a clear
message. BLT files: read_blt / read_blt_file / write_blt (blt.py); JSON cases: read_json (jsonio.py).
"""

from collections.abc import Callable, Collection, Sequence

from governance.counting.approval import count_approval
from governance.counting.blt import BltError, Election, read_blt, read_blt_file, write_blt
from governance.counting.irv import count_irv
from governance.counting.jsonio import read_json, read_json_file
from governance.counting.meek import count_meek
from governance.counting.prepare import Prepared, prepare
from governance.counting.schulze import count_schulze
from governance.counting.scottish import count_scottish
from governance.counting.types import Ballot, CountingError, CountResult, Round, Transfer, Value

_COUNTERS: dict[str, Callable[[Prepared], CountResult]] = {
    "irv": count_irv,
    "stv-scottish": count_scottish,
    "stv-meek": count_meek,
    "schulze": count_schulze,
    "approval": count_approval,
}
METHODS: tuple[str, ...] = tuple(_COUNTERS)

__all__ = [
    "METHODS",
    "Ballot",
    "BltError",
    "CountResult",
    "CountingError",
    "Election",
    "Round",
    "Transfer",
    "Value",
    "count",
    "count_election",
    "read_blt",
    "read_blt_file",
    "read_json",
    "read_json_file",
    "write_blt",
]


def count(
    method: str,
    ballots: Sequence[Ballot],
    candidates: Sequence[str],
    seats: int,
    *,
    withdrawn: Collection[str] = (),
    lot_seed: str | None = None,
) -> CountResult:
    """Count `ballots` for `seats` seats by `method` and return the winners and every round.

    Withdrawn candidates are skipped on every ballot as if never ranked. `lot_seed` fixes the seed of
    the lot that breaks ties no earlier round can (default: derived from the ballots themselves).
    """
    counter = _COUNTERS.get(method)
    if counter is None:
        raise CountingError(f"Unknown counting method {method!r}; use one of: {', '.join(METHODS)}.", code="bad_method")
    prepared = prepare(
        ballots=ballots,
        candidates=candidates,
        seats=seats,
        withdrawn=withdrawn,
        lot_seed=lot_seed,
        keep_blank=method == "approval",
    )
    return counter(prepared)


def count_election(
    method: str, election: Election, *, seats: int | None = None, lot_seed: str | None = None
) -> CountResult:
    """Count an Election read from a file; `seats` overrides the number the file gives."""
    return count(
        method,
        election.ballots,
        election.candidates,
        election.seats if seats is None else seats,
        withdrawn=election.withdrawn,
        lot_seed=lot_seed,
    )

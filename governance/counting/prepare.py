"""Check the input once and turn it into the compact form every method counts from."""

import hashlib
import json
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from governance.counting.ties import TieBreaker
from governance.counting.types import Ballot, CountingError


@dataclass(frozen=True)
class Prepared:
    """Candidates as indices 0..n-1 (withdrawn ones removed) and ballots grouped by ranking.

    `groups` holds (ranking as candidate indices, total weight), sorted, so that the order in
    which ballots arrive can never change a count. Rankings left empty by withdrawals or cast
    blank are kept only for approval, where a ballot approving nobody is still a ballot.
    """

    names: tuple[str, ...]
    seats: int
    groups: tuple[tuple[tuple[int, ...], int], ...]
    total: int
    withdrawn: tuple[str, ...]
    ties: TieBreaker


def prepare(
    *,
    ballots: Sequence[Ballot],
    candidates: Sequence[str],
    seats: int,
    withdrawn: Collection[str] = (),
    lot_seed: str | None = None,
    keep_blank: bool = False,
) -> Prepared:
    """Validate the input and return it ready to count; raise CountingError on anything wrong."""
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise CountingError(f"Seats must be a whole number of at least 1, not {seats!r}.", code="bad_seats")
    names = _check_candidates(candidates)
    known = set(names)
    gone = set(withdrawn)
    unknown_withdrawn = sorted(gone - known)
    if unknown_withdrawn:
        raise CountingError(
            f"Withdrawn candidate {unknown_withdrawn[0]!r} is not one of the candidates.", code="unknown_candidate"
        )
    standing = tuple(name for name in names if name not in gone)
    if not standing:
        raise CountingError("Every candidate has withdrawn; there is no one to elect.", code="no_candidates")
    index = {name: position for position, name in enumerate(standing)}

    grouped: Counter[tuple[int, ...]] = Counter()
    for number, ballot in enumerate(ballots, start=1):
        _check_ballot(number, ballot, known)
        ranking = tuple(index[name] for name in ballot.ranking if name in index)
        if ranking or keep_blank:
            grouped[ranking] += ballot.weight
    groups = tuple(sorted(grouped.items()))
    total = sum(weight for _, weight in groups)
    if total == 0:
        raise CountingError("There are no valid ballots to count.", code="no_ballots")
    seed = lot_seed if lot_seed is not None else _default_seed(names, seats, tuple(sorted(gone)), ballots)
    return Prepared(
        names=standing,
        seats=seats,
        groups=groups,
        total=total,
        withdrawn=tuple(name for name in names if name in gone),
        ties=TieBreaker(standing, seed),
    )


def _check_candidates(candidates: Sequence[str]) -> tuple[str, ...]:
    names = tuple(candidates)
    if not names:
        raise CountingError("There are no candidates.", code="no_candidates")
    seen: set[str] = set()
    for name in names:
        if not isinstance(name, str) or not name.strip():
            raise CountingError(f"Candidate names must be non-empty text, not {name!r}.", code="bad_candidate")
        if name in seen:
            raise CountingError(f"Candidate {name!r} is listed twice.", code="duplicate_candidate")
        seen.add(name)
    return names


def _check_ballot(number: int, ballot: Ballot, known: set[str]) -> None:
    weight = ballot.weight
    if isinstance(weight, bool) or not isinstance(weight, int) or weight < 1:
        raise CountingError(f"Ballot {number}: the weight must be a whole number of at least 1, not {weight!r}.")
    seen: set[str] = set()
    for name in ballot.ranking:
        if name not in known:
            raise CountingError(f"Ballot {number}: {name!r} is not one of the candidates.", code="unknown_candidate")
        if name in seen:
            raise CountingError(f"Ballot {number}: {name!r} appears twice.", code="duplicate_preference")
        seen.add(name)


def _default_seed(names: tuple[str, ...], seats: int, withdrawn: tuple[str, ...], ballots: Sequence[Ballot]) -> str:
    """Return the SHA-256 of the election's canonical JSON: anyone holding the ballots can redo the lot.

    Canonical form: [candidates in order, seats, sorted withdrawn, [[ranking, total weight], ...]
    sorted by ranking], serialised with json.dumps(separators=(",", ":"), ensure_ascii=False).
    """
    grouped: Counter[tuple[str, ...]] = Counter()
    for ballot in ballots:
        grouped[ballot.ranking] += ballot.weight
    canonical = [list(names), seats, list(withdrawn), [[list(r), w] for r, w in sorted(grouped.items())]]
    text = json.dumps(canonical, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

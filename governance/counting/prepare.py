"""Check the input once and turn it into the compact form every method counts from."""

import hashlib
import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any

from governance.counting.prefixes import Prefixes
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
    prefixes: Prefixes  # the groups again, as the prefix nodes IRV and both STVs count from


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

    raw = _group(ballots, known)
    seed_rankings: list[tuple[str, ...]] | list[tuple[int, ...]]
    encoded = {name: json.dumps(name, ensure_ascii=False) for name in names}
    if not gone and list(names) == sorted(names):
        # Indices then keep the names' order: one sort (of whole numbers, several times faster
        # than of text) orders the rankings for counting and for the seed alike.
        rankings = list(map(tuple, map(map, repeat(index.__getitem__), raw)))
        weight_of = dict(zip(rankings, raw.values(), strict=True))
        rankings.sort()
        weights = list(map(weight_of.__getitem__, rankings))
        seed_rankings, seed_weights = rankings, weights
        seed_names: Callable[[Any], str] = [encoded[name] for name in names].__getitem__
    else:
        merged: dict[tuple[int, ...], int] = {}
        for names_ranked, weight in raw.items():
            ranking = tuple(index[name] for name in names_ranked if name in index)
            merged[ranking] = merged.get(ranking, 0) + weight
        rankings = sorted(merged)
        weights = list(map(merged.__getitem__, rankings))
        seed_rankings = sorted(raw)
        seed_weights = list(map(raw.__getitem__, seed_rankings))
        seed_names = encoded.__getitem__
    if rankings and not rankings[0] and not keep_blank:
        rankings, weights = rankings[1:], weights[1:]  # the empty ranking sorts first
    total = sum(weights)
    if total == 0:
        raise CountingError("There are no valid ballots to count.", code="no_ballots")
    if lot_seed is None:
        lot_seed = _default_seed(names, seats, tuple(sorted(gone)), seed_rankings, seed_weights, seed_names)
    return Prepared(
        names=standing,
        seats=seats,
        groups=tuple(zip(rankings, weights, strict=True)),
        total=total,
        withdrawn=tuple(name for name in names if name in gone),
        ties=TieBreaker(standing, lot_seed),
        prefixes=Prefixes(rankings, weights),
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


def _group(ballots: Sequence[Ballot], known: set[str]) -> dict[tuple[str, ...], int]:
    """Return each distinct ranking (as cast) with its total weight, in one pass over the ballots.

    Weights are checked on the way and rankings once per distinct ranking, so the work is linear in
    the number of ballots. When anything is wrong the ballots are checked again one by one, so the
    error names the first bad ballot, as a check in ballot order would.
    """
    raw: dict[tuple[str, ...], int] = {}
    get = raw.get
    try:
        for ballot in ballots:
            weight = ballot.weight
            if weight.__class__ is not int or weight < 1:
                break
            ranking = ballot.ranking
            raw[ranking] = get(ranking, 0) + weight
        else:
            # Every name a candidate, none twice: two passes in C over the distinct rankings.
            if known.issuperset(chain.from_iterable(raw)) and list(map(len, map(set, raw))) == list(map(len, raw)):
                return raw
    except TypeError:  # an unhashable name: the check below says which ballot
        pass
    for number, ballot in enumerate(ballots, start=1):
        _check_ballot(number, ballot, known)
    # Every ballot is valid (a weight of a subclass of int brought us here): group them plainly.
    raw = {}
    for ballot in ballots:
        raw[ballot.ranking] = raw.get(ballot.ranking, 0) + ballot.weight
    return raw


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


def _default_seed(
    names: tuple[str, ...],
    seats: int,
    withdrawn: tuple[str, ...],
    rankings: Sequence[Sequence[Any]],
    weights: Sequence[int],
    encoded: Callable[[Any], str],
) -> str:
    """Return the SHA-256 of the election's canonical JSON: anyone holding the ballots can redo the lot.

    Canonical form: [candidates in order, seats, sorted withdrawn, [[ranking, total weight], ...]
    sorted by ranking], serialised with json.dumps(separators=(",", ":"), ensure_ascii=False).
    Here the rankings come sorted, with `encoded` giving the JSON text of each of their entries, and
    the list of rankings is written by joining those texts: the same text as json.dumps writes, in a
    third of the time.
    """
    head = json.dumps([names, seats, withdrawn], separators=(",", ":"), ensure_ascii=False)
    if rankings:
        listed = map(",".join, map(map, repeat(encoded), rankings))
        body = "[[[" + "],[[".join(map("],".join, zip(listed, map(str, weights), strict=True))) + "]]"
    else:
        body = "[]"
    text = f"{head[:-1]},{body}]"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

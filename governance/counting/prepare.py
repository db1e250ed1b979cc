"""Check the input once and turn it into the compact form every method counts from."""

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import attrgetter
from typing import cast

from governance.counting.prefixes import Prefixes, Ranking
from governance.counting.ties import TieBreaker
from governance.counting.types import Ballot, CountingError

# Up to this many candidates, a ranking is bytes: one byte per candidate.
_BYTE = 256


@dataclass(frozen=True)
class Prepared:
    """Candidates as indices 0..n-1 (withdrawn ones removed) and ballots grouped by ranking.

    `groups` holds (ranking as candidate indices, total weight), sorted, so that the order in
    which ballots arrive can never change a count. Rankings left empty by withdrawals or cast
    blank are kept only for approval, where a ballot approving nobody is still a ballot. IRV and
    both STVs count from `prefixes`, the same rankings and weights as prefix nodes.
    """

    names: tuple[str, ...]
    seats: int
    total: int
    withdrawn: tuple[str, ...]
    ties: TieBreaker
    prefixes: Prefixes

    @property
    def groups(self) -> tuple[tuple[Ranking, int], ...]:
        return tuple(zip(self.prefixes.rankings, self.prefixes.weights, strict=True))


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

    alphabetical = list(names) == sorted(names)
    fast = not gone and alphabetical
    raw = _group(ballots, known, names_checked_later=fast)
    # Rankings as bytes (one byte per candidate: they hash, compare and sort several times faster
    # than tuples), or as tuples when there are too many candidates for a byte.
    encode: Callable[[Iterable[int]], Ranking] = bytes if len(names) <= _BYTE else tuple
    if fast:
        # Indices then keep the names' order, so one sort orders the rankings for counting and for
        # the seed alike.
        try:
            rankings = list(map(encode, map(map, repeat(index.__getitem__), raw)))
        except KeyError:  # a name that is no candidate: say on which ballot
            _check_each(ballots, known)
            raise
        weight_of = dict(zip(rankings, raw.values(), strict=True))
        rankings.sort()
        weights = list(map(weight_of.__getitem__, rankings))
        seed_rankings, seed_weights = rankings, weights
    else:
        merged: dict[Ranking, int] = {}
        for names_ranked, weight in raw.items():
            ranking = encode(index[name] for name in names_ranked if name in index)
            merged[ranking] = merged.get(ranking, 0) + weight
        rankings = sorted(merged)
        weights = list(map(merged.__getitem__, rankings))
        # The seed's rankings, as positions in the names sorted: sorted, they are in text order.
        position = {name: place for place, name in enumerate(sorted(names))}
        seed_of = dict(zip(map(encode, map(map, repeat(position.__getitem__), raw)), raw.values(), strict=True))
        seed_rankings = sorted(seed_of)
        seed_weights = list(map(seed_of.__getitem__, seed_rankings))
    if rankings and not rankings[0] and not keep_blank:
        rankings, weights = rankings[1:], weights[1:]  # the empty ranking sorts first
    total = sum(weights)
    if total == 0:
        raise CountingError("There are no valid ballots to count.", code="no_ballots")
    if lot_seed is None:
        lot_seed = _default_seed(names, seats, tuple(sorted(gone)), seed_rankings, seed_weights)
    return Prepared(
        names=standing,
        seats=seats,
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


def _group(ballots: Sequence[Ballot], known: set[str], *, names_checked_later: bool) -> dict[tuple[str, ...], int]:
    """Return each distinct ranking (as cast) with its total weight: linear in the number of ballots.

    Weights are checked together and rankings once per distinct ranking, and the passes over all the
    ballots run in C (map, Counter, dict). When anything is wrong the ballots are checked again one by one, so the
    error names the first bad ballot, as a check in ballot order would.
    """
    try:
        rankings = list(map(attrgetter("ranking"), ballots))
        weights = list(map(attrgetter("weight"), ballots))
        if not weights or (set(map(type, weights)) == {int} and min(weights) >= 1):
            if not weights or max(weights) == 1:
                raw: dict[tuple[str, ...], int] = Counter(rankings)  # counted in C
            else:
                raw = dict(zip(rankings, weights, strict=True))
                if len(raw) < len(rankings):  # some ranking given more than once: add up
                    raw = {}
                    for ranking, weight in zip(rankings, weights, strict=True):
                        raw[ranking] = raw.get(ranking, 0) + weight
            # No name twice, and (unless the caller finds out by looking each up) every name a
            # candidate: passes in C over the distinct rankings.
            if sum(map(len, map(set, raw))) == sum(map(len, raw)) and (
                names_checked_later or known.issuperset(chain.from_iterable(raw))
            ):
                return raw
    except (TypeError, AttributeError):  # an unhashable name, not a ballot: the check below says which
        pass
    _check_each(ballots, known)
    # Every ballot is valid (a weight of a subclass of int brought us here): group them plainly.
    raw = {}
    for ballot in ballots:
        raw[ballot.ranking] = raw.get(ballot.ranking, 0) + ballot.weight
    return raw


def _check_each(ballots: Sequence[Ballot], known: set[str]) -> None:
    """Check the ballots one by one and raise on the first bad one."""
    for number, ballot in enumerate(ballots, start=1):
        _check_ballot(number, ballot, known)


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
    names: tuple[str, ...], seats: int, withdrawn: tuple[str, ...], rankings: list[Ranking], weights: list[int]
) -> str:
    """Return the SHA-256 of the election's canonical JSON: anyone holding the ballots can redo the lot.

    Canonical form: [candidates in order, seats, sorted withdrawn, [[ranking, total weight], ...]
    sorted by ranking], serialised with json.dumps(separators=(",", ":"), ensure_ascii=False).

    Here `rankings` come sorted, as positions in the names sorted, and the list of them is written
    by joining the JSON text of each name (see _listed): the same text as json.dumps writes.
    """
    encoded = [json.dumps(name, ensure_ascii=False) for name in sorted(names)]
    head = json.dumps([names, seats, withdrawn], separators=(",", ":"), ensure_ascii=False)
    text = head[:-1].encode() + b"," + _listed(rankings, weights, encoded) + b"]"
    return hashlib.sha256(text).hexdigest()


def _listed(rankings: list[Ranking], weights: list[int], encoded: list[str]) -> bytes:
    """Return [[ranking as names, weight], ...] in JSON, as UTF-8.

    With rankings as bytes, the text is written by table look-ups over all of them at once: each
    candidate's byte becomes ',"name"', a byte standing for the weight that follows each ranking
    becomes '],weight],[[', and the comma after each '[[' is dropped. That needs a byte for every
    distinct weight beside the candidates', and no name holding '[[,'; otherwise, and for rankings
    as tuples, each ranking's text is joined on its own.
    """
    if not rankings:
        return b"[]"
    distinct = sorted(set(weights))
    if (
        isinstance(rankings[0], bytes)
        and len(encoded) + len(distinct) <= _BYTE
        and not any("[[," in name for name in encoded)
    ):
        table = [f",{name}".encode() for name in encoded]
        marks: dict[int, bytes] = {}
        for weight in distinct:
            marks[weight] = bytes((len(table),))
            table.append(f"],{weight}],[[".encode())
        if len(distinct) == 1:
            mark = marks[distinct[0]]
            papers = mark.join(cast(list[bytes], rankings)) + mark
        else:
            papers = b"".join(map(bytes.__add__, cast(list[bytes], rankings), map(marks.__getitem__, weights)))
        text = b"".join(map(table.__getitem__, papers))  # "[[" + this ends with ",[["
        return (b"[[[" + text[:-3] + b"]").replace(b"[[,", b"[[")
    listed = map(",".join, map(map, repeat(encoded.__getitem__), rankings))
    return ("[[[" + "],[[".join(map("],".join, zip(listed, map(str, weights), strict=True))) + "]]").encode()

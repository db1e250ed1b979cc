"""Read and write ballots in the BLT format (ERS / OpenSTV / Droop), so anyone can recount elsewhere.

    4 2                  number of candidates, number of seats
    -2                   optional: withdrawn candidates, as negative candidate numbers
    3 1 2 4 0            a ballot: weight, then candidate numbers (1-based) best first, then 0
    1 3 0
    0                    end of ballots
    "Alice"              one quoted name per candidate, in candidate-number order
    "Bob"
    "Carol"
    "Dan"
    "Board election"     the title

Blank lines are ignored, and "#" starts a comment outside quotes. A ballot "1 0" (no preference)
is read but counts as blank. Names may contain \\" and \\\\ escapes; the writer only produces them for
names that contain a quote or a backslash, so ordinary files stay plain. Every error names the line.
"""

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from governance.counting.types import Ballot, CountingError


class BltError(CountingError):
    """A malformed BLT file; `line` is the 1-based line number where the problem was found."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}", code="bad_blt")
        self.line = line


@dataclass(frozen=True)
class Election:
    """What a BLT file holds: candidates, seats, ballots, withdrawn candidates and a title."""

    candidates: tuple[str, ...]
    seats: int
    ballots: tuple[Ballot, ...]
    withdrawn: tuple[str, ...] = ()
    title: str = ""


_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def read_blt_file(path: str | Path) -> Election:
    """Read a BLT file (UTF-8, an optional byte-order mark is skipped)."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise CountingError(f"Cannot read {path}: {error.strerror or error}.", code="unreadable") from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise BltError(line, "the file is not UTF-8 text") from error
    return read_blt(text)


def read_blt(text: str) -> Election:
    """Parse BLT text into an Election; raise BltError with the line number on malformed input."""
    lines = [(number, _strip_comment(raw)) for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), 1)]
    lines = [(number, line.strip()) for number, line in lines if line.strip()]
    if not lines:
        raise BltError(1, "the file is empty; it must start with a line 'candidates seats', e.g. '4 2'")
    position = 0
    number, header = lines[position]
    parts = header.split()
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        raise BltError(number, f"expected 'candidates seats' (two whole numbers, e.g. '4 2'), found {header!r}")
    count, seats = int(parts[0]), int(parts[1])
    if count < 1:
        raise BltError(number, "there must be at least one candidate")
    if seats < 1:
        raise BltError(number, "there must be at least one seat")
    position += 1
    withdrawn_numbers: list[int] = []
    if position < len(lines) and lines[position][1].startswith("-"):
        number, line = lines[position]
        for token in line.split():
            if not re.fullmatch(r"-\d+", token) or not 1 <= -int(token) <= count:
                raise BltError(number, f"withdrawn candidates are written -1 to -{count}, found {token!r}")
            withdrawn_numbers.append(-int(token))
        position += 1

    raw_ballots: list[tuple[int, int, list[int]]] = []
    while True:
        if position >= len(lines):
            last = lines[-1][0]
            raise BltError(last, "the ballots must end with a line holding a single 0")
        number, line = lines[position]
        position += 1
        if line == "0":
            break
        if line.startswith('"'):
            raise BltError(
                number, "found a name where a ballot was expected: is the line '0' ending the ballots missing?"
            )
        raw_ballots.append((number, *_parse_ballot(number, line, count)))

    names, name_lines = _parse_names(lines[position:])
    end_line = lines[-1][0]
    if len(names) < count:
        raise BltError(end_line, f"expected {count} candidate names, found {len(names)}")
    if len(names) > count + 1:
        raise BltError(name_lines[count + 1], f"unexpected text after the title: {names[count + 1]!r}")
    candidates = tuple(names[:count])
    for index, name in enumerate(candidates):
        if not name.strip():
            raise BltError(name_lines[index], f"candidate {index + 1} has an empty name")
        if name in candidates[:index]:
            raise BltError(name_lines[index], f"candidate name {name!r} is used twice")
    title = names[count] if len(names) > count else ""
    ballots = tuple(
        Ballot(ranking=tuple(candidates[c - 1] for c in prefs), weight=weight) for _, weight, prefs in raw_ballots
    )
    withdrawn = tuple(candidates[c - 1] for c in sorted(set(withdrawn_numbers)))
    return Election(candidates=candidates, seats=seats, ballots=ballots, withdrawn=withdrawn, title=title)


def write_blt(election: Election, *, aggregate: bool = True) -> str:
    """Return the election as BLT text.

    With `aggregate` (the default, for anonymised export) identical rankings are merged into one line
    with their total weight and lines are sorted by weight (highest first), then by ranking, so the
    file shows nothing of the order in which ballots were cast.
    """
    candidates = election.candidates
    index = {name: position for position, name in enumerate(candidates, 1)}
    for name in (*candidates, election.title):
        if "\n" in name or "\r" in name:
            raise CountingError(f"A name or title in a BLT file cannot contain a line break: {name!r}.")
    lines = [f"{len(candidates)} {election.seats}"]
    if election.withdrawn:
        lines.append(" ".join(f"-{index[name]}" for name in election.withdrawn))
    rows: Sequence[tuple[tuple[int, ...], int]]
    rankings = [(tuple(index[name] for name in ballot.ranking), ballot.weight) for ballot in election.ballots]
    if aggregate:
        totals: Counter[tuple[int, ...]] = Counter()
        for ranking, weight in rankings:
            totals[ranking] += weight
        rows = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    else:
        rows = rankings
    lines.extend(" ".join(str(part) for part in (weight, *ranking, 0)) for ranking, weight in rows)
    lines.append("0")
    lines.extend(_quote(name) for name in (*candidates, election.title))
    return "\n".join(lines) + "\n"


def _parse_ballot(number: int, line: str, count: int) -> tuple[int, list[int]]:
    tokens = line.split()
    if "=" in line:
        raise BltError(number, "equal preferences ('=') are not supported")
    if not all(re.fullmatch(r"\d+", token) for token in tokens):
        bad = next(token for token in tokens if not re.fullmatch(r"\d+", token))
        raise BltError(number, f"a ballot holds whole numbers only, found {bad!r}")
    values = [int(token) for token in tokens]
    if values[-1] != 0:
        raise BltError(number, "a ballot must end with 0")
    if len(values) < 2:
        raise BltError(number, "a ballot needs a weight before its closing 0")
    weight, prefs = values[0], values[1:-1]
    if weight < 1:
        raise BltError(number, "a ballot's weight must be at least 1")
    seen: set[int] = set()
    for pref in prefs:
        if pref == 0:
            raise BltError(number, "0 may only close a ballot, not appear inside it")
        if pref > count:
            raise BltError(number, f"candidate {pref} does not exist (there are {count})")
        if pref in seen:
            raise BltError(number, f"candidate {pref} is ranked twice")
        seen.add(pref)
    return weight, prefs


def _parse_names(lines: list[tuple[int, str]]) -> tuple[list[str], list[int]]:
    names: list[str] = []
    where: list[int] = []
    for number, line in lines:
        rest = line
        while rest:
            match = _QUOTED.match(rest)
            if not match:
                raise BltError(number, f"expected a name in double quotes, found {rest!r}")
            names.append(re.sub(r"\\(.)", r"\1", match.group(1)))
            where.append(number)
            rest = rest[match.end() :].lstrip()
    return names, where


def _strip_comment(line: str) -> str:
    in_quotes = False
    escaped = False
    for position, char in enumerate(line):
        if escaped:
            escaped = False
        elif char == "\\" and in_quotes:
            escaped = True
        elif char == '"':
            in_quotes = not in_quotes
        elif char == "#" and not in_quotes:
            return line[:position]
    return line


def _quote(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'

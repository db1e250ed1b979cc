"""Read an election from JSON, the shape the shared test cases use (and the only way to give approval
ballots to count_ballots, since BLT has no approval form):

    {"candidates": ["c1", "c2", "c3"], "seats": 2,
     "ballots": [{"approved": ["c1", "c2"], "count": 26}, {"ranking": ["c3", "c1"], "count": 4}],
     "withdrawn": [], "title": "..."}

Each ballot gives "ranking" (best first) or "approved" (a set), and "count" (default 1). Other keys
(expected results, notes, sources) are ignored.
"""

import json
from pathlib import Path

from governance.counting.blt import Election
from governance.counting.types import Ballot, CountingError


def read_json_file(path: str | Path) -> Election:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise CountingError(f"Cannot read {path}: {error.strerror or error}.", code="unreadable") from error
    except UnicodeDecodeError as error:
        raise CountingError(f"{path} is not UTF-8 text.", code="bad_json") from error
    return read_json(text)


def read_json(text: str) -> Election:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CountingError(f"line {error.lineno}: not valid JSON ({error.msg}).", code="bad_json") from error
    if not isinstance(data, dict):
        raise CountingError("The JSON must be an object with 'candidates', 'seats' and 'ballots'.", code="bad_json")
    candidates = _strings(data.get("candidates"), "'candidates'")
    seats = data.get("seats")
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise CountingError(f"'seats' must be a whole number of at least 1, not {seats!r}.", code="bad_json")
    raw_ballots = data.get("ballots")
    if not isinstance(raw_ballots, list):
        raise CountingError("'ballots' must be a list.", code="bad_json")
    ballots = tuple(_ballot(number, raw) for number, raw in enumerate(raw_ballots, start=1))
    withdrawn = _strings(data.get("withdrawn", []), "'withdrawn'")
    title = data.get("title", "")
    if not isinstance(title, str):
        raise CountingError("'title' must be text.", code="bad_json")
    return Election(candidates=candidates, seats=seats, ballots=ballots, withdrawn=withdrawn, title=title)


def _ballot(number: int, raw: object) -> Ballot:
    if not isinstance(raw, dict):
        raise CountingError(f"Ballot {number}: must be an object with 'ranking' or 'approved'.", code="bad_json")
    keys = [key for key in ("ranking", "approved") if key in raw]
    if len(keys) != 1:
        raise CountingError(f"Ballot {number}: give exactly one of 'ranking' or 'approved'.", code="bad_json")
    names = _strings(raw[keys[0]], f"Ballot {number}: '{keys[0]}'")
    weight = raw.get("count", 1)
    if isinstance(weight, bool) or not isinstance(weight, int) or weight < 1:
        raise CountingError(
            f"Ballot {number}: 'count' must be a whole number of at least 1, not {weight!r}.", code="bad_json"
        )
    return Ballot(ranking=names, weight=weight)


def _strings(value: object, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise CountingError(f"{what} must be a list of names.", code="bad_json")
    return tuple(value)

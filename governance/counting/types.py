"""The values the counting engine takes and returns: ballots in, a result with its rounds out."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# Whole-vote methods (IRV, Schulze, approval) count in int; fractional ones (Scottish STV, Meek) in
# Decimal with the fixed number of places their rule prescribes. Never float.
Value = int | Decimal


class CountingError(ValueError):
    """The input cannot be counted: unknown method, bad seats, a malformed ballot or file.

    `code` is stable for callers that branch on it; `message` says what is wrong and where.
    """

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Ballot:
    """One ballot (or `weight` identical ballots).

    For ranked methods `ranking` lists candidate names, most preferred first; candidates left out
    are ranked below every listed one. For approval it is the set of approved candidates (order is
    ignored).
    """

    ranking: tuple[str, ...]
    weight: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "ranking", tuple(self.ranking))


@dataclass(frozen=True)
class Transfer:
    """Votes moved out of one candidate's hands at the end of a round.

    `received` maps each continuing candidate to the value it got; `non_transferable` is the value
    of papers with no further preference; `rounding_loss` is what truncating transfer values to the
    rule's precision dropped (surplus transfers only). `informational` marks a transfer made after
    the last vacancy was filled (Scottish rule 52(2)): shown for the record, it changes no result.
    """

    source: str
    kind: str  # "surplus" or "exclusion"
    received: Mapping[str, Value]
    non_transferable: Value
    rounding_loss: Value
    transfer_values: tuple[Value, ...] = ()
    informational: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.source,
            "kind": self.kind,
            "received": {name: _plain(value) for name, value in self.received.items()},
            "non_transferable": _plain(self.non_transferable),
            "rounding_loss": _plain(self.rounding_loss),
            "transfer_values": [_plain(value) for value in self.transfer_values],
            "informational": self.informational,
        }


@dataclass(frozen=True)
class Round:
    """One round of a count, as a results page shows it.

    `tallies` are the votes at the start of the round for every candidate not excluded in an
    earlier round (elected candidates included). Then, in this order: `elected` are declared (on
    these tallies, or as the last candidates standing), `excluded` leave, and `transfer` moves
    votes; the next round's tallies include that transfer. `notes` are structured records of tie
    breaks and the like (dicts with a "kind"), `detail` holds method-specific figures (Meek keep
    factors, Schulze matrices).
    """

    number: int
    tallies: Mapping[str, Value]
    elected: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    transfer: Transfer | None = None
    quota: Value | None = None
    non_transferable: Value | None = None
    notes: tuple[Mapping[str, Any], ...] = ()
    detail: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.number,
            "tallies": {name: _plain(value) for name, value in self.tallies.items()},
            "elected": list(self.elected),
            "excluded": list(self.excluded),
            "transfer": self.transfer.to_dict() if self.transfer else None,
            "quota": _plain(self.quota),
            "non_transferable": _plain(self.non_transferable),
            "notes": [_plain(note) for note in self.notes],
            "detail": _plain(self.detail),
        }


@dataclass(frozen=True)
class CountResult:
    """The outcome: winners in order of election and every round that led there."""

    method: str
    seats: int
    candidates: tuple[str, ...]
    winners: tuple[str, ...]
    rounds: tuple[Round, ...]
    quota: Value | None
    final_tallies: Mapping[str, Value]
    valid_ballots: int
    withdrawn: tuple[str, ...] = ()
    lot_seed: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the result as JSON-ready data; exact values become strings, never floats."""
        return {
            "winners": list(self.winners),
            "rounds": [round_.to_dict() for round_ in self.rounds],
            "method": self.method,
            "seats": self.seats,
            "candidates": list(self.candidates),
            "withdrawn": list(self.withdrawn),
            "quota": _plain(self.quota),
            "final_tallies": {name: _plain(value) for name, value in self.final_tallies.items()},
            "valid_ballots": self.valid_ballots,
            "lot_seed": self.lot_seed,
        }


def fixed(units: int, places: int) -> Decimal:
    """Return `units` of 10**-places as a Decimal with exactly `places` decimals."""
    sign = "-" if units < 0 else ""
    whole, fraction = divmod(abs(units), 10**places)
    return Decimal(f"{sign}{whole}.{fraction:0{places}d}")


def as_text(value: Value) -> str:
    """Return a value as plain decimal text ("0.000000906", never "9.06E-7")."""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return as_text(value)
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value

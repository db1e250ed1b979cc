"""The values the counting engine takes and returns: ballots in, a result with its rounds out."""

from collections.abc import Mapping
from copy import deepcopy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, Required, TypeAlias, TypedDict

# Whole-vote methods (IRV, Schulze, approval) count in int; fractional ones (Scottish STV, Meek) in
# Decimal with the fixed number of places their rule prescribes. Never float.
Value = int | Decimal

# What a tie was broken for: who is elected first, excluded, whose surplus goes first, a Schulze place.
TiePurpose: TypeAlias = Literal["election", "exclusion", "surplus", "ranking"]
TransferKind: TypeAlias = Literal["surplus", "exclusion"]

# A Value in the JSON form of a result: a Decimal becomes exact text, a whole number stays one.
PlainValue: TypeAlias = str | int
JSONValue: TypeAlias = str | int | bool | list["JSONValue"] | dict[str, "JSONValue"] | None


class Note(TypedDict, total=False):
    """A structured record on a round: a tie broken, or seats filled without reaching the quota.

    kind "tie": `purpose`, `tied`, `chosen` and `by`; with `round` when an earlier round decided it,
    `drawn_from` when the lot did, and `order` for a Schulze place the lot put in order.
    kind "last_remaining" and "last_vacancies": `elected`.
    """

    kind: Required[Literal["tie", "last_remaining", "last_vacancies"]]
    purpose: TiePurpose
    tied: list[str]
    chosen: str
    by: Literal["earlier_round", "lot"]
    round: int
    drawn_from: list[str]
    order: list[str]
    elected: list[str]


class RoundDetail(TypedDict, total=False):
    """Method-specific figures of a round; each method fills the keys it has."""

    majority: int  # IRV: votes needed to win
    surplus: Decimal  # Meek: total surplus when the iteration ended
    iterations: int  # Meek
    keep_factors: dict[str, Decimal]  # Meek: of the elected candidates
    rounding_loss: Decimal  # Scottish STV: lost to truncation before this round
    pairwise: dict[str, dict[str, int]]  # Schulze: d[a][b]
    strongest_paths: dict[str, dict[str, int]]  # Schulze: p[a][b]
    ranking: list[str]  # Schulze and approval
    places: list[list[str]]  # Schulze: candidates tied at each place, in lot order


# The JSON form of a transfer, written as a call: "from" is a keyword.
TransferData = TypedDict(
    "TransferData",
    {
        "from": str,
        "kind": TransferKind,
        "received": dict[str, PlainValue],
        "non_transferable": PlainValue,
        "rounding_loss": PlainValue,
        "transfer_values": list[PlainValue],
        "informational": bool,
    },
)


class RoundData(TypedDict):
    """The JSON form of a round."""

    round: int
    tallies: dict[str, PlainValue]
    elected: list[str]
    excluded: list[str]
    transfer: TransferData | None
    quota: PlainValue | None
    non_transferable: PlainValue | None
    notes: list[Note]
    detail: dict[str, JSONValue]


class CountResultData(TypedDict):
    """The JSON form of a result."""

    winners: list[str]
    rounds: list[RoundData]
    method: str
    seats: int
    candidates: list[str]
    withdrawn: list[str]
    quota: PlainValue | None
    final_tallies: dict[str, PlainValue]
    valid_ballots: int
    lot_seed: str


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
    kind: TransferKind
    received: Mapping[str, Value]
    non_transferable: Value
    rounding_loss: Value
    transfer_values: tuple[Value, ...] = ()
    informational: bool = False

    def to_dict(self) -> TransferData:
        return {
            "from": self.source,
            "kind": self.kind,
            "received": {name: _exact(value) for name, value in self.received.items()},
            "non_transferable": _exact(self.non_transferable),
            "rounding_loss": _exact(self.rounding_loss),
            "transfer_values": [_exact(value) for value in self.transfer_values],
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
    notes: tuple[Note, ...] = ()
    detail: RoundDetail = field(default_factory=RoundDetail)

    def to_dict(self) -> RoundData:
        return {
            "round": self.number,
            "tallies": {name: _exact(value) for name, value in self.tallies.items()},
            "elected": list(self.elected),
            "excluded": list(self.excluded),
            "transfer": self.transfer.to_dict() if self.transfer else None,
            "quota": _exact_or_none(self.quota),
            "non_transferable": _exact_or_none(self.non_transferable),
            "notes": [deepcopy(note) for note in self.notes],
            "detail": _plain_mapping(self.detail),
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

    def to_dict(self) -> CountResultData:
        """Return the result as JSON-ready data; exact values become strings, never floats."""
        return {
            "winners": list(self.winners),
            "rounds": [round_.to_dict() for round_ in self.rounds],
            "method": self.method,
            "seats": self.seats,
            "candidates": list(self.candidates),
            "withdrawn": list(self.withdrawn),
            "quota": _exact_or_none(self.quota),
            "final_tallies": {name: _exact(value) for name, value in self.final_tallies.items()},
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


def _exact(value: Value) -> PlainValue:
    return as_text(value) if isinstance(value, Decimal) else value


def _exact_or_none(value: Value | None) -> PlainValue | None:
    return None if value is None else _exact(value)


def _plain(value: object) -> JSONValue:
    if isinstance(value, Decimal):
        return as_text(value)
    if isinstance(value, Mapping):
        return _plain_mapping(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, str | int):
        return value
    raise TypeError(f"{value!r} has no JSON form in a count result.")


def _plain_mapping(mapping: Mapping[str, object]) -> dict[str, JSONValue]:
    return {str(key): _plain(item) for key, item in mapping.items()}

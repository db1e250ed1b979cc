"""The engine's API: what it refuses, how it breaks ties, and the shape of what it returns."""

import hashlib
import json

import pytest

from governance.counting import METHODS, Ballot, CountingError, count


def lot_order(seed: str, names: list[str]) -> list[str]:
    """The documented lot: lowest SHA-256 of seed + 0x1F + name is drawn first."""
    return sorted(names, key=lambda name: hashlib.sha256(f"{seed}\x1f{name}".encode()).hexdigest())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "borda"}, "Unknown counting method 'borda'; use one of: " + ", ".join(METHODS) + "."),
        ({"seats": 0}, "Seats must be a whole number of at least 1, not 0."),
        ({"candidates": ["A", "A"]}, "Candidate 'A' is listed twice."),
        ({"candidates": ["A", " "]}, "Candidate names must be non-empty text, not ' '."),
        ({"candidates": []}, "There are no candidates."),
        ({"ballots": [Ballot(("A",)), Ballot(("Zed",))]}, "Ballot 2: 'Zed' is not one of the candidates."),
        ({"ballots": [Ballot(("A", "B", "A"))]}, "Ballot 1: 'A' appears twice."),
        ({"ballots": [Ballot(("A",), 0)]}, "Ballot 1: the weight must be a whole number of at least 1, not 0."),
        ({"ballots": []}, "There are no valid ballots to count."),
        ({"withdrawn": ["Q"]}, "Withdrawn candidate 'Q' is not one of the candidates."),
        ({"withdrawn": ["A", "B"]}, "Every candidate has withdrawn; there is no one to elect."),
        ({"method": "irv", "seats": 2}, "IRV elects one seat, not 2; use stv-scottish or stv-meek for several."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(kwargs: dict, message: str) -> None:
    arguments = {"method": "stv-scottish", "ballots": [Ballot(("A",))], "candidates": ["A", "B"], "seats": 1}
    arguments.update(kwargs)
    method = arguments.pop("method")
    with pytest.raises(CountingError) as caught:
        count(method, **arguments)
    assert caught.value.message == message


def test_an_exclusion_tie_is_broken_by_the_most_recent_round_where_the_candidates_differed() -> None:
    ballots = [Ballot(("A",), 6), Ballot(("B",), 3), Ballot(("C",), 4), Ballot(("D", "B"), 1)]
    result = count("irv", ballots, ["A", "B", "C", "D"], 1)
    second = result.rounds[1]
    assert dict(second.tallies) == {"A": 6, "B": 4, "C": 4}
    assert second.excluded == ("B",)
    assert second.notes == (
        {"kind": "tie", "purpose": "exclusion", "tied": ["B", "C"], "chosen": "B", "by": "earlier_round", "round": 1},
    )


@pytest.mark.parametrize("seed", ["first public draw", "second public draw", "x"])
def test_a_tie_no_round_resolves_is_drawn_by_the_documented_reproducible_lot(seed: str) -> None:
    ballots = [Ballot(("A",), 2), Ballot(("B",), 2), Ballot(("C",), 3)]
    result = count("irv", ballots, ["A", "B", "C"], 1, lot_seed=seed)
    drawn = lot_order(seed, ["A", "B"])[0]
    assert result.rounds[0].excluded == (drawn,)
    assert result.rounds[0].notes[0] == {
        "kind": "tie",
        "purpose": "exclusion",
        "tied": ["A", "B"],
        "chosen": drawn,
        "by": "lot",
        "drawn_from": ["A", "B"],
    }
    assert result.lot_seed == seed
    assert result.winners == ("C",)


def test_the_default_lot_seed_depends_on_the_ballots_not_on_their_order() -> None:
    ballots = [Ballot(("A",), 2), Ballot(("B",), 2), Ballot(("C", "A"), 3)]
    first = count("irv", ballots, ["A", "B", "C"], 1)
    assert first.lot_seed == count("irv", list(reversed(ballots)), ["A", "B", "C"], 1).lot_seed
    assert first.lot_seed != count("irv", [*ballots, Ballot(("C",))], ["A", "B", "C"], 1).lot_seed
    assert len(first.lot_seed) == 64


def test_approval_ties_at_the_last_seat_are_drawn_by_lot() -> None:
    ballots = [Ballot(("A", "B")), Ballot(("A", "C"))]
    result = count("approval", ballots, ["A", "B", "C"], 2, lot_seed="s")
    assert result.winners == ("A", lot_order("s", ["B", "C"])[0])
    assert {"kind": "tie", "purpose": "election", "tied": ["B", "C"], "by": "lot"}.items() <= result.rounds[0].notes[
        0
    ].items()


def test_schulze_orders_a_tied_place_by_lot_and_says_so() -> None:
    result = count("schulze", [Ballot(("A", "B")), Ballot(("B", "A"))], ["A", "B"], 1, lot_seed="s")
    assert result.rounds[0].detail["places"] == [lot_order("s", ["A", "B"])]
    assert result.rounds[0].notes[0]["purpose"] == "ranking"


def test_scottish_stv_transfers_the_largest_surplus_first() -> None:
    ballots = [Ballot(("A", "C"), 9), Ballot(("B", "D"), 7), Ballot(("C",), 1), Ballot(("D",), 1)]
    result = count("stv-scottish", ballots, ["A", "B", "C", "D"], 3)
    assert result.rounds[0].elected == ("A", "B")
    assert [r.transfer.source for r in result.rounds if r.transfer and r.transfer.kind == "surplus"][:2] == ["A", "B"]


def test_scottish_stv_transfers_no_surplus_once_the_candidates_left_fit_the_seats() -> None:
    result = count("stv-scottish", [Ballot(("A", "B"), 10), Ballot(("B",), 1)], ["A", "B"], 2)
    assert result.winners == ("A", "B")
    assert len(result.rounds) == 1 and result.rounds[0].transfer is None
    assert result.rounds[0].notes == ({"kind": "last_vacancies", "elected": ["B"]},)


def test_meek_elects_the_remaining_candidates_when_they_fit_the_seats() -> None:
    result = count("stv-meek", [Ballot(("A",), 3), Ballot(("B",), 1)], ["A", "B"], 2)
    assert result.winners == ("A", "B")
    assert result.rounds[-1].notes[-1] == {"kind": "last_vacancies", "elected": ["A", "B"]}


@pytest.mark.parametrize("method", METHODS)
def test_every_result_serialises_to_json_with_exact_values_as_text(method: str) -> None:
    ballots = [Ballot(("A", "B", "C"), 5), Ballot(("B", "C"), 4), Ballot(("C", "A"), 3)]
    seats = 1 if method == "irv" else 2
    data = json.loads(json.dumps(count(method, ballots, ["A", "B", "C"], seats).to_dict()))
    assert list(data)[:2] == ["winners", "rounds"]
    assert len(data["winners"]) == seats
    assert "E-" not in json.dumps(data)
    assert all(isinstance(value, int | str) for round_ in data["rounds"] for value in round_["tallies"].values())

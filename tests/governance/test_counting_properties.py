"""Properties every count must keep, whatever the ballots (hypothesis)."""

import random
from collections import Counter
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from governance.counting import METHODS, Ballot, Election, count, read_blt, write_blt

POOL = ("Ann", "Bo", "Cy", "Di", "Ed", "Flo")
RANKED = ("irv", "stv-scottish", "stv-meek", "schulze")


@st.composite
def elections(draw: st.DrawFn, min_candidates: int = 2) -> tuple[tuple[str, ...], list[Ballot]]:
    size = draw(st.integers(min_value=min_candidates, max_value=len(POOL)))
    candidates = POOL[:size]
    ballot = st.builds(
        lambda order, length, weight: Ballot(tuple(order[:length]), weight),
        st.permutations(candidates),
        st.integers(min_value=1, max_value=size),
        st.integers(min_value=1, max_value=4),
    )
    return candidates, draw(st.lists(ballot, min_size=1, max_size=25))


def first_choices(ballots: list[Ballot]) -> Counter[str]:
    tally: Counter[str] = Counter()
    for ballot in ballots:
        tally[ballot.ranking[0]] += ballot.weight
    return tally


@settings(deadline=None)
@given(elections(), st.data())
def test_a_candidate_ranked_first_by_a_majority_wins_irv(election: tuple, data: st.DataObject) -> None:
    candidates, ballots = election
    favourite = data.draw(st.sampled_from(candidates))
    others = [name for name in candidates if name != favourite]
    total = sum(ballot.weight for ballot in ballots)
    ballots = [*ballots, Ballot((favourite, *others[:1]), total + 1)]
    assert count("irv", ballots, candidates, 1).winners == (favourite,)


@settings(deadline=None)
@given(elections(), st.integers(min_value=1, max_value=4), st.sampled_from(("stv-scottish", "stv-meek")))
def test_stv_fills_every_seat_it_has_candidates_for(election: tuple, seats: int, method: str) -> None:
    candidates, ballots = election
    result = count(method, ballots, candidates, seats)
    assert len(result.winners) == min(seats, len(candidates))
    assert len(set(result.winners)) == len(result.winners)


@settings(deadline=None)
@given(elections())
def test_schulze_elects_the_condorcet_winner_when_there_is_one(election: tuple) -> None:
    candidates, ballots = election

    def prefers(a: str, b: str) -> int:
        total = 0
        for ballot in ballots:
            rank = {name: place for place, name in enumerate(ballot.ranking)}
            if a in rank and (b not in rank or rank[a] < rank[b]):
                total += ballot.weight
        return total

    condorcet = [a for a in candidates if all(prefers(a, b) > prefers(b, a) for b in candidates if b != a)]
    result = count("schulze", ballots, candidates, 1)
    if condorcet:
        assert result.winners == (condorcet[0],)


@settings(deadline=None)
@given(elections(), st.randoms(use_true_random=False), st.sampled_from(METHODS), st.integers(1, 3))
def test_the_order_of_the_ballots_never_changes_the_count(
    election: tuple, rng: random.Random, method: str, seats: int
) -> None:
    candidates, ballots = election
    seats = 1 if method == "irv" else seats
    shuffled = list(ballots)
    rng.shuffle(shuffled)
    assert count(method, shuffled, candidates, seats).to_dict() == count(method, ballots, candidates, seats).to_dict()


@settings(deadline=None)
@given(elections(), st.sampled_from(METHODS))
def test_a_ballot_of_weight_n_counts_as_n_single_ballots(election: tuple, method: str) -> None:
    candidates, ballots = election
    singles = [Ballot(ballot.ranking) for ballot in ballots for _ in range(ballot.weight)]
    seats = 1 if method == "irv" else 2
    assert count(method, singles, candidates, seats).to_dict() == count(method, ballots, candidates, seats).to_dict()


@settings(deadline=None)
@given(elections())
def test_irv_and_one_seat_scottish_stv_elect_the_same_candidate(election: tuple) -> None:
    candidates, ballots = election
    assert count("irv", ballots, candidates, 1).winners == count("stv-scottish", ballots, candidates, 1).winners


@settings(deadline=None)
@given(elections(), st.integers(min_value=1, max_value=3))
def test_scottish_stv_accounts_for_every_vote_at_every_round(election: tuple, seats: int) -> None:
    candidates, ballots = election
    result = count("stv-scottish", ballots, candidates, seats)
    total = Decimal(sum(ballot.weight for ballot in ballots))
    for round_ in result.rounds:
        held = sum(round_.tallies.values(), Decimal(0))
        assert held + round_.non_transferable + round_.detail["rounding_loss"] == total
        if round_.transfer is not None and round_.transfer.kind == "surplus":
            assert Decimal(0) <= round_.transfer.rounding_loss


@settings(deadline=None)
@given(elections(), st.integers(min_value=1, max_value=3))
def test_approval_winners_have_at_least_as_many_approvals_as_every_loser(election: tuple, seats: int) -> None:
    candidates, ballots = election
    result = count("approval", ballots, candidates, seats)
    tallies = result.rounds[0].tallies
    losers = [name for name in candidates if name not in result.winners]
    assert len(result.winners) == min(seats, len(candidates))
    assert all(tallies[w] >= tallies[loser] for w in result.winners for loser in losers)


@settings(deadline=None)
@given(elections(min_candidates=3), st.sampled_from(RANKED), st.data())
def test_a_withdrawn_candidate_is_counted_as_if_never_ranked(election: tuple, method: str, data: st.DataObject) -> None:
    candidates, ballots = election
    gone = data.draw(st.sampled_from(candidates))
    kept = tuple(name for name in candidates if name != gone)
    stripped = [Ballot(tuple(n for n in b.ranking if n != gone), b.weight) for b in ballots]
    stripped = [ballot for ballot in stripped if ballot.ranking]
    if not stripped:
        return
    seats = 1 if method == "irv" else 2
    withdrawn = count(method, ballots, candidates, seats, withdrawn=[gone], lot_seed="s")
    assert gone not in withdrawn.winners
    assert withdrawn.winners == count(method, stripped, kept, seats, lot_seed="s").winners


@settings(deadline=None)
@given(elections(), st.integers(min_value=1, max_value=3), st.booleans())
def test_writing_then_reading_a_blt_file_gives_back_the_election(election: tuple, seats: int, aggregate: bool) -> None:
    candidates, ballots = election
    original = Election(candidates=candidates, seats=seats, ballots=tuple(ballots), title='Board "2026" #1')
    again = read_blt(write_blt(original, aggregate=aggregate))
    assert (again.candidates, again.seats, again.title) == (candidates, seats, original.title)
    if aggregate:
        assert _weights(again.ballots) == _weights(original.ballots)
    else:
        assert again.ballots == original.ballots


def _weights(ballots: tuple[Ballot, ...]) -> Counter[tuple[str, ...]]:
    totals: Counter[tuple[str, ...]] = Counter()
    for ballot in ballots:
        totals[ballot.ranking] += ballot.weight
    return totals

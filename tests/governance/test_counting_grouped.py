"""Counting from grouped ballots: the database groups identical rankings, the engine checks and groups
what it is given in one pass and counts each shared start of a ranking once, and none of it changes
a result, an error message or the lot's seed."""

import hashlib
import json
import random
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.counting import METHODS, Ballot, CountingError, count
from governance.counting.meek import UNIT, _MeekCount
from governance.counting.papers import first_preferences, move
from governance.counting.prepare import prepare
from governance.models import Ballot as BallotModel
from governance.models import BallotPaper
from governance.services.ballots import ballot_open
from governance.services.elections import (
    candidate_label,
    candidate_nominate,
    election_create,
    election_rankings,
    election_vote_cast,
)


def documented_seed(candidates: list[str], seats: int, withdrawn: list[str], ballots: list[Ballot]) -> str:
    """The seed as prepare._default_seed's docstring defines it, written the plain way."""
    grouped: dict[tuple[str, ...], int] = {}
    for ballot in ballots:
        grouped[ballot.ranking] = grouped.get(ballot.ranking, 0) + ballot.weight
    canonical = [candidates, seats, sorted(withdrawn), [[list(r), w] for r, w in sorted(grouped.items())]]
    return hashlib.sha256(json.dumps(canonical, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()


@pytest.mark.parametrize(
    ("candidates", "withdrawn"),
    [
        (["A", "B", "C", "D"], []),  # names in alphabetical order: one sort serves counting and seed
        (["#9", "#10", "#11", "#12"], []),  # ids whose text order is not their order
        (["Zoë", 'Ann "the chair"', "Bo, Jr. [2]", "Émile"], []),  # JSON escapes, non-ASCII, brackets
        (["A", "B", "C", "D"], ["C"]),
    ],
)
@pytest.mark.parametrize("method", ["irv", "stv-meek", "approval"])
def test_the_default_seed_is_the_sha256_of_the_documented_canonical_json(
    candidates: list[str], withdrawn: list[str], method: str
) -> None:
    rng = random.Random(18)
    ballots = [Ballot(tuple(rng.sample(candidates, rng.randint(1, 4))), rng.randint(1, 3)) for _ in range(60)]
    if method == "approval":
        ballots.append(Ballot((), 2))
    result = count(method, ballots, candidates, 1, withdrawn=withdrawn)
    assert result.lot_seed == documented_seed(candidates, 1, withdrawn, ballots)


@pytest.mark.parametrize(
    ("ballots", "message"),
    [
        ([Ballot(("A",)), Ballot(("A",), 0), Ballot(("Zed",))], "Ballot 2: the weight must be a whole number"),
        ([Ballot(("A",)), Ballot(("Zed",)), Ballot(("A",), 0)], "Ballot 2: 'Zed' is not one of the candidates."),
        ([Ballot(("A", "B")), Ballot(("B", "B")), Ballot(("Zed",))], "Ballot 2: 'B' appears twice."),
        ([Ballot(("A",)), Ballot(("A",), 2.0)], "Ballot 2: the weight must be a whole number"),
        ([Ballot(("A",)), Ballot(("A",), True)], "Ballot 2: the weight must be a whole number"),
    ],
)
def test_of_several_bad_ballots_the_first_is_named(ballots: list[Ballot], message: str) -> None:
    """Rankings are checked once per distinct ranking, but the error still names the first bad ballot."""
    with pytest.raises(CountingError) as caught:
        count("stv-scottish", ballots, ["A", "B"], 1)
    assert caught.value.message.startswith(message)


rankings = st.lists(
    st.permutations(range(6)).flatmap(lambda order: st.integers(1, 6).map(lambda n: tuple(order[:n]))),
    min_size=1,
    max_size=150,
)


def prepared(groups: list[tuple[int, ...]], seats: int = 2) -> Any:
    names = [f"C{i}" for i in range(6)]
    ballots = [Ballot(tuple(names[c] for c in ranking), 1 + i % 3) for i, ranking in enumerate(groups)]
    return prepare(ballots=ballots, candidates=names, seats=seats)


@settings(deadline=None, max_examples=150)
@given(rankings, st.lists(st.integers(0, 3 * UNIT // 2), min_size=6, max_size=6))
def test_meek_shares_out_each_ballot_as_the_rule_says(groups: list[tuple[int, ...]], keep: list[int]) -> None:
    """Step 1 of Meek's rule, done per prefix node, gives what it gives ballot by ballot."""
    count_ = _MeekCount(prepared(groups))
    count_.keep = keep
    count_._distribute()
    votes, residual = [0] * 6, 0
    for ranking, weight in count_.p.groups:
        remaining = UNIT
        for c in ranking:
            if keep[c] == 0:
                continue
            kept = -(-remaining * keep[c] // UNIT)
            votes[c] += kept * weight
            remaining -= kept
            if remaining <= 0:
                break
        residual += max(remaining, 0) * weight
    assert (count_.votes, count_.residual) == (votes, residual)


@settings(deadline=None, max_examples=150)
@given(rankings, st.lists(st.booleans(), min_size=6, max_size=6), st.integers(0, 5))
def test_papers_move_to_each_ballots_next_continuing_preference(
    groups: list[tuple[int, ...]], continuing: list[bool], holder: int
) -> None:
    """Moving a parcel of papers per prefix node gives what moving each ballot on its own gives."""
    p = prepared(groups)
    piles = first_preferences(p.prefixes, 6, 10)
    continuing[holder] = False
    received, non_transferable, values = move(p.prefixes, piles[holder], piles, continuing, {10: 3})
    expected: dict[int, int] = {}
    expected_non_transferable = 0
    for ranking, weight in p.groups:
        if ranking[0] != holder:
            continue
        later = [c for c in ranking[1:] if continuing[c]]
        if later:
            expected[later[0]] = expected.get(later[0], 0) + 3 * weight
        else:
            expected_non_transferable += 3 * weight
    assert received == expected
    assert non_transferable == expected_non_transferable
    assert values == ({3} if expected else set())
    assert sum(parcel[3] * parcel[4] for c in range(6) if c != holder for parcel in piles[c]) == sum(
        weight * 10 for ranking, weight in p.groups if ranking[0] != holder
    ) + sum(expected.values())


@pytest.mark.django_db
def test_the_database_groups_identical_rankings_and_the_count_is_that_of_every_paper(
    staff: Any, members: list[Any], django_assert_num_queries: Any
) -> None:
    election = election_create(title="Board", seats=2, method="stv-scottish", actor=staff)
    a, b, c = (candidate_nominate(election_id=election.pk, actor=m.user, statement="Me") for m in members[:3])
    now = timezone.now()
    BallotModel.objects.filter(pk=election.ballot_id).update(
        opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=1)
    )
    ballot_open(ballot_id=election.ballot_id)
    # More papers than the five members cast, as a large electorate would have.
    for ranking in [[c.pk, a.pk]] * 3 + [[b.pk, c.pk, a.pk]] * 2:
        BallotPaper.objects.create(
            ballot_id=election.ballot_id, ranking=ranking, member_class_slug="worker", cast_on=now.date()
        )
    cast = [[a.pk, b.pk], [b.pk], [a.pk, b.pk], [c.pk, a.pk], [a.pk, b.pk]]
    for member, ranking in zip(members[:4], cast, strict=False):
        election_vote_cast(election_id=election.pk, actor=member.user, ranking=ranking)
    election.refresh_from_db()
    with django_assert_num_queries(1):
        grouped = election_rankings(election)
    assert sorted(grouped) == sorted([([a.pk, b.pk], 2), ([b.pk], 1), ([c.pk, a.pk], 4), ([b.pk, c.pk, a.pk], 2)])

    # The last vote completes the roll, which closes the ballot and counts it.
    election_vote_cast(election_id=election.pk, actor=members[4].user, ranking=cast[4])
    election.refresh_from_db()
    recorded = election.ballot.result.details["election"]
    label = {pk: candidate_label(candidate) for pk, candidate in ((x.pk, x) for x in (a, b, c))}
    one_by_one = [
        Ballot(tuple(label[pk] for pk in paper.ranking))
        for paper in BallotPaper.objects.filter(ballot_id=election.ballot_id)
    ]
    assert recorded == count("stv-scottish", one_by_one, [label[x.pk] for x in (a, b, c)], 2).to_dict()
    assert recorded["valid_ballots"] == 10
    assert election.status == election.Status.COUNTED


@pytest.mark.parametrize("method", METHODS)
def test_ballots_given_grouped_or_one_by_one_count_the_same(method: str) -> None:
    rng = random.Random(6)
    names = [f"Candidate {letter}" for letter in "ABCDEFG"]
    singles = [Ballot(tuple(rng.sample(names, rng.randint(1, 4)))) for _ in range(400)]
    grouped: dict[tuple[str, ...], int] = {}
    for ballot in singles:
        grouped[ballot.ranking] = grouped.get(ballot.ranking, 0) + 1
    seats = 1 if method == "irv" else 3
    assert (
        count(method, singles, names, seats).to_dict()
        == count(method, [Ballot(r, w) for r, w in grouped.items()], names, seats).to_dict()
    )

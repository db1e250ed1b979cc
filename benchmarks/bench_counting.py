"""Time the counting engine on 10,000 random ranked ballots over 10 candidates, beside pyrankvote.

Run from the repository root: `python -m benchmarks.bench_counting [--ballots N] [--repeat R]`.
Pure Python: no database and no Django settings needed. Ballots come from a seeded Plackett-Luce
model (candidates have unequal popularity, voters rank between 1 and 10 of them), so every run
counts the same election.

The comparison (issue 18: each of our methods within 1x of pyrankvote's time on the same ballots)
runs pyrankvote 2.0.6 (requirements-dev.txt) on the same rankings, interleaved with ours so both
see the same load, and prints the ratio of the best times and of the medians. Like with like as
far as the two allow:

- IRV against pyrankvote's instant_runoff_voting: the same rule (exclude the fewest, transfer, stop
  at a majority of the continuing votes); only ties are broken differently (we look back at earlier
  rounds, then draw a reproducible lot; pyrankvote compares later preferences, then draws randomly).
- Scottish STV and Meek STV against pyrankvote's single_transferable_vote, the nearest it has: a
  Droop quota in floats (votes/(seats+1), no +1), every surplus shared over all the elected
  candidate's papers at one fractional value, several eliminations at once. Ours are exact (five and
  nine decimal places in whole numbers), record every round's transfers, values and rounding, and
  Meek recomputes every ballot's share until the surpluses settle. Different rules: the ratio says
  what an exact, fully recorded count costs beside a common Python STV.

Our times include everything `count()` does: checking every ballot, grouping them, and the lot's
default seed (the SHA-256 of the sorted ballots); pyrankvote's main figure is its count alone, from
ballots already built as its own objects. Building those objects (which is where pyrankvote checks
its input) is timed on its own line and added in the last column.
"""

import argparse
import random
import statistics
import time
from collections.abc import Callable
from importlib.metadata import version
from typing import Any

from benchmarks._common import load_average, timed
from governance.counting import Ballot, Election, count, read_blt, write_blt

CANDIDATES = tuple(f"Candidate {letter}" for letter in "ABCDEFGHIJ")


def random_ballots(number: int, seed: int = 2026) -> list[Ballot]:
    rng = random.Random(seed)
    popularity = [rng.uniform(0.5, 3.0) for _ in CANDIDATES]
    ballots = []
    for _ in range(number):
        remaining = list(range(len(CANDIDATES)))
        weights = list(popularity)
        ranking = []
        for _ in range(rng.randint(1, len(CANDIDATES))):
            choice = rng.choices(range(len(remaining)), weights=weights)[0]
            ranking.append(CANDIDATES[remaining.pop(choice)])
            weights.pop(choice)
        ballots.append(Ballot(tuple(ranking)))
    return ballots


def interleaved(repeat: int, works: dict[str, Callable[[], object]]) -> dict[str, list[float]]:
    """Run each work once per round, in turn, `repeat` rounds (after one warm-up round)."""
    times: dict[str, list[float]] = {name: [] for name in works}
    for round_ in range(repeat + 1):
        for name, work in works.items():
            start = time.perf_counter()
            work()
            if round_:
                times[name].append(time.perf_counter() - start)
    return times


def compare(ballots: list[Ballot], repeat: int) -> None:
    try:
        import pyrankvote  # type: ignore[import-untyped]
    except ImportError:
        print("\npyrankvote is not installed (pip install -r requirements-dev.txt): no comparison.")
        return
    people = {name: pyrankvote.Candidate(name) for name in CANDIDATES}
    standing = list(people.values())

    def build() -> list[Any]:
        return [pyrankvote.Ballot(ranked_candidates=[people[name] for name in b.ranking]) for b in ballots]

    theirs = build()
    works: dict[str, Callable[[], object]] = {
        "irv": lambda: count("irv", ballots, CANDIDATES, 1),
        "stv-scottish": lambda: count("stv-scottish", ballots, CANDIDATES, 3),
        "stv-meek": lambda: count("stv-meek", ballots, CANDIDATES, 3),
        "pyrankvote irv": lambda: pyrankvote.instant_runoff_voting(standing, theirs),
        "pyrankvote stv": lambda: pyrankvote.single_transferable_vote(standing, theirs, 3),
        "pyrankvote ballots": build,
    }
    print(f"\nBeside pyrankvote {version('pyrankvote')}, {repeat} interleaved rounds; {load_average()}")
    times = interleaved(repeat, works)
    best = {name: min(values) for name, values in times.items()}
    median = {name: statistics.median(values) for name, values in times.items()}
    print(
        f"{'':<40}{'ours best':>10}{'theirs best':>12}{'ratio':>7}{'ours med':>10}{'theirs med':>11}{'ratio':>7}"
        f"{'ratio with their ballots built':>32}"
    )
    for ours, theirs_name, label in (
        ("irv", "pyrankvote irv", "IRV vs pyrankvote IRV (same rule)"),
        ("stv-scottish", "pyrankvote stv", "Scottish STV, 3 seats vs pyrankvote STV"),
        ("stv-meek", "pyrankvote stv", "Meek STV, 3 seats vs pyrankvote STV"),
    ):
        print(
            f"{label:<40}{best[ours] * 1000:>8.1f}ms{best[theirs_name] * 1000:>10.1f}ms"
            f"{best[ours] / best[theirs_name]:>6.2f}x"
            f"{median[ours] * 1000:>8.1f}ms{median[theirs_name] * 1000:>9.1f}ms"
            f"{median[ours] / median[theirs_name]:>6.2f}x"
            f"{median[ours] / (median[theirs_name] + median['pyrankvote ballots']):>31.2f}x"
        )
    print(
        f"pyrankvote building its 10,000 ballot objects (its input checks): best "
        f"{best['pyrankvote ballots'] * 1000:.1f} ms, median {median['pyrankvote ballots'] * 1000:.1f} ms"
    )
    ours_irv = count("irv", ballots, CANDIDATES, 1).winners
    their_irv = tuple(str(c) for c in pyrankvote.instant_runoff_voting(standing, theirs).get_winners())
    their_stv = ", ".join(str(c) for c in pyrankvote.single_transferable_vote(standing, theirs, 3).get_winners())
    agree = "same" if ours_irv == their_irv else "DIFFERENT"
    print(f"IRV winner: ours {ours_irv[0]}, pyrankvote {their_irv[0]} ({agree})")
    print(f"pyrankvote STV winners: {their_stv}")
    print(f"({load_average()} after)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=9)
    options = parser.parse_args()
    ballots = random_ballots(options.ballots)
    distinct = len({ballot.ranking for ballot in ballots})
    print(
        f"{len(ballots)} ballots ({distinct} distinct rankings), {len(CANDIDATES)} candidates, "
        f"best and median of {options.repeat} runs; {load_average()}\n"
    )

    scottish = timed("Scottish STV, 3 seats", options.repeat, lambda: count("stv-scottish", ballots, CANDIDATES, 3))
    irv = timed("IRV, 1 seat", options.repeat, lambda: count("irv", ballots, CANDIDATES, 1))
    meek = timed("Meek STV, 3 seats", options.repeat, lambda: count("stv-meek", ballots, CANDIDATES, 3))
    schulze = timed("Schulze, ranking", options.repeat, lambda: count("schulze", ballots, CANDIDATES, 1))
    approval = timed(
        "Approval, 3 seats (rankings read as sets)", options.repeat, lambda: count("approval", ballots, CANDIDATES, 3)
    )
    grouped: dict[tuple[str, ...], int] = {}
    for ballot in ballots:
        grouped[ballot.ranking] = grouped.get(ballot.ranking, 0) + 1
    as_stored = [Ballot(ranking, weight) for ranking, weight in grouped.items()]
    timed(
        "Scottish STV, one ballot per distinct ranking",
        options.repeat,
        lambda: count("stv-scottish", as_stored, CANDIDATES, 3),
    )
    election = Election(candidates=CANDIDATES, seats=3, ballots=tuple(ballots), title="Benchmark")
    text = timed("BLT export (aggregated)", options.repeat, lambda: write_blt(election))
    timed("BLT import", options.repeat, lambda: read_blt(text))

    print()
    for name, result in (
        ("Scottish STV", scottish),
        ("IRV", irv),
        ("Meek STV", meek),
        ("Schulze", schulze),
        ("Approval", approval),
    ):
        print(f"{name:<13} winners: {', '.join(result.winners)} ({len(result.rounds)} rounds)")

    compare(ballots, options.repeat)


if __name__ == "__main__":
    main()

"""Time the counting engine on 10,000 random ranked ballots over 10 candidates.

Run from the repository root: `python -m benchmarks.bench_counting [--ballots N] [--repeat R]`.
Pure Python: no database and no Django settings needed. Ballots come from a seeded Plackett-Luce
model (candidates have unequal popularity, voters rank between 1 and 10 of them), so every run
counts the same election.
"""

import argparse
import random
import statistics
import time
from collections.abc import Callable
from typing import TypeVar

from governance.counting import Ballot, Election, count, read_blt, write_blt

T = TypeVar("T")
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


def timed(label: str, repeat: int, work: Callable[[], T]) -> T:
    times = []
    for _ in range(max(repeat, 1)):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    print(f"{label:<44} best {min(times) * 1000:9.1f} ms   median {statistics.median(times) * 1000:9.1f} ms")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    ballots = random_ballots(options.ballots)
    print(f"{len(ballots)} ballots, {len(CANDIDATES)} candidates, best and median of {options.repeat} runs\n")

    scottish = timed("Scottish STV, 3 seats", options.repeat, lambda: count("stv-scottish", ballots, CANDIDATES, 3))
    irv = timed("IRV, 1 seat", options.repeat, lambda: count("irv", ballots, CANDIDATES, 1))
    meek = timed("Meek STV, 3 seats", options.repeat, lambda: count("stv-meek", ballots, CANDIDATES, 3))
    schulze = timed("Schulze, ranking", options.repeat, lambda: count("schulze", ballots, CANDIDATES, 1))
    approval = timed(
        "Approval, 3 seats (rankings read as sets)", options.repeat, lambda: count("approval", ballots, CANDIDATES, 3)
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


if __name__ == "__main__":
    main()

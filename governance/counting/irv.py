"""Instant-runoff voting for one seat, in whole votes.

Each round, a candidate holding more than half of the votes still in play (ballots not yet
exhausted) is elected. Otherwise the candidate with the fewest votes is excluded and each of their
ballots goes to its next continuing preference. When one candidate is left, they are elected.
Ties for exclusion are broken as in Scottish STV: look back at earlier rounds, then lot.
"""

from governance.counting.papers import first_preferences, move
from governance.counting.prepare import Prepared
from governance.counting.types import CountingError, CountResult, Note, Round, RoundDetail, Transfer


def count_irv(p: Prepared) -> CountResult:
    if p.seats != 1:
        raise CountingError(
            f"IRV elects one seat, not {p.seats}; use stv-scottish or stv-meek for several.", code="bad_seats"
        )
    n = len(p.names)
    tree = p.prefixes
    piles = first_preferences(tree, n, 1)
    totals = [sum(parcel[3] * parcel[4] for parcel in pile) for pile in piles]
    continuing = [True] * n
    exhausted = 0
    history: list[dict[int, int]] = []
    rounds: list[Round] = []
    winner = -1
    while winner < 0:
        votes = {c: totals[c] for c in range(n) if continuing[c]}
        notes: list[Note] = []
        in_play = sum(votes.values())
        leader = max(votes, key=lambda c: votes[c])
        tallies = {p.names[c]: v for c, v in votes.items()}
        detail: RoundDetail = {"majority": in_play // 2 + 1}
        if len(votes) == 1 or votes[leader] * 2 > in_play:
            winner = leader
            if len(votes) == 1:
                notes.append({"kind": "last_remaining", "elected": [p.names[winner]]})
            rounds.append(
                Round(
                    number=len(rounds) + 1,
                    tallies=tallies,
                    elected=(p.names[winner],),
                    non_transferable=exhausted,
                    notes=tuple(notes),
                    detail=detail,
                )
            )
            break
        low = min(votes.values())
        tied = [c for c in votes if votes[c] == low]
        loser = p.ties.pick(tied, history, lowest=True, purpose="exclusion", notes=notes)
        continuing[loser] = False
        received, non_transferable, _ = move(tree, piles[loser], piles, continuing)
        piles[loser] = []
        totals[loser] = 0
        for c, value in received.items():
            totals[c] += value
        rounds.append(
            Round(
                number=len(rounds) + 1,
                tallies=tallies,
                excluded=(p.names[loser],),
                transfer=Transfer(
                    source=p.names[loser],
                    kind="exclusion",
                    received={p.names[c]: received.get(c, 0) for c in range(n) if continuing[c]},
                    non_transferable=non_transferable,
                    rounding_loss=0,
                ),
                non_transferable=exhausted,
                notes=tuple(notes),
                detail=detail,
            )
        )
        exhausted += non_transferable
        history.append(votes)
    return CountResult(
        method="irv",
        seats=1,
        candidates=p.names,
        winners=(p.names[winner],),
        rounds=tuple(rounds),
        quota=None,
        final_tallies=dict(rounds[-1].tallies),
        valid_ballots=p.total,
        withdrawn=p.withdrawn,
        lot_seed=p.ties.seed,
    )

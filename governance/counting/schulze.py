"""The Schulze method (M. Schulze, Social Choice and Welfare 36(2), 2011), winning votes.

d[a][b] is the number of voters who rank a above b; a voter who ranks a and leaves b unranked
ranks a above b; unranked candidates are equal to one another. A link a->b has strength d[a][b] when
d[a][b] > d[b][a], else 0, and p[a][b] is the strength of the strongest path (the widest path, found
with Floyd-Warshall). a beats b when p[a][b] > p[b][a]; that relation is transitive, so the ranking
takes, again and again, the candidates no remaining candidate beats. Candidates tied at the same
place are ordered by lot (see ties.py). Winners are the top `seats` of the ranking: this ranks
candidates, it is not a proportional method.

The single round's tallies give, per candidate, how many others it beats.
"""

from governance.counting.prepare import Prepared
from governance.counting.types import CountResult, Note, Round


def count_schulze(p: Prepared) -> CountResult:
    n = len(p.names)
    names = p.names
    d = [[0] * n for _ in range(n)]
    everyone = set(range(n))
    for ranking, weight in p.groups:
        unranked = everyone.difference(ranking)
        for place, a in enumerate(ranking):
            row = d[a]
            for b in ranking[place + 1 :]:
                row[b] += weight
            for b in unranked:
                row[b] += weight
    strength = [[d[a][b] if a != b and d[a][b] > d[b][a] else 0 for b in range(n)] for a in range(n)]
    for i in range(n):
        for j in range(n):
            if j == i:
                continue
            through = strength[j][i]
            if through == 0:
                continue
            row_j, row_i = strength[j], strength[i]
            for k in range(n):
                if k not in (i, j):
                    candidate_path = min(through, row_i[k])
                    if candidate_path > row_j[k]:
                        row_j[k] = candidate_path

    def beats(a: int, b: int) -> bool:
        return strength[a][b] > strength[b][a]

    notes: list[Note] = []
    ranked: list[int] = []
    places: list[list[str]] = []
    remaining = list(range(n))
    while remaining:
        unbeaten = [a for a in remaining if not any(beats(b, a) for b in remaining if b != a)]
        ordered = p.ties.draw(unbeaten) if len(unbeaten) > 1 else unbeaten
        if len(unbeaten) > 1:
            notes.append(
                {
                    "kind": "tie",
                    "purpose": "ranking",
                    "tied": [names[c] for c in sorted(unbeaten)],
                    "chosen": names[ordered[0]],
                    "by": "lot",
                    "drawn_from": [names[c] for c in sorted(unbeaten)],
                    "order": [names[c] for c in ordered],
                }
            )
        places.append([names[c] for c in ordered])
        ranked.extend(ordered)
        remaining = [c for c in remaining if c not in unbeaten]
    winners = tuple(names[c] for c in ranked[: p.seats])
    wins = {names[a]: sum(1 for b in range(n) if b != a and beats(a, b)) for a in range(n)}
    round_ = Round(
        number=1,
        tallies=wins,
        elected=winners,
        notes=tuple(notes),
        detail={
            "pairwise": {names[a]: {names[b]: d[a][b] for b in range(n) if b != a} for a in range(n)},
            "strongest_paths": {names[a]: {names[b]: strength[a][b] for b in range(n) if b != a} for a in range(n)},
            "ranking": [names[c] for c in ranked],
            "places": places,
        },
    )
    return CountResult(
        method="schulze",
        seats=p.seats,
        candidates=names,
        winners=winners,
        rounds=(round_,),
        quota=None,
        final_tallies=wins,
        valid_ballots=p.total,
        withdrawn=p.withdrawn,
        lot_seed=p.ties.seed,
    )

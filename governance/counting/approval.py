"""Approval voting for N seats: each ballot approves a set of candidates; the N most approved win.

A ballot's ranking is read as a set (order ignored). Winners are listed by approvals, highest first;
equal approvals are ordered by lot (see ties.py), and a note records every such draw.
"""

from governance.counting.prepare import Prepared
from governance.counting.types import CountResult, Note, Round


def count_approval(p: Prepared) -> CountResult:
    names = p.names
    approvals = dict.fromkeys(range(len(names)), 0)
    for ranking, weight in p.groups:
        for c in ranking:
            approvals[c] += weight
    notes: list[Note] = []
    order = p.ties.order(list(approvals), approvals, (), purpose="election", notes=notes)
    winners = tuple(names[c] for c in order[: p.seats])
    tallies = {names[c]: approvals[c] for c in order}
    round_ = Round(
        number=1,
        tallies=tallies,
        elected=winners,
        notes=tuple(notes),
        detail={"ranking": [names[c] for c in order]},
    )
    return CountResult(
        method="approval",
        seats=p.seats,
        candidates=names,
        winners=winners,
        rounds=(round_,),
        quota=None,
        final_tallies=tallies,
        valid_ballots=p.total,
        withdrawn=p.withdrawn,
        lot_seed=p.ties.seed,
    )

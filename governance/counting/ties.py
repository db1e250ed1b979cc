"""Breaking ties: first by looking back at earlier rounds, then by a reproducible lot.

Look-back (SSI 2007/42 rules 49(2) and 51(2)): among the tied candidates, find the most recent
preceding round at which they had unequal votes and keep only those with the highest (or, for
exclusion, lowest) votes there; if more than one is left, keep looking further back with that
smaller group.

Lot (rules 49(3) and 51(2)(b)): the returning officer draws lots. Here the draw is deterministic so
that anyone can recount and get the same answer: each tied candidate's ticket is
SHA-256("<seed>" + "\\x1f" + name) in hex, and the lowest ticket is drawn. The seed defaults to the
SHA-256 of the election's canonical data (see prepare._default_seed), so the draw cannot be known
before the ballots are, and is the same for everyone who has them. Pass your own seed (for example
one drawn in public at the close of the poll) to count() to override it.
"""

import hashlib
from collections.abc import Mapping, Sequence

from governance.counting.types import Note, TiePurpose


class TieBreaker:
    def __init__(self, names: Sequence[str], seed: str) -> None:
        self.names = tuple(names)
        self.seed = seed

    def ticket(self, candidate: int) -> str:
        return hashlib.sha256(f"{self.seed}\x1f{self.names[candidate]}".encode()).hexdigest()

    def draw(self, tied: Sequence[int]) -> list[int]:
        """Return the tied candidates in the order the lot draws them."""
        return sorted(tied, key=self.ticket)

    def pick(
        self,
        tied: Sequence[int],
        history: Sequence[Mapping[int, int]],
        *,
        lowest: bool,
        purpose: TiePurpose,
        notes: list[Note],
    ) -> int:
        """Choose one of `tied`: look back through `history` (oldest first), then draw lots.

        A note is appended to `notes` whenever a choice had to be made.
        """
        group = list(tied)
        if len(group) == 1:
            return group[0]
        tied_names = [self.names[c] for c in sorted(group)]
        for back, tallies in enumerate(reversed(history), start=1):
            values = {c: tallies.get(c, 0) for c in group}
            if len(set(values.values())) == 1:
                continue
            extreme = min(values.values()) if lowest else max(values.values())
            group = [c for c in group if values[c] == extreme]
            if len(group) == 1:
                notes.append(
                    {
                        "kind": "tie",
                        "purpose": purpose,
                        "tied": tied_names,
                        "chosen": self.names[group[0]],
                        "by": "earlier_round",
                        "round": len(history) - back + 1,
                    }
                )
                return group[0]
        chosen = self.draw(group)[0]
        notes.append(
            {
                "kind": "tie",
                "purpose": purpose,
                "tied": tied_names,
                "chosen": self.names[chosen],
                "by": "lot",
                "drawn_from": [self.names[c] for c in sorted(group)],
            }
        )
        return chosen

    def order(
        self,
        candidates: Sequence[int],
        votes: Mapping[int, int],
        history: Sequence[Mapping[int, int]],
        *,
        purpose: TiePurpose,
        notes: list[Note],
    ) -> list[int]:
        """Return `candidates` by votes, highest first, ties broken by pick(lowest=False)."""
        remaining = list(candidates)
        ordered: list[int] = []
        while remaining:
            top = max(votes[c] for c in remaining)
            tied = [c for c in remaining if votes[c] == top]
            chosen = self.pick(tied, history, lowest=False, purpose=purpose, notes=notes)
            ordered.append(chosen)
            remaining.remove(chosen)
        return ordered

"""Ballots that share the start of their ranking, handled once for all of them.

Prepared.groups are sorted, so every ranking that starts with the same candidates sits in one run
of consecutive groups (the ranking equal to that start, if any, first). A node is such a run: the
groups in [lo, hi) that agree on their first `depth` candidates. What happens to a ballot depends
only on its ranking, and while papers follow a ranking only its start matters: so the methods move
a node's papers, or share out its votes, in one step for every ballot in it, and descend to the
node's children only where the ballots part ways. Each node is split into its children once (by
binary search over the sorted groups) and the split is kept for the rest of the count; a node of a
few groups (FEW) is not split, its groups follow their own rankings.
"""

from bisect import bisect_right
from itertools import accumulate
from operator import itemgetter

# A ranking: candidate indices, most preferred first (bytes when there are at most 256 candidates,
# as they compare and sort faster; a tuple otherwise).
Ranking = bytes | tuple[int, ...]

# Nodes of this many groups or fewer are not split: following each group's ranking costs less.
FEW = 8

# A child node: (lo, hi, the candidate at position depth, its total weight).
Child = tuple[int, int, int, int]


class Prefixes:
    def __init__(self, rankings: list[Ranking], weights: list[int]) -> None:
        """`rankings` sorted and distinct, `weights` the total weight of each."""
        self.rankings = rankings
        self.weights = weights
        self.cumulative = [0, *accumulate(weights)]
        self._splits: dict[tuple[int, int], tuple[int, list[Child]]] = {}

    def split(self, lo: int, hi: int, depth: int) -> tuple[int, list[Child]]:
        """Return (weight of the ballots whose ranking ends at `depth`, the children of the node)."""
        rankings, cumulative = self.rankings, self.cumulative
        if hi - lo == 1:  # one group (most nodes deep down): nothing to search or keep
            ranking = rankings[lo]
            weight = cumulative[hi] - cumulative[lo]
            if len(ranking) == depth:
                return weight, []
            return 0, [(lo, hi, ranking[depth], weight)]
        key = (lo, depth)
        known = self._splits.get(key)
        if known is not None:
            return known
        ending = 0
        start = lo
        if start < hi and len(rankings[start]) == depth:
            ending = cumulative[start + 1] - cumulative[start]
            start += 1
        children: list[Child] = []
        at_depth = itemgetter(depth)  # every ranking left in the node is longer than depth
        while start < hi:
            candidate = rankings[start][depth]
            end = bisect_right(rankings, candidate, start + 1, hi, key=at_depth)
            children.append((start, end, candidate, cumulative[end] - cumulative[start]))
            start = end
        result = (ending, children)
        self._splits[key] = result
        return result

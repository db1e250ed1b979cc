"""Ballot papers in candidates' hands, for the methods that move whole papers (IRV, Scottish STV).

Papers travel in parcels: every ballot of one prefix node (see prefixes.py) at one value per paper.
The parcel's holder is the node's last candidate; when the holder passes the papers on, each child
node whose candidate is continuing receives its ballots as a new parcel, and the children of
candidates no longer continuing are looked through, as a ballot's next continuing preference is.
Ballots whose ranking ends on the way have no further preference.
"""

from governance.counting.prefixes import FEW, Prefixes

# A parcel: (lo, hi, depth) of its node, value of each paper, number of papers.
Parcel = tuple[int, int, int, int, int]


def first_preferences(tree: Prefixes, count: int, unit: int) -> list[list[Parcel]]:
    """Give every ballot to its first preference at value `unit`."""
    piles: list[list[Parcel]] = [[] for _ in range(count)]
    _, children = tree.split(0, len(tree.rankings), 0)
    for lo, hi, candidate, weight in children:
        piles[candidate].append((lo, hi, 1, unit, weight))
    return piles


def move(
    tree: Prefixes,
    parcels: list[Parcel],
    piles: list[list[Parcel]],
    continuing: list[bool],
    value_of: dict[int, int] | None = None,
) -> tuple[dict[int, int], int, set[int]]:
    """Move parcels to their next continuing preference.

    `value_of` maps a paper's current value to its new one (a surplus transfer value); without it
    papers keep their value (an exclusion). Return (value received per candidate, value of papers
    with no further preference, the distinct values moved). Papers whose new value is zero carry
    nothing and are dropped.
    """
    received = [0] * len(continuing)
    non_transferable = 0
    values: set[int] = set()
    split, rankings, weights = tree.split, tree.rankings, tree.weights
    for lo, hi, depth, value, _ in parcels:
        new_value = value_of[value] if value_of is not None else value
        if new_value == 0:
            continue
        moved = False
        stack = [(lo, hi, depth)]
        while stack:
            lo, hi, depth = stack.pop()
            if hi - lo <= FEW:  # a few groups: follow each one's ranking
                for at in range(lo, hi):
                    weight = weights[at]
                    position = depth
                    for candidate in rankings[at][depth:]:
                        position += 1
                        if continuing[candidate]:
                            piles[candidate].append((at, at + 1, position, new_value, weight))
                            received[candidate] += new_value * weight
                            moved = True
                            break
                    else:
                        non_transferable += new_value * weight
                continue
            ending, children = split(lo, hi, depth)
            non_transferable += new_value * ending
            depth += 1
            for child_lo, child_hi, candidate, weight in children:
                if continuing[candidate]:
                    piles[candidate].append((child_lo, child_hi, depth, new_value, weight))
                    received[candidate] += new_value * weight
                    moved = True
                else:
                    stack.append((child_lo, child_hi, depth))
        if moved:
            values.add(new_value)
    return {candidate: value for candidate, value in enumerate(received) if value}, non_transferable, values

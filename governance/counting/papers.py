"""Ballot papers in candidates' hands, for the methods that move whole papers (IRV, Scottish STV)."""

from collections import defaultdict

# A parcel: (ranking, position of the current holder in it, value of each paper, number of papers).
Parcel = tuple[tuple[int, ...], int, int, int]


def next_preference(ranking: tuple[int, ...], position: int, continuing: list[bool]) -> int:
    """Return the position of the next continuing candidate after `position`, or -1 if none."""
    for later in range(position + 1, len(ranking)):
        if continuing[ranking[later]]:
            return later
    return -1


def first_preferences(groups: tuple[tuple[tuple[int, ...], int], ...], count: int, unit: int) -> list[list[Parcel]]:
    """Give every ballot to its first preference at value `unit`."""
    piles: list[list[Parcel]] = [[] for _ in range(count)]
    for ranking, weight in groups:
        piles[ranking[0]].append((ranking, 0, unit, weight))
    return piles


def move(
    parcels: list[Parcel], piles: list[list[Parcel]], continuing: list[bool], value_of: dict[int, int] | None = None
) -> tuple[dict[int, int], int, set[int]]:
    """Move parcels to their next continuing preference.

    `value_of` maps a paper's current value to its new one (a surplus transfer value); without it
    papers keep their value (an exclusion). Return (value received per candidate, value of papers
    with no further preference, the distinct values moved). Papers whose new value is zero carry
    nothing and are dropped.
    """
    received: dict[int, int] = defaultdict(int)
    non_transferable = 0
    values: set[int] = set()
    for ranking, position, value, papers in parcels:
        new_value = value_of[value] if value_of is not None else value
        later = next_preference(ranking, position, continuing)
        if later < 0:
            non_transferable += new_value * papers
            continue
        if new_value == 0:
            continue
        target = ranking[later]
        piles[target].append((ranking, later, new_value, papers))
        received[target] += new_value * papers
        values.add(new_value)
    return dict(received), non_transferable, values

"""Open data: the datasets each app offers researchers, and what the bylaws publish of the books.

An app that owns numbers (marketplace: jobs and rates; membership: members by class; governance:
turnout; payouts: fees and surplus) registers a `Dataset` from its `AppConfig.ready()`; the open
books publish them at /open-data/ without importing those apps. Each builder returns `Row`s: the
values, and how many distinct people stand behind them. `suppress` blanks every measure of a row
built from fewer than k people, so no published cell can single anybody out.

The publication rule (nothing / summary / full) is bylaw data in governance; governance provides
`books_publication`, the books read it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import quantiles
from typing import Any

from core.registry import Port, Registry

# The Frictionless table schema types a dataset's fields may have.
FIELD_TYPES = ("string", "integer", "number", "date", "year", "yearmonth")


@dataclass(frozen=True)
class DatasetField:
    name: str
    type: str
    description: str
    # A measure is a number built from people's data: blanked in a row under k. Dimensions
    # (the month, the category) are never blanked.
    measure: bool = False

    def __post_init__(self) -> None:
        if self.type not in FIELD_TYPES:
            raise ValueError(f"Unknown field type {self.type!r} for {self.name!r}")


@dataclass(frozen=True)
class Row:
    values: dict[str, Any]
    # Distinct people whose data the row's measures come from.
    people: int


@dataclass(frozen=True)
class Dataset:
    key: str
    # Lazily translated: read in the reader's language.
    title: Any
    description: Any
    fields: tuple[DatasetField, ...]
    build: Callable[[], Sequence[Row]]
    primary_key: tuple[str, ...] = field(default=())

    def schema(self) -> dict[str, Any]:
        """Return the dataset's Frictionless Data table schema."""
        return {
            "fields": [
                {"name": f.name, "type": f.type, "description": f.description}
                | ({"constraints": {"minimum": 0}} if f.measure and f.type in {"integer", "number"} else {})
                for f in self.fields
            ],
            "primaryKey": list(self.primary_key),
            "missingValues": [""],
        }


DATASETS: Registry[Dataset] = Registry("open-data datasets")


def register_dataset(dataset: Dataset) -> None:
    DATASETS.register(dataset.key, dataset)


def suppress(dataset: Dataset, rows: Sequence[Row], k: int) -> tuple[list[dict[str, Any]], int]:
    """Return the rows as published, with every measure of a row under k people blanked (None).

    Also return how many cells were blanked.
    """
    measures = [f.name for f in dataset.fields if f.measure]
    published = []
    blanked = 0
    for row in rows:
        values = {f.name: row.values.get(f.name) for f in dataset.fields}
        if row.people < k:
            for name in measures:
                if values[name] is not None:
                    blanked += 1
                values[name] = None
        published.append(values)
    return published, blanked


def quartiles(values: Sequence[int]) -> tuple[int, int, int]:
    """Return the lower quartile, median and upper quartile of whole numbers, rounded half up to whole."""
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, q2, q3 = quantiles(sorted(values), n=4, method="inclusive")
    return tuple(int(Decimal(str(q)).to_integral_value(rounding="ROUND_HALF_UP")) for q in (q1, q2, q3))  # type: ignore[return-value]


# What logged-out visitors see of the books, by the bylaws: "nothing", "summary" or "full".
BOOKS_NOTHING, BOOKS_SUMMARY, BOOKS_FULL = "nothing", "summary", "full"
books_publication: Port[Callable[[], str]] = Port("books publication")

"""Reads for /open-data/: the published releases, as CSV, JSON, table schemas and a data package."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.conf import settings

from core.open_data import DATASETS, Dataset
from payouts.open_books.models import DatasetRelease

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


def datasets_with_releases() -> list[tuple[Dataset, DatasetRelease | None]]:
    """Return every registered dataset with its latest release (None before the first)."""
    releases = {release.key: release for release in DatasetRelease.objects.all()}
    return [(dataset, releases.get(key)) for key, dataset in DATASETS.items()]


def dataset_of(key: str) -> Dataset | None:
    return DATASETS.get(key) if key in DATASETS else None


def release_of(key: str) -> DatasetRelease | None:
    return DatasetRelease.objects.filter(key=key).first()


def as_csv(dataset: Dataset, release: DatasetRelease) -> str:
    """Return the release as CSV with a header row; a blanked (suppressed) cell is empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    names = [f.name for f in dataset.fields]
    writer.writerow(names)
    for row in release.rows:
        writer.writerow(["" if row.get(name) is None else row.get(name) for name in names])
    return buffer.getvalue()


def as_json(dataset: Dataset, release: DatasetRelease) -> str:
    return json.dumps(
        {
            "dataset": dataset.key,
            "title": str(dataset.title),
            "generated_at": release.generated_at.isoformat(),
            "k": release.k,
            "suppressed_cells": release.suppressed_cells,
            "licence": LICENCE,
            "schema": dataset.schema(),
            "rows": release.rows,
        },
        ensure_ascii=False,
        indent=1,
    )


def schema_json(dataset: Dataset) -> str:
    return json.dumps(dataset.schema(), ensure_ascii=False, indent=1)


def data_package(base_url: str) -> dict[str, Any]:
    """Return a Frictionless data package describing every dataset and its CSV file."""
    return {
        "name": "coop-open-data",
        "title": f"{settings.COOP_NAME}: open data",
        "licenses": [LICENCE],
        "resources": [
            {
                "name": dataset.key,
                "title": str(dataset.title),
                "description": str(dataset.description),
                "path": f"{base_url}{dataset.key}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": dataset.schema(),
            }
            for dataset in DATASETS.values()
        ],
    }

"""Publish the open-data datasets: build each registered dataset, blank the small cells, keep the release.

Run by the periodic task (settings.CELERY_BEAT_SCHEDULE "open-books-open-data") and the demo; safe
to run twice or at once (each dataset's row is replaced under its unique key).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.open_data import DATASETS, suppress
from payouts.open_books.models import DatasetRelease


def open_data_regenerate() -> list[DatasetRelease]:
    """Build and publish every registered dataset; return the releases."""
    k = settings.OPEN_DATA_MIN_GROUP
    releases = []
    for key, dataset in DATASETS.items():
        rows, blanked = suppress(dataset, dataset.build(), k)
        with transaction.atomic():
            release, _created = DatasetRelease.objects.update_or_create(
                key=key,
                defaults={"generated_at": timezone.now(), "k": k, "rows": rows, "suppressed_cells": blanked},
            )
        releases.append(release)
    return releases

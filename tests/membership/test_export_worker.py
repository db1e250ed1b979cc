"""A real Celery worker on the broker builds a "download my data" archive."""

from typing import Any

import pytest

from membership.models import DataExport
from membership.services import data_export_request
from membership.tasks import build_data_export
from tests.factories import UserFactory

pytestmark = pytest.mark.services


def test_a_worker_builds_the_archive_and_a_second_run_changes_nothing(celery_worker_redis: Any) -> None:
    user = UserFactory()
    export = data_export_request(user=user, actor=user)
    build_data_export.delay(export.pk).get(timeout=60)
    export.refresh_from_db()
    first = (export.status, export.progress, export.file.name)
    assert first[:2] == (DataExport.Status.READY, 100)
    build_data_export.delay(export.pk).get(timeout=60)
    export.refresh_from_db()
    assert (export.status, export.progress, export.file.name) == first

"""The access log pages through every access to a person's data, at a fixed number of queries."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from membership.models import AccessLogEntry, Member
from membership.views.privacy import ACCESS_LOG_PER_PAGE

pytestmark = pytest.mark.django_db


def _log(subject: Any, accessor: Any, count: int) -> None:
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(subject=subject, accessor=accessor, action="viewed", context="staff:member_record")
        for _ in range(count)
    )


def _queries(c: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = c.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_access_log_reads_as_many_queries_with_30_entries_as_with_3(
    client_for: Any, admitted: Member, finance: Any
) -> None:
    c = client_for(admitted.user)
    url = reverse("membership:access_log")
    _log(admitted.user, finance, 3 - AccessLogEntry.objects.filter(subject=admitted.user).count())
    c.get(url)
    few = _queries(c, url)
    _log(admitted.user, finance, 27)
    assert AccessLogEntry.objects.filter(subject=admitted.user).count() == 30
    assert _queries(c, url) == few


def test_older_accesses_are_on_the_next_page(client_for: Any, admitted: Member, finance: Any) -> None:
    c = client_for(admitted.user)
    existing = AccessLogEntry.objects.filter(subject=admitted.user).count()
    _log(admitted.user, finance, ACCESS_LOG_PER_PAGE + 5 - existing)
    first = c.get(reverse("membership:access_log")).content.decode()
    assert first.count("Femke Finance") == ACCESS_LOG_PER_PAGE
    assert 'href="?page=2"' in first
    second = c.get(reverse("membership:access_log"), {"page": 2}).content.decode()
    assert second.count("Femke Finance") == 5
    assert "Page 2 of 2" in second

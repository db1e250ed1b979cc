"""How many queries a settled page view runs: the measure of "a fixed number of queries whatever the data"."""

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def settled_queries(client: Any, url: str, data: dict[str, Any] | None = None) -> int:
    """Count the queries of a second view of `url`, after one that warms the per-process caches
    (rules, navigation, fee policy); the page must answer 200."""
    client.get(url, data)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, data).status_code == 200
    return len(ctx.captured_queries)

"""Pages of the lists a page shows, so that every row of a growing list stays reachable (issue 18).

A page of each list costs two queries (its count and its rows) however long the list grows. The
shared include templates/core/includes/pagination.html draws each pager:

    {% include "core/includes/pagination.html" with page=runs pager_param="runs" query=runs_query %}
"""

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paged_lists(
    request: HttpRequest, per_page: int, *, keep: Iterable[str] = (), **lists: QuerySet[Any]
) -> dict[str, Any]:
    """Return a page of `per_page` rows of each list, each under the list's name, with its pager's query.

    Each list's pager reads the GET parameter named after the list (a page number; anything else
    is the first or last page, never an error). `<name>_query` holds the other lists' places and
    the parameters named in `keep` (a filter, or another pager on the page), so that turning one
    list's page leaves the rest of the page where it was.
    """
    keep = tuple(keep)
    context: dict[str, Any] = {}
    for name, rows in lists.items():
        context[name] = Paginator(rows, per_page).get_page(request.GET.get(name))
        context[f"{name}_query"] = urlencode(
            [(key, request.GET[key]) for key in (*keep, *lists) if key != name and key in request.GET]
        )
    return context

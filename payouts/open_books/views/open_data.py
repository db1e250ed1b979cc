"""/open-data/: the datasets for researchers, with their schemas and licence. Open to everyone."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.views.decorators.http import require_GET

from payouts.open_books.selectors import open_data as selectors

# A column's type as a reader says it (the schema files keep the Frictionless names).
TYPE_LABELS = {
    "string": pgettext_lazy("column type", "text"),
    "integer": pgettext_lazy("column type", "whole number"),
    "number": pgettext_lazy("column type", "number"),
    "date": pgettext_lazy("column type", "date, YYYY-MM-DD"),
    "year": pgettext_lazy("column type", "year"),
    "yearmonth": pgettext_lazy("column type", "year and month, YYYY-MM"),
}


@require_GET
def open_data_index(request: HttpRequest) -> HttpResponse:
    # The descriptions are registered in English (they are the schemas' text) and read here in the
    # reader's language (their translations are listed in payouts/open_books/datasets.py).
    datasets = [
        (dataset, release, [(field, gettext(field.description), TYPE_LABELS[field.type]) for field in dataset.fields])
        for dataset, release in selectors.datasets_with_releases()
    ]
    context = {
        "datasets": datasets,
        "licence": selectors.LICENCE,
        "k": settings.OPEN_DATA_MIN_GROUP,
    }
    return render(request, "open_books/open_data.html", context)


def _download(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def dataset_file(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    dataset = selectors.dataset_of(key)
    if dataset is None:
        raise Http404
    if fmt == "schema.json":
        return _download(selectors.schema_json(dataset), "application/json", f"{key}.schema.json")
    release = selectors.release_of(key)
    if release is None:
        raise Http404
    if fmt == "csv":
        return _download(selectors.as_csv(dataset, release), "text/csv; charset=utf-8", f"{key}.csv")
    return _download(selectors.as_json(dataset, release), "application/json", f"{key}.json")


@require_GET
def data_package(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open_books:open_data"))
    body = json.dumps(selectors.data_package(base), ensure_ascii=False, indent=1)
    return _download(body, "application/json", "datapackage.json")

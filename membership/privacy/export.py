"""Turn a person's registered rows into JSON-ready dictionaries for "download my data"."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from core.privacy import PersonalDataEntry


def _user_fk_names(model: type[models.Model]) -> set[str]:
    user_label = settings.AUTH_USER_MODEL.lower()
    return {
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is not None and f.related_model._meta.label_lower == user_label
    }


def _exported_fields(
    entry: PersonalDataEntry,
) -> tuple[list[models.Field[Any, Any]], list[models.ManyToManyField[Any, Any]]]:
    meta = entry.model._meta
    concrete = list(meta.concrete_fields)
    many = list(meta.many_to_many)
    if entry.secret is True:
        keep = {meta.pk.name} | _user_fk_names(entry.model)
        concrete = [f for f in concrete if f.name in keep or isinstance(f, models.DateField | models.DateTimeField)]
        return concrete, []
    if entry.secret:
        concrete = [f for f in concrete if f.name not in entry.secret]
        many = [f for f in many if f.name not in entry.secret]
    return concrete, many


def serialize_rows(entry: PersonalDataEntry, user: Any) -> list[dict[str, Any]]:
    """Return the person's rows of one registered model as plain JSON-ready dictionaries."""
    concrete, many = _exported_fields(entry)
    queryset = entry.rows(user).order_by("pk")
    if many:
        queryset = queryset.prefetch_related(*[f.name for f in many])
    rows = []
    for obj in queryset:
        row: dict[str, Any] = {}
        for f in concrete:
            if isinstance(f, models.FileField):
                file = getattr(obj, f.attname)
                row[f.name] = file.name if file else ""
            else:
                row[f.name if not f.is_relation else f.attname] = f.value_from_object(obj)
        for f in many:
            row[f.name] = sorted(related.pk for related in getattr(obj, f.name).all())
        rows.append(row)
    # Round-trip through the encoder so dates, decimals and UUIDs become strings here, once.
    return json.loads(json.dumps(rows, cls=DjangoJSONEncoder))

"""Apply each registered model's erasure strategy to a person's rows."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.functions import Cast

from core.privacy import BLANK, DELETE, Erasure, PersonalDataEntry

TEXT_FIELDS = (models.CharField, models.TextField)


def _blank_value(field: models.Field) -> object:
    if isinstance(field, models.JSONField):
        return {} if field.default is dict else None
    if isinstance(field, (*TEXT_FIELDS, models.FileField)):
        return ""
    if field.null:
        return None
    if field.has_default():
        return field.get_default()
    raise ValueError(f"Cannot blank {field.model._meta.label}.{field.name}: it is neither text nor nullable")


def _apply_field_rules(rows: QuerySet, rules: Mapping[str, str], erasure: Erasure) -> None:
    meta = rows.model._meta
    updates: dict[str, object] = {}
    for name, rule in rules.items():
        field = meta.get_field(name)
        if rule == BLANK:
            updates[name] = _blank_value(field)
        elif isinstance(field, models.EmailField):
            updates[name] = erasure.pseudonym_email
        else:
            updates[name] = erasure.pseudonym[: getattr(field, "max_length", None) or None]
    if updates:
        rows.model._base_manager.filter(pk__in=list(rows.values_list("pk", flat=True))).update(**updates)


def _scrub_json(value: Any, erasure: Erasure) -> Any:
    if isinstance(value, str):
        return erasure.scrub(value)
    if isinstance(value, list):
        return [_scrub_json(item, erasure) for item in value]
    if isinstance(value, dict):
        return {erasure.scrub(key): _scrub_json(item, erasure) for key, item in value.items()}
    return value


def scrub_rows(rows: QuerySet, erasure: Erasure) -> None:
    """Rewrite the person's name and email addresses, wherever they still appear in these rows.

    Only rows that contain an identifier are written, so append-only rows that hold none (ledger
    postings) are never touched.
    """
    if not erasure.identifiers:
        return
    model = rows.model
    base = rows
    for field in model._meta.concrete_fields:
        if field.primary_key or field.is_relation:
            continue
        if isinstance(field, TEXT_FIELDS):
            condition = Q()
            for identifier in erasure.identifiers:
                condition |= Q(**{f"{field.attname}__icontains": identifier})
            for pk, value in base.filter(condition).values_list("pk", field.attname):
                scrubbed = erasure.scrub(value)
                if isinstance(field, models.EmailField) and scrubbed != value:
                    scrubbed = erasure.pseudonym_email
                model._base_manager.filter(pk=pk).update(**{field.attname: scrubbed[: field.max_length or None]})
        elif isinstance(field, models.JSONField):
            # JSON may be stored with non-ASCII characters escaped (SQLite), so look for both forms.
            forms = {form for i in erasure.identifiers for form in (i, json.dumps(i)[1:-1])}
            condition = Q()
            for form in forms:
                condition |= Q(**{f"_scrub_{field.attname}__icontains": form})
            matching = base.annotate(**{f"_scrub_{field.attname}": Cast(field.attname, models.TextField())})
            for pk, value in matching.filter(condition).values_list("pk", field.attname):
                scrubbed = _scrub_json(value, erasure)
                if scrubbed != value:
                    model._base_manager.filter(pk=pk).update(**{field.attname: scrubbed})


def erase_entry(entry: PersonalDataEntry, erasure: Erasure, user: object) -> None:
    """Erase or pseudonymise the person's rows of one registered model."""
    rows = entry.rows(user)
    if entry.erase == DELETE:
        entry.model._base_manager.filter(pk__in=list(rows.values_list("pk", flat=True))).delete()
        if entry.scrub_all:
            scrub_rows(entry.model._base_manager.all(), erasure)
        return
    # KEEP leaves the rows as they are; only the scrub below rewrites them.
    if isinstance(entry.erase, Mapping):
        _apply_field_rules(rows, entry.erase, erasure)
    elif callable(entry.erase):
        entry.erase(rows, erasure)
    scrub_rows(entry.model._base_manager.all() if entry.scrub_all else entry.rows(user), erasure)

"""Model fields the project shares: a compact list column that works on PostgreSQL and on SQLite."""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

_COMPACT = json.JSONEncoder(separators=(",", ":")).encode


class ListField(models.Field):  # type: ignore[type-arg]
    """A list of values of one type, in order, nulls allowed.

    PostgreSQL stores it as a native array of the base field's type (`bigint[]`, `text[]`): a few
    bytes per element, no keys, nothing parsed on the way in. SQLite has no arrays, so there it is
    the same list as compact JSON text; reading gives a Python list either way.
    """

    description = "A list of values of one type"

    def __init__(self, base_field: models.Field, **kwargs: Any) -> None:  # type: ignore[type-arg]
        self.base_field = base_field
        super().__init__(**kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["base_field"] = self.base_field.clone()
        return name, path, args, kwargs

    def db_type(self, connection: BaseDatabaseWrapper) -> str:
        if connection.vendor == "postgresql":
            return f"{self.base_field.db_type(connection)}[]"
        return "text"

    def cast_db_type(self, connection: BaseDatabaseWrapper) -> str:
        return self.db_type(connection)

    def get_placeholder(self, value: Any, compiler: Any, connection: BaseDatabaseWrapper) -> str:
        # psycopg2 sends a list as ARRAY[...], whose type PostgreSQL guesses from the elements
        # (text[] when they are all null): the cast names the column's type.
        if connection.vendor == "postgresql":
            return f"%s::{self.db_type(connection)}"
        return "%s"

    def get_db_prep_value(self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False) -> Any:
        if value is None:
            return None
        if connection.vendor == "postgresql":
            return list(value)
        return _COMPACT(list(value))

    def from_db_value(self, value: Any, expression: Any, connection: BaseDatabaseWrapper) -> list[Any] | None:
        if value is None or isinstance(value, list):
            return value
        return list(json.loads(value))

    def to_python(self, value: Any) -> list[Any] | None:
        if isinstance(value, str):
            return list(json.loads(value))
        return None if value is None else list(value)

    def value_to_string(self, obj: models.Model) -> str:
        return _COMPACT(self.value_from_object(obj))

"""The path converter of the API's ids: `<id:job_id>` instead of `<int:job_id>`.

Django's `int` converter takes any number of digits, and a lookup with an id past the database's
bigint fails there (`OverflowError` on SQLite, an out-of-range error on PostgreSQL), so
/api/jobs/99999999999999999999/ answered a 400 about a value too large to store. No row can have
such an id: this converter matches only ids the database can hold, so a larger one matches no URL
and is the 404 of any id that does not exist. The schema says the same (`maximum` of the path
parameter, SPECTACULAR_SETTINGS["PATH_CONVERTER_OVERRIDES"]).
"""

from django.urls import register_converter

from core.api.fields import MAX_ID

NAME = "id"


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(f"{value} is past the largest id")  # Django: the URL does not match
        return number

    def to_url(self, value: int) -> str:
        return str(value)


def register() -> None:
    """Make `<id:…>` known to Django's URL patterns (from CoreConfig.ready, before any URL module loads)."""
    register_converter(IdConverter, NAME)

"""ISO 3166 country codes, as the DPI schema and babel know them, with their names in the reader's language."""

from __future__ import annotations

from functools import cache

from django.utils.translation import get_language


@cache
def country_codes() -> frozenset[str]:
    """Return every two-letter country code babel names (its territories without the numeric regions)."""
    from babel import Locale

    return frozenset(str(code) for code in Locale("en").territories if len(str(code)) == 2 and str(code).isalpha())


def country_choices() -> list[tuple[str, str]]:
    """Return (code, name) pairs, named in the active language and sorted by name, after an empty choice."""
    from core.money import babel_locale

    names = babel_locale(get_language() or "en").territories
    pairs = sorted(((code, str(names.get(code, code))) for code in country_codes()), key=lambda item: item[1])
    return [("", "—"), *pairs]

"""Find user-facing strings without a Dutch translation, in pure Python (no GNU gettext).

Templates go through Django's own `templatize` (what makemessages does) and then Babel's
Python extractor; Python files go straight to Babel.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import cast

from babel.messages.extract import extract_python
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils.translation.template import templatize

# Babel's keyword specs: None for "the first argument", else the message arguments' positions
# (a "c" marks the context).
KEYWORDS: dict[str, tuple[int | tuple[int, str], ...] | None] = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
SOURCE_DIRS = ("core", "membership", "marketplace", "governance", "payouts", "coop_platform", "templates")
SKIP_PARTS = {"migrations", "tests", "__pycache__"}

# What extract_python yields: (line, function name, message, translator comments); the message is
# a tuple for calls with several arguments, None where an argument is not a string literal. Babel
# annotates it as the (line, message, comments, context) of its other extractors.
_PythonString = tuple[int, str, str | tuple[str | None, ...], list[str]]


def locale_paths() -> list[Path]:
    return [Path(p) for p in settings.LOCALE_PATHS]


def source_files(base: Path) -> Iterator[Path]:
    for top in SOURCE_DIRS:
        for path in sorted((base / top).rglob("*")):
            if path.suffix in {".py", ".html", ".txt"} and not SKIP_PARTS.intersection(path.parts):
                yield path


def extract(path: Path) -> Iterator[tuple[str | None, str | tuple[str, ...], int]]:
    """Yield (context, message, line) for every translatable string in a file.

    A message is a string, or a (singular, plural) pair for the ngettext family.
    """
    text = path.read_text(encoding="utf-8")
    if path.suffix in {".html", ".txt"}:
        if "{%" not in text:
            return
        # templatize() writes xgettext-friendly pseudo-code, not Python: its lines keep the
        # template's indentation, which Python's tokenizer refuses. Strings never span lines.
        text = "\n".join(line.lstrip() for line in templatize(text, origin=str(path)).split("\n"))
    found = cast(Iterator[_PythonString], extract_python(io.BytesIO(text.encode("utf-8")), KEYWORDS, [], {}))
    for lineno, func, found_message, _comments in found:
        context: str | None = None
        message: str | tuple[str, ...]
        if isinstance(found_message, tuple):
            # Non-literal arguments (the count of ngettext) come back as None.
            strings = [m for m in found_message if isinstance(m, str)]
            if func.startswith(("pgettext", "npgettext")):
                context, strings = strings[0] if strings else None, strings[1:]
            message = strings[0] if len(strings) == 1 else tuple(strings[:2])
        else:
            message = found_message
        if not message or (isinstance(message, tuple) and (len(message) != 2 or not all(message))):
            continue
        yield context, message, lineno


def translated_ids(language: str = "nl") -> set[tuple[str | None, str]]:
    """Return the (context, msgid) pairs translated in any catalog for the language."""
    done: set[tuple[str | None, str]] = set()
    for base in locale_paths():
        po = base / language / "LC_MESSAGES" / "django.po"
        if not po.exists():
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle)
        for msg in catalog:
            if not msg.id or msg.fuzzy:
                continue
            # A plural message's id and strings are sequences (tuples as read_po makes them).
            strings = msg.string if isinstance(msg.string, tuple | list) else (msg.string,)
            if all(strings):
                key = msg.id[0] if isinstance(msg.id, tuple | list) else msg.id
                done.add((msg.context, key))
    return done


def missing(
    base: Path, language: str = "nl", only: str | None = None
) -> list[tuple[Path, int, str | None, str | tuple[str, ...]]]:
    """Return every source string with no translation for the language, with where it is."""
    done = translated_ids(language)
    seen: set[tuple[str | None, str]] = set()
    result: list[tuple[Path, int, str | None, str | tuple[str, ...]]] = []
    for path in source_files(base):
        rel = path.relative_to(base)
        if only and not str(rel).startswith(only):
            continue
        for context, message, lineno in extract(path):
            key = (context, message[0] if isinstance(message, tuple) else message)
            if key in done or key in seen:
                continue
            seen.add(key)
            result.append((rel, lineno, context, message))
    return result

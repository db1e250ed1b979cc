"""What a reader may see of the books: members everything, everyone else what the bylaws publish.

The one place that decides, for the pages and the API alike (core.open_data.books_publication is
the bylaws' rule, provided by governance).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.exceptions import Forbidden
from core.open_data import BOOKS_FULL, BOOKS_NOTHING, BOOKS_SUMMARY, books_publication
from core.permissions import can
from payouts.open_books.exceptions import ErrorCode

LEVELS = (BOOKS_NOTHING, BOOKS_SUMMARY, BOOKS_FULL)


def books_level(user: Any) -> str:
    """Return how much of the books `user` may read: "full" for members, finance and the board, else the rule."""
    if user is not None and getattr(user, "is_authenticated", False) and can(user, "books.open"):
        return BOOKS_FULL
    level = books_publication.get()()
    return level if level in LEVELS else BOOKS_NOTHING


def books_require(user: Any, needed: str) -> str:
    """Return the reader's level, or refuse (403) when the books they ask for are not published to them."""
    level = books_level(user)
    if LEVELS.index(level) < LEVELS.index(needed):
        if level == BOOKS_NOTHING:
            message = _("The members have not made the coop's books public. Members see them after signing in.")
        else:
            message = _("The members have published the summary accounts, not every transaction.")
        raise Forbidden(message, code=ErrorCode.BOOKS_NOT_PUBLIC)
    return level

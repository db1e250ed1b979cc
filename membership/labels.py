"""Names the coop stores in English, shown in the reader's language.

Member classes, rule sets, funds and the like are rows whose names are stored once, in English. A
page must not show "Worker members" to a Dutch reader, so each app lists the names it ships with
(its known codes) and their translatable labels here or next to its own data. A coop that renamed
one, or added its own, sees its stored name as it wrote it: only a name that is still the shipped
default is translated.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override


class KnownNames:
    """Translatable labels of the names shipped for known codes (slugs, keys)."""

    def __init__(self, labels: Mapping[str, Promise]) -> None:
        self.labels = dict(labels)
        self._english: dict[str, str] = {}

    def english(self, code: str) -> str:
        """Return the shipped English name of a known code."""
        if code not in self._english:
            with override("en"):
                self._english[code] = str(self.labels[code])
        return self._english[code]

    def label(self, code: str, stored: str = "") -> str:
        """Return the name in the active language, or the stored one when the coop chose its own."""
        if code not in self.labels:
            return stored or code
        if stored and stored not in (code, self.english(code)):
            return stored
        return str(self.labels[code])


def known_text(labels: Mapping[str, Promise], stored: str) -> str:
    """Return a stored text in the active language when it is one of the shipped texts, else as stored.

    `labels` maps each shipped English text to its translatable label.
    """
    label = labels.get(stored.strip())
    return str(label) if label is not None else stored


MEMBER_CLASS_NAMES = KnownNames(
    {
        "worker": _("Worker members"),
        "client": _("Client members"),
        "community": _("Community members"),
    }
)


def member_class_name(slug: str, stored: str = "") -> str:
    """Return a member class's name in the reader's language (a custom name as the coop wrote it)."""
    return MEMBER_CLASS_NAMES.label(slug, stored)


def member_class_names(slugs: list[str] | tuple[str, ...]) -> list[str]:
    """Return the names of member classes given by slug, custom names read from the database."""
    from membership.models import MemberClass

    stored = dict(MemberClass.objects.filter(slug__in=list(slugs)).values_list("slug", "name"))
    return [member_class_name(slug, stored.get(slug, "")) for slug in slugs]

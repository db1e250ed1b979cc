"""The surplus policy's shipped names and texts, shown in the reader's language.

A policy stores its funds, patronage classes and redemption terms as the members adopted them, in
English for the ones the coop ships with. Pages name them through these labels; a fund, class or
text the members wrote themselves shows as they wrote it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from membership.labels import KnownNames, known_text

FUND_NAMES = KnownNames(
    {
        "reserve": _("reserve"),
        "education": _("education"),
        "solidarity": _("solidarity"),
    }
)

PATRONAGE_CLASS_NAMES = KnownNames(
    {
        "fees generated": _("fees generated"),
        "earnings": _("earnings"),
        "equal share": _("equal share"),
        "loyalty": _("loyalty"),
    }
)

DEFAULT_REDEMPTION_TERMS = (
    "Retained amounts are credited to your internal capital account. They are paid back within five years "
    "of the allocation, or within one year after your membership ends, as the general meeting decides "
    "each year in light of the coop's reserves."
)
REDEMPTION_TERMS = {
    DEFAULT_REDEMPTION_TERMS: _(
        "Retained amounts are credited to your internal capital account. They are paid back within five years "
        "of the allocation, or within one year after your membership ends, as the general meeting decides "
        "each year in light of the coop's reserves."
    ),
}


def fund_name(name: str) -> str:
    """Return a fund's name in the reader's language (a fund the members named themselves as written)."""
    return FUND_NAMES.label(name, name)


def patronage_class_name(name: str) -> str:
    """Return a patronage class's name in the reader's language."""
    return PATRONAGE_CLASS_NAMES.label(name, name)


def redemption_terms(text: str) -> str:
    """Return the redemption terms in the reader's language when they are the shipped ones."""
    return known_text(REDEMPTION_TERMS, text)

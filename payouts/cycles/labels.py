"""The surplus policy's shipped names and texts, shown in the reader's language.

A policy stores its funds, patronage classes and redemption terms as the members adopted them, in
English for the ones the coop ships with. Pages name them through these labels; a fund, class or
text the members wrote themselves shows as they wrote it. The same goes for the reason a cycle's
history gives for its approval: stored in English, shown in the reader's language.
"""

from __future__ import annotations

import re

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


# Why a cycle was approved, as its history and audit log store it: in English, whoever approved it.
APPROVED_BY_ADMIN = "Approved by an admin."
APPROVED_BY_VOTE = "Approved by the members' vote %(id)s."
_APPROVED_BY_VOTE = re.compile(r"Approved by the members' vote (?P<id>\d+)\.")


def change_reason(text: str) -> str:
    """Return the reason a cycle's history gives in the reader's language when it is one the
    platform wrote (an approval); any other reason (a failure's message) as stored."""
    if text == APPROVED_BY_ADMIN:
        return str(_("Approved by an admin."))
    vote = _APPROVED_BY_VOTE.fullmatch(text)
    if vote:
        return str(_("Approved by the members' vote %(id)s.")) % {"id": vote["id"]}
    return text

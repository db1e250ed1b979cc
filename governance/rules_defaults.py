"""The founding version of each rule family. Never edit: later versions are new RuleSet rows."""

from django.utils.translation import gettext_lazy as _

from membership.labels import KnownNames, known_text

# The shipped names of the rule families and the founding note, for pages in the reader's language;
# a version whose name or note the members changed shows what they wrote.
RULE_SET_NAMES = KnownNames(
    {
        "general": _("General resolutions"),
        "bylaw": _("Bylaw amendments"),
        "admission": _("Admission of members"),
        "expulsion": _("Expulsion of members"),
        "payout": _("Payout cycles"),
        "project": _("Acceptance of large projects"),
        "election": _("Board elections"),
    }
)
FOUNDING_NOTE = "Founding bylaws."
RULE_SET_NOTES = {FOUNDING_NOTE: _("Founding bylaws.")}


def rule_set_name(key: str, stored: str = "") -> str:
    """Return a rule family's name in the reader's language."""
    return RULE_SET_NAMES.label(key, stored)


def rule_set_note(stored: str) -> str:
    """Return a version's note in the reader's language when it is the shipped one."""
    return known_text(RULE_SET_NOTES, stored)


FOUNDING_RULES: dict[str, dict] = {
    "general": {
        "label": "General resolutions",
        "quorum_numerator": 1,
        "quorum_denominator": 10,
        "notice_days": 7,
        "voting_days": 7,
    },
    "bylaw": {
        "label": "Bylaw amendments",
        "quorum_numerator": 1,
        "quorum_denominator": 4,
        "threshold_numerator": 2,
        "threshold_denominator": 3,
        "threshold_strict": False,
        "notice_days": 14,
        "voting_days": 14,
    },
    "admission": {"label": "Admission of members", "notice_days": 3, "voting_days": 5},
    "expulsion": {
        "label": "Expulsion of members",
        "quorum_numerator": 1,
        "quorum_denominator": 4,
        "threshold_numerator": 2,
        "threshold_denominator": 3,
        "threshold_strict": False,
        "notice_days": 14,
        "voting_days": 7,
        "secret": True,
    },
    "payout": {
        "label": "Payout cycles",
        "quorum_numerator": 1,
        "quorum_denominator": 10,
        "notice_days": 7,
        "voting_days": 7,
    },
    "project": {"label": "Acceptance of large projects", "notice_days": 2, "voting_days": 3},
    "election": {"label": "Board elections", "notice_days": 14, "voting_days": 7, "secret": True},
}


def ensure_founding_rules() -> None:
    """Create version 1 of any rule family that has none (the migration does this; tests without
    migrations and the demo call it too)."""
    from governance.models import RuleSet

    for key, values in FOUNDING_RULES.items():
        if not RuleSet.objects.filter(key=key).exists():
            RuleSet.objects.create(key=key, version=1, note=FOUNDING_NOTE, **values)

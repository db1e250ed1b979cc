"""The founding version of each rule family. Never edit: later versions are new RuleSet rows."""

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
            RuleSet.objects.create(key=key, version=1, note="Founding bylaws.", **values)

"""Move the profiles' visibility flags into membership's privacy settings, the one place for them.

Forward, each person keeps what visitors saw before, and where both apps already held a choice
the stricter one wins: a profile private in either stays private, a rate, location or reviews
hidden in either stay hidden. Nobody's data becomes more visible by this migration.
"""

from typing import Any

from django.db import migrations

EVERYONE, SIGNED_IN, NOBODY = "everyone", "signed_in", "nobody"
# The marketplace flag each membership setting takes over, per kind of profile.
FREELANCER_FLAGS = {"show_hourly_rate": "show_rate", "show_location": "show_location", "show_reviews": "show_reviews"}
CLIENT_FLAGS = {"show_reviews": "show_reviews"}


def to_membership(apps: Any, schema_editor: Any) -> None:
    PrivacySettings = apps.get_model("membership", "PrivacySettings")
    profiles = [
        (apps.get_model("marketplace", "FreelancerProfile"), FREELANCER_FLAGS),
        (apps.get_model("marketplace", "ClientProfile"), CLIENT_FLAGS),
    ]
    chosen: dict[int, dict[str, Any]] = {}
    for model, flags in profiles:
        for row in model.objects.order_by("pk").values("user_id", "is_public", *flags.values()):
            merged = chosen.setdefault(row["user_id"], {"is_public": True})
            merged["is_public"] = merged["is_public"] and row["is_public"]
            for setting, flag in flags.items():
                merged[setting] = merged.get(setting, True) and row[flag]
    existing = {row.user_id: row for row in PrivacySettings.objects.filter(user_id__in=list(chosen))}
    for user_id, merged in sorted(chosen.items()):
        row = existing.get(user_id)
        if row is None:
            # No choice in membership yet: what the marketplace flag meant, a page for everyone or nobody.
            row = PrivacySettings(user_id=user_id, profile_audience=EVERYONE if merged["is_public"] else NOBODY)
        elif not merged["is_public"]:
            row.profile_audience = NOBODY
        for setting in ("show_hourly_rate", "show_location", "show_reviews"):
            setattr(row, setting, getattr(row, setting) and merged.get(setting, True))
        row.save()


def to_marketplace(apps: Any, schema_editor: Any) -> None:
    PrivacySettings = apps.get_model("membership", "PrivacySettings")
    settings = {row.user_id: row for row in PrivacySettings.objects.all()}
    for model, flags in (
        (apps.get_model("marketplace", "FreelancerProfile"), FREELANCER_FLAGS),
        (apps.get_model("marketplace", "ClientProfile"), CLIENT_FLAGS),
    ):
        for profile in model.objects.filter(user_id__in=list(settings)):
            row = settings[profile.user_id]
            profile.is_public = row.profile_audience == EVERYONE
            for setting, flag in flags.items():
                setattr(profile, flag, getattr(row, setting))
            profile.save(update_fields=["is_public", *flags.values()])


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0005_contract_one_live_per_job"),
        ("membership", "0002_accesslogentry_bylawsacceptance_bylawsversion_and_more"),
    ]

    operations = [
        migrations.RunPython(to_membership, to_marketplace),
        migrations.RemoveField(model_name="clientprofile", name="is_public"),
        migrations.RemoveField(model_name="clientprofile", name="show_reviews"),
        migrations.RemoveField(model_name="freelancerprofile", name="is_public"),
        migrations.RemoveField(model_name="freelancerprofile", name="show_location"),
        migrations.RemoveField(model_name="freelancerprofile", name="show_rate"),
        migrations.RemoveField(model_name="freelancerprofile", name="show_reviews"),
    ]

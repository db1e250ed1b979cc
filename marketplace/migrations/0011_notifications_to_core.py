"""Move the marketplace's notices and email choices into core's notification tables, then drop its own.

Each notice keeps its person, kind, data, link, read time and time; it was already emailed (or not)
by the old task, so it is copied as shown in the app and not to be emailed again. A person who had
switched off the email of a group now has each kind of that group set to "in the app only".
"""

from django.db import migrations

# The old email preference (a NotificationPreference field) that governed each kind. Written out
# here because a migration must not import the app's code, which changes after it.
KIND_GROUPS = {
    "message_received": "email_messages",
    "proposal_received": "email_proposals",
    "proposal_revised": "email_proposals",
    "proposal_shortlisted": "email_proposals",
    "proposal_declined": "email_proposals",
    "proposal_withdrawn": "email_proposals",
    "proposal_accepted": "email_proposals",
    "milestone_funded": "email_contracts",
    "milestone_submitted": "email_contracts",
    "milestone_changes_requested": "email_contracts",
    "milestone_released": "email_contracts",
    "milestone_refunded": "email_contracts",
    "timesheet_submitted": "email_contracts",
    "timesheet_approved": "email_contracts",
    "timesheet_rejected": "email_contracts",
    "contract_completed": "email_contracts",
    "review_received": "email_reviews",
    "reviews_revealed": "email_reviews",
    "dispute_opened": "email_disputes",
    "dispute_responded": "email_disputes",
    "dispute_resolved": "email_disputes",
    "saved_search_matches": "email_saved_searches",
}
GROUPS = sorted(set(KIND_GROUPS.values()))
APP_ONLY = "app"
BATCH = 2000


def copy_to_core(apps, schema_editor):
    OldNotification = apps.get_model("marketplace", "Notification")
    OldPreference = apps.get_model("marketplace", "NotificationPreference")
    Notification = apps.get_model("core", "Notification")
    NotificationSetting = apps.get_model("core", "NotificationSetting")

    # The copies keep their own times: switch off "now on insert" for this copy only.
    created_at = Notification._meta.get_field("created_at")
    auto_now_add, created_at.auto_now_add = created_at.auto_now_add, False
    try:
        batch = []
        for old in OldNotification.objects.order_by("pk").iterator(chunk_size=BATCH):
            batch.append(
                Notification(
                    user_id=old.user_id,
                    kind=old.kind,
                    data=old.data,
                    url=old.url,
                    in_app=True,
                    email=False,
                    read_at=old.read_at,
                    created_at=old.created_at,
                )
            )
            if len(batch) == BATCH:
                Notification.objects.bulk_create(batch)
                batch = []
        Notification.objects.bulk_create(batch)
    finally:
        created_at.auto_now_add = auto_now_add

    settings = []
    for preference in OldPreference.objects.order_by("pk").iterator(chunk_size=BATCH):
        off = {group for group in GROUPS if not getattr(preference, group)}
        settings += [
            NotificationSetting(user_id=preference.user_id, kind=kind, channel=APP_ONLY)
            for kind, group in KIND_GROUPS.items()
            if group in off
        ]
    # A choice already made on core's settings page stands.
    NotificationSetting.objects.bulk_create(settings, batch_size=BATCH, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_notifications"),
        ("marketplace", "0010_currency_from_setting"),
    ]

    operations = [
        # Going back recreates the old tables empty; the notices stay in core's.
        migrations.RunPython(copy_to_core, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="notificationpreference",
            name="user",
        ),
        migrations.DeleteModel(
            name="Notification",
        ),
        migrations.DeleteModel(
            name="NotificationPreference",
        ),
    ]

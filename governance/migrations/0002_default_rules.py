"""The first version of each rule family, as the founding bylaws set them. Later versions are data too."""

from django.db import migrations

from governance.rules_defaults import FOUNDING_RULES


def create(apps, schema_editor):
    RuleSet = apps.get_model("governance", "RuleSet")
    for key, values in FOUNDING_RULES.items():
        if not RuleSet.objects.filter(key=key).exists():
            RuleSet.objects.create(key=key, version=1, note="Founding bylaws.", **values)


def remove(apps, schema_editor):
    apps.get_model("governance", "RuleSet").objects.filter(version=1, adopted_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]

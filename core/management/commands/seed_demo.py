"""Load the demo data. Safe to run again: what exists is left as it is.

Each app with demo data registers its seeder with core.demo.register_demo from its
`AppConfig.ready()`; they run in the order of INSTALLED_APPS, so later apps can use what earlier
ones made. Each runs in its own transaction, after the apps' foundations (core.demo.DEMO_FOUNDATIONS:
the data their migrations create, which a flushed test database lacks) so no seeder misses them.
"""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.demo import DEMO_FOUNDATIONS, DEMO_PASSWORD, DEMO_SEEDERS


class Command(BaseCommand):
    help = "Load demo data for every app (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        installed = [config.label for config in apps.get_app_configs()]
        labels = [label for label in installed if label in DEMO_SEEDERS]
        unknown = sorted((set(DEMO_SEEDERS) | set(DEMO_FOUNDATIONS)) - set(installed))
        if unknown:
            raise CommandError(f"Demo seeders registered for apps that are not installed: {', '.join(unknown)}")
        with transaction.atomic():
            for label in installed:
                if label in DEMO_FOUNDATIONS:
                    DEMO_FOUNDATIONS.get(label)()
        for label in labels:
            with transaction.atomic():
                DEMO_SEEDERS.get(label)()
            self.stdout.write(f"  {label}: ready")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Every demo login uses the password {DEMO_PASSWORD!r}."))

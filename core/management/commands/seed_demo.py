"""Load the demo data. Safe to run again: what exists is left as it is.

Each of the project's own apps (sub-apps such as payouts.cycles included) keeps its demo data in
`<app>/demo.py` with a `seed()` function; they run in the order of INSTALLED_APPS, so later apps
can use what earlier ones made.
"""

from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from core.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load demo data for every app (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        project = Path(settings.BASE_DIR).resolve()
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if not Path(config.path).resolve().is_relative_to(project) or find_spec(module_name) is None:
                continue
            with transaction.atomic():
                import_module(module_name).seed()
            self.stdout.write(f"  {config.label}: ready")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Every demo login uses the password {DEMO_PASSWORD!r}."))

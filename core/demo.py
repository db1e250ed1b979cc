"""Demo data: the site, the people every app's demo uses, and the registry of the apps' seeders.

Each app with demo data registers its seed function from its `AppConfig.ready()`:
`register_demo(self.label, demo.seed)`. `manage.py seed_demo` runs them in the order of
INSTALLED_APPS, so later apps can use what earlier ones made; membership's creates the people below.

Data a migration creates (governance's founding rules, say) is gone from a database a test flushed, yet
an earlier app's demo may need it (the marketplace's work demo opens a project decision under
governance's rules). An app registers what recreates such data with `register_demo_foundation`;
seed_demo runs every foundation before any seeder.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site

from core.registry import Registry

if TYPE_CHECKING:
    # django-stubs' name for AUTH_USER_MODEL (see core.permissions): no app is imported.
    from django.contrib.auth.models import _User

DEMO_PASSWORD = "coop-demo-2026"

# (email, name, flags) of every demo person; apps look people up by these addresses.
PEOPLE: list[tuple[str, str, dict[str, bool]]] = [
    ("admin@example.org", "Anna Admin", {"is_staff": True, "is_superuser": True}),
    ("finance@example.org", "Femke Finance", {"is_staff": True}),
    ("ada@example.org", "Ada de Vries", {"is_freelancer": True}),
    ("bram@example.org", "Bram Jansen", {"is_freelancer": True}),
    ("chloe@example.org", "Chloé Martin", {"is_freelancer": True}),
    ("dev@example.org", "Dev Patel", {"is_freelancer": True}),
    ("eva@example.org", "Eva Bakker", {"is_freelancer": True}),
    ("farid@example.org", "Farid El Amrani", {"is_freelancer": True}),
    ("gemma@example.org", "Gemma Visser", {"is_client": True}),
    ("hugo@example.org", "Hugo Smit", {"is_client": True}),
    ("iris@example.org", "Iris de Boer", {"is_client": True}),
    ("jan@example.org", "Jan Mulder", {}),
    ("kim@example.org", "Kim Hoekstra", {}),
]

# The staff roles (core.dashboard.STAFF_GROUPS) of the demo's staff: the admin is the board (and,
# as a superuser, may act as finance too); finance is finance only, and not a superuser.
STAFF_ROLES: dict[str, tuple[str, ...]] = {"admin@example.org": ("board",), "finance@example.org": ("finance",)}

# Each app's seed function by app label. A seeder is idempotent: what exists is left as it is.
DEMO_SEEDERS: Registry[Callable[[], None]] = Registry("demo seeders")


# Each app's idempotent restorer of the data its migrations create, by app label (see above).
DEMO_FOUNDATIONS: Registry[Callable[[], None]] = Registry("demo foundations")


def register_demo_foundation(label: str, ensure: Callable[[], None]) -> None:
    """Register what recreates an app's migration-made data; seed_demo runs it before every seeder."""
    DEMO_FOUNDATIONS.register(label, ensure)


def register_demo(label: str, seed: Callable[[], None]) -> None:
    """Register an app's demo seeder under its app label (from the app's `ready()`)."""
    DEMO_SEEDERS.register(label, seed)


def demo_user(email: str) -> "_User":
    """Return the demo person with this address (membership's seeder creates them)."""
    return get_user_model().objects.get(email=email)


def seed() -> None:
    """Point the site at the development server, under the coop's name."""
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": "127.0.0.1:8000", "name": settings.COOP_NAME}
    )

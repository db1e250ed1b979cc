"""Demo data shared by every app: the site and the people. Apps add theirs in `<app>/demo.py`."""

from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sites.models import Site

DEMO_PASSWORD = "coop-demo-2026"

# (email, name, flags) of every demo person; apps look people up by these addresses.
PEOPLE: list[tuple[str, str, dict[str, bool]]] = [
    ("admin@example.org", "Anna Admin", {"is_staff": True}),
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


def demo_user(email: str) -> Any:
    from membership.models import User

    return User.objects.get(email=email)


def seed() -> None:
    from membership.models import User
    from membership.services import user_create

    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": "127.0.0.1:8000", "name": settings.COOP_NAME}
    )
    for email, name, flags in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = user_create(email=email, password=DEMO_PASSWORD, display_name=name, **flags)
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})

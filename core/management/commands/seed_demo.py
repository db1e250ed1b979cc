"""Load the demo data. Safe to run again: existing demo rows are left as they are."""

from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_PASSWORD = "coop-demo-2026"

MEMBER_CLASSES = [
    ("worker", "Worker members", 5000, "Freelancers who work through the platform."),
    ("client", "Client members", 25000, "Clients who hire through the platform."),
    ("community", "Community members", 2500, "Supporters who neither work nor hire."),
]

FREELANCERS = [
    ("ada@example.org", "Ada de Vries", "Django developer", ["Python", "Django", "PostgreSQL"], 8500, "worker"),
    ("bram@example.org", "Bram Jansen", "Illustrator and brand designer", ["Illustration", "Branding"], 6000, "worker"),
    ("chloe@example.org", "Chloé Martin", "Translator EN/FR/NL", ["Translation", "Copywriting"], 5500, "worker"),
    ("dev@example.org", "Dev Patel", "Data engineer", ["Python", "Data engineering", "SQL"], 9000, "worker"),
    ("eva@example.org", "Eva Bakker", "Accessibility specialist", ["Accessibility", "UX research"], 7500, "worker"),
    ("farid@example.org", "Farid El Amrani", "Mobile developer", ["Kotlin", "Swift"], 8000, None),
]
CLIENTS = [
    ("gemma@example.org", "Gemma Visser", "organisation", "Fietsbieb Utrecht", "client"),
    ("hugo@example.org", "Hugo Smit", "person", "", "client"),
    ("iris@example.org", "Iris de Boer", "organisation", "Stadslab Rotterdam", None),
]
COMMUNITY = [
    ("jan@example.org", "Jan Mulder", "community"),
    ("kim@example.org", "Kim Hoekstra", "community"),
]
JOBS = [
    ("hugo@example.org", "Build a booking page for a bike repair shop",
     "A small Django site where customers book repair slots, with email reminders.",
     ["Python", "Django"], 150000, 300000, True),
    ("gemma@example.org", "Illustrations for our annual report",
     "Six illustrations in our house style for a printed and online annual report.",
     ["Illustration"], 80000, 120000, True),
    ("gemma@example.org", "Accessibility audit of our member portal",
     "WCAG 2.2 AA audit with a prioritised list of fixes.",
     ["Accessibility"], 200000, 350000, True),
    ("iris@example.org", "Translate our website into French",
     "About 12,000 words from Dutch to French, with a glossary.",
     ["Translation"], 90000, 140000, True),
    ("hugo@example.org", "Data pipeline for sensor readings",
     "Nightly import of CSV files into PostgreSQL with checks.",
     ["Data engineering", "SQL"], 250000, 400000, False),
]


class Command(BaseCommand):
    help = "Load demo data: member classes, members, freelancers, clients, jobs and an admin."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            self._seed()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Every demo login uses the password {DEMO_PASSWORD!r}."))

    def _user(self, email: str, name: str, **flags: Any) -> Any:
        from membership.models import User
        from membership.services import user_create

        user = User.objects.filter(email=email).first()
        if user is None:
            user = user_create(email=email, password=DEMO_PASSWORD, display_name=name, **flags)
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _member(self, user: Any, class_slug: str | None, admin: Any) -> None:
        from membership.models import Member, MemberClass
        from membership.services import member_admit, member_apply

        if class_slug is None or Member.objects.filter(user=user).exists():
            return
        member = member_apply(user=user, member_class=MemberClass.objects.get(slug=class_slug), actor=user)
        member_admit(member_id=member.pk, actor=admin)

    def _seed(self) -> None:
        from marketplace.models import Job
        from marketplace.services import client_profile_save, freelancer_profile_save, job_create, skill_get_or_create
        from membership.models import MemberClass

        Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": "127.0.0.1:8000", "name": settings.COOP_NAME})
        for slug, name, price, description in MEMBER_CLASSES:
            MemberClass.objects.get_or_create(
                slug=slug, defaults={"name": name, "share_price_cents": price, "description": description}
            )
        admin = self._user("admin@example.org", "Anna Admin", is_staff=True)
        self._member(admin, "community", admin)
        finance = self._user("finance@example.org", "Femke Finance", is_staff=True)
        self._member(finance, "community", admin)
        for email, name, headline, skills, rate, member_class in FREELANCERS:
            user = self._user(email, name, is_freelancer=True)
            if not hasattr(user, "freelancer_profile"):
                freelancer_profile_save(
                    user=user,
                    headline=headline,
                    bio=f"{name} has worked as a freelancer for years.",
                    skills=[skill_get_or_create(name=s) for s in skills],
                    hourly_rate_cents=rate,
                )
            self._member(user, member_class, admin)
        for email, name, kind, organisation, member_class in CLIENTS:
            user = self._user(email, name, is_client=True)
            if not hasattr(user, "client_profile"):
                client_profile_save(user=user, kind=kind, organisation_name=organisation)
            self._member(user, member_class, admin)
        for email, name, member_class in COMMUNITY:
            self._member(self._user(email, name), member_class, admin)
        from membership.models import User

        for email, title, description, skills, low, high, publish in JOBS:
            client = User.objects.get(email=email)
            if not Job.objects.filter(client=client, title=title).exists():
                job_create(
                    client=client,
                    title=title,
                    description=description,
                    skills=[skill_get_or_create(name=s) for s in skills],
                    budget_min_cents=low,
                    budget_max_cents=high,
                    publish=publish,
                )

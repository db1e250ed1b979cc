"""Demo profiles and jobs."""

from core.demo import demo_user

FREELANCERS = [
    ("ada@example.org", "Django developer", ["Python", "Django", "PostgreSQL"], 8500),
    ("bram@example.org", "Illustrator and brand designer", ["Illustration", "Branding"], 6000),
    ("chloe@example.org", "Translator EN/FR/NL", ["Translation", "Copywriting"], 5500),
    ("dev@example.org", "Data engineer", ["Python", "Data engineering", "SQL"], 9000),
    ("eva@example.org", "Accessibility specialist", ["Accessibility", "UX research"], 7500),
    ("farid@example.org", "Mobile developer", ["Kotlin", "Swift"], 8000),
]
CLIENTS = [
    ("gemma@example.org", "organisation", "Fietsbieb Utrecht"),
    ("hugo@example.org", "person", ""),
    ("iris@example.org", "organisation", "Stadslab Rotterdam"),
]
JOBS = [
    (
        "hugo@example.org",
        "Build a booking page for a bike repair shop",
        "A small Django site where customers book repair slots, with email reminders.",
        ["Python", "Django"],
        150000,
        300000,
        True,
    ),
    (
        "gemma@example.org",
        "Illustrations for our annual report",
        "Six illustrations in our house style for a printed and online annual report.",
        ["Illustration"],
        80000,
        120000,
        True,
    ),
    (
        "gemma@example.org",
        "Accessibility audit of our member portal",
        "WCAG 2.2 AA audit with a prioritised list of fixes.",
        ["Accessibility"],
        200000,
        350000,
        True,
    ),
    (
        "iris@example.org",
        "Translate our website into French",
        "About 12,000 words from Dutch to French, with a glossary.",
        ["Translation"],
        90000,
        140000,
        True,
    ),
    (
        "hugo@example.org",
        "Data pipeline for sensor readings",
        "Nightly import of CSV files into PostgreSQL with checks.",
        ["Data engineering", "SQL"],
        250000,
        400000,
        False,
    ),
]


def seed() -> None:
    from marketplace.models import ClientProfile, FreelancerProfile, Job
    from marketplace.services.jobs import job_create
    from marketplace.services.profiles import client_profile_save, freelancer_profile_save, skill_get_or_create

    for email, headline, skills, rate in FREELANCERS:
        user = demo_user(email)
        if not FreelancerProfile.objects.filter(user=user).exists():
            freelancer_profile_save(
                user=user,
                headline=headline,
                bio=f"{user.display_name} has freelanced for years and likes clear briefs.",
                skills=[skill_get_or_create(name=s) for s in skills],
                hourly_rate_cents=rate,
            )
    for email, kind, organisation in CLIENTS:
        user = demo_user(email)
        if not ClientProfile.objects.filter(user=user).exists():
            client_profile_save(user=user, kind=kind, organisation_name=organisation)
    for email, title, description, skills, low, high, publish in JOBS:
        client = demo_user(email)
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

"""Demo of the members' work rules: project acceptance rules and a minimum rate in force, a job awaiting
the members with its open decision, and a job refused for its sector.

Run after the rest of the marketplace's demo, so the jobs and proposals made before stay as they were
(rules are never retroactive). Idempotent: each part checks whether it exists.
"""

from datetime import timedelta

from django.utils import timezone

from core.demo import demo_user

AWAITING_TITLE = "Website and booking system for the city's libraries"
REFUSED_TITLE = "Campaign visuals for an oil terminal expansion"
ACCEPTANCE_TERMS = {
    "budget_over_cents": 500_000,
    "longer_than_days": 180,
    "client_kinds": [],
    "sectors": ["public"],
    "excluded_sectors": ["arms", "fossil_fuels", "gambling"],
}
MINIMUM_RATES_TERMS = {"hourly_cents": 3000, "fixed_hourly_cents": 2000, "hours_per_day": 4, "skills": []}


def seed() -> None:
    from marketplace.models import Job, WorkPolicy
    from marketplace.services.jobs import job_create
    from marketplace.services.work_rules import work_policy_create

    admin = demo_user("admin@example.org")
    start = timezone.now() - timedelta(days=1)
    for kind, terms in (
        (WorkPolicy.Kind.ACCEPTANCE, ACCEPTANCE_TERMS),
        (WorkPolicy.Kind.MINIMUM_RATES, MINIMUM_RATES_TERMS),
    ):
        if not WorkPolicy.objects.filter(kind=kind).exists():
            work_policy_create(kind=kind, terms=terms, valid_from=start, actor=admin)
    iris, gemma = demo_user("iris@example.org"), demo_user("gemma@example.org")
    if not Job.objects.filter(client=iris, title=AWAITING_TITLE).exists():
        # Above the budget the members' rules name, for the public sector: it waits for their vote.
        job_create(
            client=iris,
            title=AWAITING_TITLE,
            description=(
                "One site for the city's eleven libraries: opening hours, events, and booking study rooms "
                "and laptops, accessible and in Dutch and English."
            ),
            skill_names=["Python", "Django", "Accessibility"],
            budget_min_cents=800_000,
            budget_max_cents=1_200_000,
            pricing_type="fixed",
            sector="public",
            publish=True,
        )
    if not Job.objects.filter(client=gemma, title=REFUSED_TITLE).exists():
        # A sector the members do not work for: refused when published, with the reason.
        job_create(
            client=gemma,
            title=REFUSED_TITLE,
            description="Posters and social media images for the expansion of an oil terminal.",
            skill_names=["Illustration", "Branding"],
            budget_min_cents=150_000,
            budget_max_cents=250_000,
            pricing_type="fixed",
            sector="fossil_fuels",
            publish=True,
        )

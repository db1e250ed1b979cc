"""Marketplace search and list benchmark on PostgreSQL: `python -m benchmarks.bench_marketplace`.

DATABASE_URL points at the server. Creates its own database (coop_bench_marketplace, dropped and
re-created), migrates it, loads 100,000 jobs (the GIN-indexed search vector is filled by the
trigger), then times, in the same run:

- the job search page (/jobs/?q=…) and the search API (/api/jobs/?q=…), full request through Django;
- the job list page (/jobs/) and the list API (/api/jobs/);
- the bare SQL a hand-written implementation would run for the same result (count, one page of 20
  rows ranked by the members' ranking with the weights in force, their skills), straight through
  the database cursor on the same persistent connection.

It prints median and 95th percentile latency of each, and the ratio of Django to bare SQL.
Environment: BENCH_MARKETPLACE_JOBS (default 100000), BENCH_MARKETPLACE_RUNS (default 60).
"""

import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import timedelta

from benchmarks._common import fresh_database, load_average, settle_like_a_worker

BENCH_DB = os.environ.get("BENCH_MARKETPLACE_DB", "coop_bench_marketplace")
JOBS = int(os.environ.get("BENCH_MARKETPLACE_JOBS", "100000"))
RUNS = int(os.environ.get("BENCH_MARKETPLACE_RUNS", "60"))
CHUNK = 5_000
PAGE = 20

SKILLS = [
    "Python", "Django", "PostgreSQL", "Illustration", "Branding", "Translation", "Copywriting", "Accessibility",
    "UX research", "Kotlin", "Swift", "Data engineering", "SQL", "React", "Photography", "Video editing",
    "Bookkeeping", "Legal advice", "Marketing", "SEO", "Project management", "Rust", "Go", "DevOps",
]  # fmt: skip
NOUNS = [
    "website", "booking page", "annual report", "logo", "newsletter", "data pipeline", "mobile app", "audit",
    "dashboard", "webshop", "brochure", "podcast", "survey", "API", "migration", "translation", "campaign",
    "member portal", "invoice tool", "map", "chatbot", "course", "video", "catalogue",
]  # fmt: skip
VERBS = ["Build", "Design", "Translate", "Review", "Improve", "Write", "Test", "Refresh", "Plan", "Migrate"]
FOR = ["a bike repair shop", "a housing cooperative", "a community centre", "a bakery", "a school", "a museum",
       "an energy cooperative", "a food bank", "a theatre", "a football club"]  # fmt: skip
QUERIES = [
    "django", "booking page", "annual report illustration", "accessibility audit", "translate website",
    "python data pipeline", "logo refresh", "newsletter copywriting", "mobile app swift", "webshop seo",
    "energy cooperative dashboard", "museum catalogue", "migrate postgresql", "video course", "food bank survey",
]  # fmt: skip


def _load(jobs: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from marketplace.models import Job, Skill
    from membership.models import User

    rng = random.Random(2026)
    client = User.objects.create_user(email="bench-client@example.org", password=None, display_name="Bench Client")
    skills = [Skill.objects.create(name=name, slug=name.lower().replace(" ", "-")) for name in SKILLS]
    now = timezone.now()
    through = Job.skills.through
    statuses = ["open"] * 8 + ["closed", "draft"]
    start = time.perf_counter()
    for offset in range(0, jobs, CHUNK):
        rows = []
        chosen = []
        for _ in range(min(CHUNK, jobs - offset)):
            picked = rng.sample(skills, rng.randint(1, 3))
            noun = rng.choice(NOUNS)
            low = rng.randrange(20, 400) * 1000
            status = rng.choice(statuses)
            rows.append(
                Job(
                    client=client,
                    title=f"{rng.choice(VERBS)} a {noun} for {rng.choice(FOR)}",
                    description=" ".join(
                        [
                            f"We need help with our {noun}.",
                            f"Experience with {picked[0].name} is a plus.",
                            " ".join(rng.choice(NOUNS) for _ in range(12)),
                        ]
                    ),
                    skill_text=" ".join(sorted(s.name for s in picked)),
                    status=status,
                    pricing_type=rng.choice(["fixed", "fixed", "hourly"]),
                    budget_min_cents=low,
                    budget_max_cents=low + rng.randrange(0, 300) * 1000,
                    remote=rng.random() < 0.7,
                    published_at=None if status == "draft" else now - timedelta(minutes=rng.randrange(0, 90 * 24 * 60)),
                )
            )
            chosen.append(picked)
        created = Job.objects.bulk_create(rows)
        through.objects.bulk_create(
            [
                through(job_id=job.pk, skill_id=skill.pk)
                for job, picked in zip(created, chosen, strict=True)
                for skill in picked
            ]
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE marketplace_job")
        cursor.execute("VACUUM ANALYZE marketplace_job_skills")
    print(f"Loaded {jobs:,} jobs in {time.perf_counter() - start:.1f} s (search vectors by trigger, GIN index)")


# The same result the product gives, written by hand: the members' ranking (relevance, recency and
# rotation with the weights in force, marketplace.selectors.ranking), the relevance written so that
# the text rank is computed once per row (PostgreSQL inlines a LATERAL alias used twice).
BARE_SEARCH = """
SELECT j.id, j.title, j.description, j.status, j.pricing_type, j.budget_min_cents, j.budget_max_cents,
       j.currency, j.remote, j.location, j.published_at, j.client_id, u.display_name, s.score
FROM marketplace_job j
JOIN membership_user u ON u.id = j.client_id
CROSS JOIN (SELECT websearch_to_tsquery('english', %(q)s) || websearch_to_tsquery('dutch', %(q)s)) AS q(query)
CROSS JOIN LATERAL (
  SELECT %(relevance)s * (1 - 0.05 / (ts_rank(j.search_vector, q.query) + 0.05))
       + %(recency)s * CASE WHEN j.published_at >= now() - interval '1 day' THEN 1.0
                            WHEN j.published_at >= now() - interval '7 days' THEN 0.7
                            WHEN j.published_at >= now() - interval '30 days' THEN 0.4 ELSE 0.1 END
       + %(rotation)s * mod(j.id * 7919 + %(day_mix)s, 1000) / 1000.0 AS score
) AS s
WHERE j.status = 'open' AND j.search_vector @@ q.query
ORDER BY s.score DESC, j.published_at DESC, j.id DESC
LIMIT 20
"""
BARE_SEARCH_COUNT = """
SELECT count(*) FROM marketplace_job j
WHERE j.status = 'open'
  AND j.search_vector @@ (websearch_to_tsquery('english', %s) || websearch_to_tsquery('dutch', %s))
"""
BARE_LIST = """
SELECT j.id, j.title, j.description, j.status, j.pricing_type, j.budget_min_cents, j.budget_max_cents,
       j.currency, j.remote, j.location, j.published_at, j.client_id, u.display_name
FROM marketplace_job j JOIN membership_user u ON u.id = j.client_id
WHERE j.status = 'open'
ORDER BY j.published_at DESC, j.id DESC
LIMIT 20
"""
BARE_LIST_COUNT = "SELECT count(*) FROM marketplace_job WHERE status = 'open'"
BARE_SKILLS = """
SELECT js.job_id, s.name FROM marketplace_job_skills js JOIN marketplace_skill s ON s.id = js.skill_id
WHERE js.job_id = ANY(%s)
"""


def _bare(search: bool) -> Callable[[str], object]:
    from django.db import connection
    from django.utils import timezone

    from marketplace.services.work_rules import ranking_weights

    weights, _policy = ranking_weights()
    params: dict[str, object] = {
        "day_mix": timezone.localdate().toordinal() * 104729,
        **{name: float(weights.get(name, 0)) for name in ("relevance", "recency", "rotation")},
    }

    def run(q: str) -> object:
        with connection.cursor() as cursor:
            if search:
                cursor.execute(BARE_SEARCH_COUNT, [q, q])
                cursor.fetchone()
                cursor.execute(BARE_SEARCH, {"q": q, **params})
            else:
                cursor.execute(BARE_LIST_COUNT)
                cursor.fetchone()
                cursor.execute(BARE_LIST)
            ids = [row[0] for row in cursor.fetchall()]
            cursor.execute(BARE_SKILLS, [ids])
            return cursor.fetchall()

    run.weights = params  # type: ignore[attr-defined]
    return run


def _http(path: str, search: bool) -> Callable[[str], object]:
    from django.test import Client

    client = Client()

    def run(q: str) -> object:
        response = client.get(path, {"q": q} if search else {})
        assert response.status_code == 200, response.status_code
        return response

    return run


def _measure(variants: dict[str, Callable[[str], object]], runs: int) -> dict[str, list[float]]:
    """Time every variant once per round, interleaved, so that they share the same load and cache state."""
    for fn in variants.values():
        for q in QUERIES[:3]:
            fn(q)
    times: dict[str, list[float]] = {label: [] for label in variants}
    for i in range(runs):
        q = QUERIES[i % len(QUERIES)]
        for label, fn in variants.items():
            start = time.perf_counter()
            fn(q)
            times[label].append(time.perf_counter() - start)
    return times


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[94]


def main() -> None:
    fresh_database(BENCH_DB, "bench_marketplace")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    _load(JOBS)

    from marketplace.models import Job
    from marketplace.selectors.search import JobSearch, job_search

    open_jobs = Job.objects.filter(status="open").count()
    sample = job_search(JobSearch(q="accessibility audit")).count()
    print(
        f"{open_jobs:,} open jobs; “accessibility audit” matches {sample:,}; {RUNS} runs each, {len(QUERIES)} queries\n"
    )

    # The bare SQL must give the product's result: the same 20 jobs in the same order for every query.
    bare_search = _bare(True)
    for q in QUERIES:
        product = [job.pk for job in job_search(JobSearch(q=q))[:PAGE]]
        bare_search(q)
        from django.db import connection

        with connection.cursor() as cursor:
            weights = bare_search.weights  # type: ignore[attr-defined]
            cursor.execute(BARE_SEARCH, {"q": q, **weights})
            hand = [row[0] for row in cursor.fetchall()]
        assert product == hand, f"bare SQL and product differ for {q!r}: {product} != {hand}"
    print(f"the bare search returns the product's 20 jobs in the product's order for all {len(QUERIES)} queries")

    variants = {
        "search page  /jobs/?q=": _http("/jobs/", True),
        "search API   /api/jobs/?q=": _http("/api/jobs/", True),
        "search bare SQL": _bare(True),
        "list page    /jobs/": _http("/jobs/", False),
        "list API     /api/jobs/": _http("/api/jobs/", False),
        "list bare SQL": _bare(False),
    }
    print(settle_like_a_worker())
    results = _measure(variants, RUNS)
    print(load_average())
    print(f"{'':32}{'median':>12}{'p95':>12}{'ratio to bare SQL (median)':>30}")
    for label, times in results.items():
        bare = results["search bare SQL" if label.startswith("search") else "list bare SQL"]
        ratio = statistics.median(times) / statistics.median(bare)
        print(f"{label:32}{statistics.median(times) * 1000:9.2f} ms{_p95(times) * 1000:9.2f} ms{ratio:27.2f}x")


if __name__ == "__main__":
    main()

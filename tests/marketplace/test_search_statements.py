"""The public search's two plain statements (JobResults, issue 18) find what the ORM's `job_search`
finds: the same jobs, in the same order, with the same count, fields, client and score, for every
filter and sort, a page at a time; and the search page and API go through them on PostgreSQL."""

import itertools
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Job
from marketplace.selectors.search import JOB_ROW_FIELDS, JobResults, JobSearch, job_results, job_search
from tests.services import need_postgres

pytestmark = pytest.mark.django_db

TITLES = [
    ("Build a booking page", ["Django"], "fixed", True),
    ("Illustrate an annual report", ["Illustration"], "fixed", False),
    ("Translate a museum catalogue", ["Translation", "Copywriting"], "hourly", True),
    ("Accessibility audit of a webshop", ["Accessibility"], "fixed", True),
    ("Booking system for a theatre", ["Django", "PostgreSQL"], "hourly", False),
    ("Logo and branding for a bakery", ["Branding"], "fixed", True),
]


@pytest.fixture
def jobs(make_job: Any, hirer: Any) -> list[Job]:
    need_postgres()
    made = []
    now = timezone.now()
    for index in range(24):
        title, skills, pricing, remote = TITLES[index % len(TITLES)]
        low = 20_000 + ((index * 11) % 24) * 10_000
        job = make_job(
            title=f"{title} {index}",
            description=f"We need help: {title.lower()}, for a cooperative.",
            skill_names=skills,
            pricing_type=pricing,
            remote=remote,
            location="" if remote else "Utrecht",
            budget_min_cents=low,
            budget_max_cents=low + (index % 5) * 10_000,
        )
        # Ages across every recency step, and two jobs published at the same moment (the id decides).
        published = now - timedelta(hours=(index * 37) % (60 * 24)) if index != 23 else made[-1].published_at
        Job.objects.filter(pk=job.pk).update(published_at=published)
        made.append(job)
    Job.objects.filter(pk=made[5].pk).update(status=Job.Status.CLOSED)
    return made


SEARCHES = [
    JobSearch(),
    JobSearch(q="booking"),
    JobSearch(q="boeking OR translate"),
    JobSearch(q='"annual report"'),
    JobSearch(q="booking -theatre"),
    JobSearch(q="nothing-matches-this"),
    JobSearch(skill="django"),
    JobSearch(q="booking", skill="postgresql"),
    JobSearch(budget_min_cents=150_000),
    JobSearch(budget_max_cents=100_000, pricing_type="hourly"),
    JobSearch(remote=True),
    JobSearch(remote=False, q="booking"),
    JobSearch(posted_within_days=1),
    JobSearch(posted_within_days=30, q="accessibility"),
    *(JobSearch(sort=sort) for sort in ("newest", "budget_high", "budget_low")),
    *(JobSearch(q="booking", sort=sort) for sort in ("newest", "budget_high", "budget_low")),
]


def _row(job: Job, *, client: bool) -> dict[str, Any]:
    values = {name: getattr(job, name) for name in JOB_ROW_FIELDS}
    if client:
        values["client"] = (job.client.display_name, job.client.email)
    values["rank_score"] = getattr(job, "rank_score", None)
    return values


@pytest.mark.parametrize("search", SEARCHES, ids=lambda search: repr(search.as_params()) or "everything")
def test_the_statements_find_what_the_queryset_finds(jobs: list[Job], search: JobSearch) -> None:
    for with_client in (True, False):
        expected = job_search(search, with_client=with_client)
        results = JobResults(search, with_client=with_client)
        assert results.count() == expected.count()
        # Page by page, five at a time, and the whole list at once.
        for start in (0, 5, 10, 100):
            got = [_row(job, client=with_client) for job in results[start : start + 5]]
            assert got == [_row(job, client=with_client) for job in expected[start : start + 5]], start
        assert [job.pk for job in results[0:None]] == [job.pk for job in expected]
    # The search page's rows (no models) carry the same values.
    rows = JobResults(search, with_client=False, models=False)[0:100]
    assert [_row(row, client=False) for row in rows] == [
        _row(job, client=False) for job in job_search(search, with_client=False)[:100]
    ]


def test_there_is_something_to_compare(jobs: list[Job]) -> None:
    # The matrix above means something only if its searches find jobs, in more than one order.
    counts = {repr(search): JobResults(search).count() for search in SEARCHES}
    assert sum(1 for count in counts.values() if count > 1) >= 12
    for searches in (SEARCHES[-6:-3], SEARCHES[-3:]):
        assert len({tuple(job.pk for job in JobResults(search)[0:30]) for search in searches}) == 3


def test_the_search_page_and_api_use_the_statements(jobs: list[Job], client: Any) -> None:
    assert isinstance(job_results(JobSearch(q="booking")), JobResults)
    # Count, page and skills: three statements, whatever the search (the ranking's weights are cached).
    for params in ({}, {"q": "booking"}, {"q": "booking", "skill": "django", "sort": "newest"}):
        for url in (reverse("marketplace:job-list"), reverse("api-job-search")):
            client.get(url, params)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url, params).status_code == 200
            counted = [query["sql"] for query in ctx.captured_queries if "marketplace_job" in query["sql"]]
            assert len(counted) == 3, (url, params, counted)


def test_a_page_past_the_end_and_slices_are_refused_or_empty(jobs: list[Job]) -> None:
    results = JobResults(JobSearch(q="booking"))
    assert results[1000:1020] == []
    assert results[3:3] == []
    with pytest.raises(TypeError):
        results[3]  # type: ignore[index]
    assert list(itertools.islice((job.pk for job in results[0:2]), 2)) == [job.pk for job in results[0:2]]

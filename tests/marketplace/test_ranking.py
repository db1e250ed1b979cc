"""How results are ordered, as data: the page shows the weights in force, and a passed change reorders search."""

import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Job
from marketplace.selectors.ranking import FACTORS_FOR_JOBS, attach_job_why
from marketplace.selectors.search import JobSearch, job_search
from marketplace.services.work_rules import DEFAULT_RANKING, RANKING_FACTORS
from marketplace.work_decisions import RANKING_WEIGHTS_KEY
from membership.models import Member
from tests.marketplace.work_rules_helpers import decide, starts_now

pytestmark = pytest.mark.django_db

# The members stop the rotation: newest first, whatever the words.
NEWEST_FIRST = dict.fromkeys(RANKING_FACTORS, 0) | {"recency": 100}
# How many days on from the seeding the test looks for a day that seeds the rotation its way: the
# day's offset moves by 729 of 1000 a day, so 1000 days see every offset.
DAYS = 1000
# The word the demo's three open jobs share.
WORDS = "our"


@contextmanager
def frozen(moment: datetime) -> Iterator[None]:
    """The project's way of fixing the clock (see test_activity_check_and_hours_basis)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def searched() -> list[Any]:
    """The demo search's results, in order, each with its factors' values (`rk_<factor>`) as the
    "why this position" line reads them."""
    return attach_job_why(job_search(JobSearch(q=WORDS)))


def predicted(rows: list[Any], weights: dict[str, int]) -> list[int]:
    """The order the search must give under `weights`: each row's factors times the weights, highest
    first; equal scores newest first (then the higher id), as the search breaks ties."""

    def score(row: Any) -> float:
        # Rounded: a factor the search leaves out of its columns is worked out back from the score.
        return round(sum(weights[name] * float(getattr(row, f"rk_{name}")) for name in FACTORS_FOR_JOBS), 6)

    ordered = sorted(rows, key=lambda row: (-score(row), -row.published_at.timestamp(), -row.pk))
    return [row.pk for row in ordered]


def test_the_ranking_page_lists_the_factors_and_the_founding_weights(client: Any) -> None:
    page = client.get(reverse("marketplace:ranking")).content.decode()
    for label, weight in (("Text relevance", 60), ("Recency", 25), ("Rotation", 5), ("Member status", 0)):
        assert f'<th scope="row">{label}</th><td class="num" data-label="Weight">{weight}</td>' in page
    assert "the founding weights" in page
    assert "gender, age, nationality, ethnicity, religion or disability" in page


def test_the_ranking_page_is_in_dutch_too(client: Any) -> None:
    page = client.get(reverse("marketplace:ranking"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Hoe resultaten geordend worden" in page and "Tekstrelevantie" in page


def test_a_passed_weight_change_reorders_the_demo_search_as_predicted(client: Any) -> None:
    # The clock stands still while the demo is seeded: its jobs are published at the same moment.
    seeded = timezone.now()
    with frozen(seeded):
        call_command("seed_demo", stdout=io.StringIO())
    # The rotation is drawn per day from each job's id, and ids depend on what ran before in the
    # database: the clock is set to the first day, from the seeding on, on which stopping the
    # rotation changes the order, so the test always shows a change. Every order is the search's own.
    for days in range(DAYS):
        day = seeded + timedelta(days=days)
        with frozen(day):
            rows = searched()
        if predicted(rows, NEWEST_FIRST) != [row.pk for row in rows]:
            break
    else:
        pytest.fail(f"stopping the rotation changes the order on none of {DAYS} days")
    before = [row.pk for row in rows]
    assert len(before) == 3, "the demo's three open jobs match"
    # The founding weights and the factors' values account for the order before the change.
    assert before == predicted(rows, DEFAULT_RANKING)

    with frozen(day):
        members = list(Member.objects.filter(status=Member.Status.ACTIVE).select_related("user"))
        decision = decide(RANKING_WEIGHTS_KEY, {"terms": NEWEST_FIRST, "valid_from": starts_now()}, members)
        after = [row.pk for row in searched()]
        page = client.get(reverse("marketplace:job-list"), {"q": WORDS}).content.decode()
        ranking = client.get(reverse("marketplace:ranking")).content.decode()

    assert after == predicted(rows, NEWEST_FIRST)
    assert after != before
    jobs = Job.objects.in_bulk(after)
    titles = [page.index(jobs[pk].title) for pk in after]
    assert titles == sorted(titles), "the job list shows the new order"
    lines = [line for line in page.splitlines() if "why-position" in line]
    assert len(lines) == 3 and all("Recency 100 of 100" in line and "Rotation" not in line for line in lines), lines
    assert '<th scope="row">Recency</th><td class="num" data-label="Weight">100</td>' in ranking
    assert '<th scope="row">Rotation</th><td class="num" data-label="Weight">0</td>' in ranking
    assert f"Set by the members' decision {decision.pk}" in ranking

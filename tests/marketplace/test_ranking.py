"""How results are ordered, as data: the page shows the weights in force, and a passed change reorders search."""

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Job
from marketplace.selectors.ranking import ROTATION_MODULUS
from marketplace.selectors.search import JobSearch, job_search
from marketplace.work_decisions import RANKING_WEIGHTS_KEY
from membership.models import Member
from tests.marketplace.work_rules_helpers import decide, starts_now

pytestmark = pytest.mark.django_db

ROTATION_ONLY = {"relevance": 0, "recency": 0, "rating": 0, "completed": 0, "member": 0, "rotation": 100}


def rotation(job_id: int) -> int:
    """The day's turn of a job, as the ranking computes it in SQL."""
    day = timezone.localdate().toordinal()
    return (job_id * 7919 + day * 104729) % ROTATION_MODULUS


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
    call_command("seed_demo", stdout=io.StringIO())
    search = JobSearch(q="booking or report or newsletter")
    before = [job.pk for job in job_search(search)]
    assert len(before) == 3, "the demo's three open jobs match"
    members = list(Member.objects.filter(status=Member.Status.ACTIVE).select_related("user"))
    decision = decide(RANKING_WEIGHTS_KEY, {"terms": ROTATION_ONLY, "valid_from": starts_now()}, members)
    jobs = Job.objects.in_bulk(before)
    predicted = sorted(before, key=lambda pk: (-rotation(pk), -jobs[pk].published_at.timestamp(), -pk))
    after = [job.pk for job in job_search(search)]
    # Text and recency no longer count: the day's rotation alone orders the results.
    assert after == predicted
    page = client.get(reverse("marketplace:job-list"), {"q": "booking or report or newsletter"}).content.decode()
    first = jobs[predicted[0]]
    assert page.index(first.title) < page.index(jobs[predicted[-1]].title)
    lines = [line for line in page.splitlines() if "why-position" in line]
    assert f"Rotation {round(rotation(first.pk) / 10)} of 100" in lines[0], lines
    ranking = client.get(reverse("marketplace:ranking")).content.decode()
    assert '<th scope="row">Rotation</th><td class="num" data-label="Weight">100</td>' in ranking
    assert f"Set by the members' decision {decision.pk}" in ranking

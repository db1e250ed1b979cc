"""Job search: filters everywhere; on PostgreSQL full-text matching with stemming, ranking and a GIN index."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection

from marketplace.models import Job
from marketplace.selectors.search import JobSearch, job_search
from tests.services import need_postgres

pytestmark = pytest.mark.django_db


def _titles(**params: Any) -> list[str]:
    return [job.title for job in job_search(JobSearch.from_params(params))]


def test_filters_by_skill_budget_type_remote_and_age(make_job: Any) -> None:
    make_job(title="Django shop", budget_min_cents=100_000, budget_max_cents=200_000)
    make_job(title="Logo", skill_names=["Branding"], budget_min_cents=10_000, budget_max_cents=20_000)
    make_job(title="Hourly help", pricing_type="hourly", remote=False, budget_min_cents=4_000, budget_max_cents=6_000)
    old = make_job(title="Old job")
    Job.objects.filter(pk=old.pk).update(published_at=old.published_at - timedelta(days=40))
    assert _titles(skill="branding") == ["Logo"]
    assert set(_titles(budget_min_cents=150_001)) == {"Django shop"}
    assert _titles(pricing_type="hourly") == ["Hourly help"]
    assert "Hourly help" not in _titles(remote="true")
    assert "Old job" not in _titles(posted_within_days=30)
    assert _titles(sort="budget_low")[0] == "Hourly help"


def test_search_ignores_nonsense_parameters(make_job: Any) -> None:
    make_job()
    assert JobSearch.from_params({"sort": "drop table", "posted_within_days": "-3", "remote": "maybe"}) == JobSearch()


def test_full_text_search_stems_ranks_and_uses_the_gin_index(make_job: Any) -> None:
    need_postgres()
    make_job(title="Annual report", description="We need illustrations for the annual report.")
    make_job(title="Illustrations for a children's book", description="Twelve illustrated pages.")
    make_job(title="Bookkeeping", description="Monthly books.")
    # "illustration" finds "illustrations" (stemming); the title match ranks first.
    assert _titles(q="illustration") == ["Illustrations for a children's book", "Annual report"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'marketplace_job_search_vector_gin'")
        assert "gin (search_vector)" in cursor.fetchone()[0]


def test_full_text_search_stems_dutch_as_well_as_english(make_job: Any) -> None:
    need_postgres()
    make_job(title="Ontwikkelaars gezocht", description="Voor onze webwinkels zoeken wij een ontwikkelaar.")
    make_job(title="Developers wanted", description="We are looking for developers for our web shops.")
    make_job(title="Boekhouding", description="Maandelijkse boekhouding voor een kleine winkel.")
    # Dutch plurals and singulars meet through the Dutch stemmer, English ones through the English.
    assert _titles(q="ontwikkelaar webwinkel") == ["Ontwikkelaars gezocht"]
    assert _titles(q="developer") == ["Developers wanted"]
    assert _titles(q="boekhoudingen") == ["Boekhouding"]
    # Both languages at once, in the search syntax people type: quotes, or, minus.
    assert set(_titles(q="ontwikkelaars or developers")) == {"Ontwikkelaars gezocht", "Developers wanted"}
    assert _titles(q='"web shops" -ontwikkelaar') == ["Developers wanted"]

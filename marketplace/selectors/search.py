"""Job search: PostgreSQL full-text search with ranking, or a plain substring match on SQLite."""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from marketplace.models import Job, Skill
from marketplace.selectors.ranking import rank_jobs

# The text search configurations: the coop works in English and Dutch, so the trigger (migration
# 0009) indexes every job as both stem it, and a query matches as either language reads it.
SEARCH_CONFIGS = ("english", "dutch")
SORTS = ("relevance", "newest", "budget_high", "budget_low")
POSTED_WITHIN_DAYS = (1, 3, 7, 14, 30)


def _int(value: Any) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def _bool(value: Any) -> bool | None:
    if value in (True, "true", "1", "on", "yes"):
        return True
    if value in (False, "false", "0", "no"):
        return False
    return None


@dataclass(frozen=True)
class JobSearch:
    q: str = ""
    skill: str = ""
    budget_min_cents: int | None = None
    budget_max_cents: int | None = None
    pricing_type: str = ""
    remote: bool | None = None
    posted_within_days: int | None = None
    sort: str = "relevance"

    @classmethod
    def from_params(cls, params: Any) -> JobSearch:
        """Build a search from query parameters; values that make no sense are left out."""
        pricing = str(params.get("pricing_type") or "")
        sort = str(params.get("sort") or "relevance")
        within = _int(params.get("posted_within_days"))
        return cls(
            q=str(params.get("q") or "").strip()[:200],
            skill=str(params.get("skill") or "").strip()[:50],
            budget_min_cents=_int(params.get("budget_min_cents")),
            budget_max_cents=_int(params.get("budget_max_cents")),
            pricing_type=pricing if pricing in Job.PricingType.values else "",
            remote=_bool(params.get("remote")),
            posted_within_days=within if within in POSTED_WITHIN_DAYS else None,
            sort=sort if sort in SORTS else "relevance",
        )

    def as_params(self) -> dict[str, Any]:
        """Return the non-empty parameters, for a URL or a saved search."""
        return {k: v for k, v in asdict(self).items() if v not in ("", None) and not (k == "sort" and v == "relevance")}


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


# What a result shows, on the page and in the API (JobOut), and nothing else: not the search index,
# the description's skills copy, the client's profile or anything secret of the client (issue 18).
JOB_ROW_FIELDS = (
    "id", "title", "description", "status", "pricing_type", "budget_min_cents", "budget_max_cents", "currency",
    "remote", "location", "deadline", "hires_wanted", "sector", "members_decision_id", "published_at",
    "client_id",
)  # fmt: skip
# The client's name, which the API's rows show and the page's do not.
CLIENT_FIELDS = ("client__display_name", "client__email")


def job_search(search: JobSearch, *, with_client: bool = True) -> QuerySet[Job]:
    """Return open jobs matching the search, sorted as asked, with what a result row shows.

    `with_client=False` leaves out the client's name, for the search page, which does not show it.
    """
    jobs = Job.objects.filter(status=Job.Status.OPEN)
    text_rank = None
    if search.q:
        if uses_full_text():
            readings = [SearchQuery(search.q, search_type="websearch", config=config) for config in SEARCH_CONFIGS]
            query = functools.reduce(operator.or_, readings)
            jobs = jobs.filter(search_vector=query)
            text_rank = SearchRank(F("search_vector"), query)
        else:
            for word in search.q.split()[:10]:
                jobs = jobs.filter(
                    Q(title__icontains=word) | Q(description__icontains=word) | Q(skill_text__icontains=word)
                )
    if search.skill:
        jobs = jobs.filter(skills__slug=search.skill)
    if search.budget_min_cents is not None:
        jobs = jobs.filter(budget_max_cents__gte=search.budget_min_cents)
    if search.budget_max_cents is not None:
        jobs = jobs.filter(budget_min_cents__lte=search.budget_max_cents)
    if search.pricing_type:
        jobs = jobs.filter(pricing_type=search.pricing_type)
    if search.remote is not None:
        jobs = jobs.filter(remote=search.remote)
    if search.posted_within_days:
        jobs = jobs.filter(published_at__gte=timezone.now() - timedelta(days=search.posted_within_days))
    order = {
        "newest": ["-published_at", "-id"],
        "budget_high": ["-budget_max_cents", "-id"],
        "budget_low": ["budget_min_cents", "-id"],
    }.get(search.sort)
    if order is None and search.q:
        # Words searched for: the members' ranking (marketplace.selectors.ranking) orders the results.
        jobs = rank_jobs(jobs, text_rank=text_rank)
        order = ["-rank_score", "-published_at", "-id"]
    elif order is None:
        order = ["-published_at", "-id"]
    if with_client:
        return jobs.select_related("client").only(*JOB_ROW_FIELDS, *CLIENT_FIELDS).order_by(*order)
    return jobs.only(*JOB_ROW_FIELDS).order_by(*order)


@functools.cache
def _skills_sql() -> str:
    """The page's skills in one plain statement, its table and column names read from the models."""
    quote = connection.ops.quote_name
    through, skill = Job.skills.through._meta, Skill._meta
    pairs, skills = quote(through.db_table), quote(skill.db_table)
    job_id, skill_id = (quote(through.get_field(name).column) for name in ("job", "skill"))
    # Only quoted names from the models go into the text; the ids are parameters.
    return (
        f"SELECT p.{job_id}, s.id, s.name, s.slug FROM {pairs} p JOIN {skills} s ON s.id = p.{skill_id} "  # noqa: S608
        f"WHERE p.{job_id} IN ({{ids}}) ORDER BY s.name"
    )


def attach_skills(jobs: Iterable[Job]) -> list[Job]:
    """Give a page of jobs their skills (`skill_list`, by name) in one query: the shown page only.

    A plain statement rather than Django's prefetch machinery or a queryset: building those cost
    three times the query itself for 20 rows (issue 18).
    """
    jobs = list(jobs)
    found: dict[int, list[Skill]] = {job.pk: [] for job in jobs}
    if found:
        skills: dict[int, Skill] = {}
        with connection.cursor() as cursor:
            cursor.execute(_skills_sql().format(ids=", ".join(["%s"] * len(found))), list(found))
            pairs = cursor.fetchall()
        for job_id, skill_id, name, slug in pairs:
            if skill_id not in skills:
                skills[skill_id] = Skill(id=skill_id, name=name, slug=slug)
            found[job_id].append(skills[skill_id])
    for job in jobs:
        job.skill_list = found[job.pk]  # type: ignore[attr-defined]
    return jobs


def job_skills(job: Job) -> list[Skill]:
    """A job's skills: the list `attach_skills` gave it, or else from the database."""
    fetched = getattr(job, "skill_list", None)
    return list(job.skills.all()) if fetched is None else fetched

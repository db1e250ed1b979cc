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
from marketplace.selectors.ranking import (
    FACTORS_FOR_JOBS,
    RELEVANCE_SQL,
    counted_weights,
    rank_jobs,
    recency_sql,
    rotation_sql,
    weighted_sum_sql,
)
from marketplace.services.work_rules import ranking_weights
from membership.models import User

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


# The same search as `job_search`, written out as two plain statements for PostgreSQL (`JobResults`).
_ORDER_SQL = {
    "newest": "j.{published} DESC, j.{id} DESC",
    "budget_high": "j.{budget_max} DESC, j.{id} DESC",
    "budget_low": "j.{budget_min} ASC, j.{id} DESC",
    "ranked": "rank_score DESC, j.{published} DESC, j.{id} DESC",
}


@functools.cache
def _names() -> dict[str, Any]:
    """Quoted table and column names, read from the models, and the columns a result row selects in the
    model's field order (what `Model.from_db` reads)."""
    quote = connection.ops.quote_name
    job, pairs, skill = Job._meta, Job.skills.through._meta, Skill._meta
    row_fields = [field for field in job.concrete_fields if field.attname in JOB_ROW_FIELDS]
    columns = {field.name: quote(field.column) for field in job.concrete_fields}
    client_names = {name.removeprefix("client__") for name in CLIENT_FIELDS}
    client_fields = [field for field in User._meta.concrete_fields if field.name in client_names]
    return {
        "job": quote(job.db_table),
        "user": quote(User._meta.db_table),
        "pairs": quote(pairs.db_table),
        "skill": quote(skill.db_table),
        "pair_job": quote(pairs.get_field("job").column),
        "pair_skill": quote(pairs.get_field("skill").column),
        "row_fields": [field.attname for field in row_fields],
        "row_columns": ", ".join(f"j.{quote(field.column)}" for field in row_fields),
        "client_fields": [field.attname for field in client_fields],
        "client_columns": ", ".join(f"u.{quote(field.column)}" for field in client_fields),
        "orders": {
            sort: text.format(
                id=columns["id"],
                published=columns["published_at"],
                budget_max=columns["budget_max_cents"],
                budget_min=columns["budget_min_cents"],
            )
            for sort, text in _ORDER_SQL.items()
        },
        **{name: columns[name] for name in ("id", "status", "search_vector", "client")},
        **{name: columns[name] for name in ("budget_min_cents", "budget_max_cents", "pricing_type", "remote")},
        "published_at": columns["published_at"],
    }


class JobRow:
    """A search page's result: a job's shown columns as attributes, with `pk`, and no model behind it.

    The page only reads them; making 20 Job instances through the model's constructor cost a tenth
    of the page's own time (issue 18). The API's rows stay Job instances (its serializer's).
    """

    id: int

    @property
    def pk(self) -> int:
        return self.id

    @classmethod
    def of(cls, names: list[str], values: tuple[Any, ...]) -> JobRow:
        row = cls.__new__(cls)
        row.__dict__.update(zip(names, values, strict=True))
        return row


class JobResults:
    """What `job_search` finds, for a page of results on PostgreSQL: counted and fetched a page at a time
    by two plain statements, which a Paginator slices like a queryset.

    Building, copying and compiling the ORM's queryset for the count and again for the page cost more
    than a search's own work for the database (issue 18). The statements are the queryset's, clause for
    clause: tests/marketplace/test_search_statements.py checks they find the same jobs in the same
    order for every filter and sort, and the ranking's SQL is the ranking module's.
    """

    ordered = True

    def __init__(self, search: JobSearch, *, with_client: bool = True, models: bool = True) -> None:
        self.search = search
        self.with_client = with_client
        self.models = models or with_client
        names = _names()
        self.joins: list[str] = []
        self.join_params: list[Any] = []
        where, params = [f"j.{names['status']} = %s"], [Job.Status.OPEN.value]
        if search.q:
            readings = " || ".join("websearch_to_tsquery(%s::regconfig, %s)" for _config in SEARCH_CONFIGS)
            self.joins.append(f"CROSS JOIN (SELECT {readings}) AS q(query)")
            self.join_params = [value for config in SEARCH_CONFIGS for value in (config, search.q)]
            where.append(f"j.{names['search_vector']} @@ q.query")
        if search.skill:
            where.append(
                f"EXISTS (SELECT 1 FROM {names['pairs']} p "  # noqa: S608 (quoted names from the models)
                f"JOIN {names['skill']} s ON s.id = p.{names['pair_skill']} "
                f"WHERE p.{names['pair_job']} = j.{names['id']} AND s.slug = %s)"
            )
            params.append(search.skill)
        for value, column, operator_ in (
            (search.budget_min_cents, "budget_max_cents", ">="),
            (search.budget_max_cents, "budget_min_cents", "<="),
            (search.pricing_type or None, "pricing_type", "="),
            (search.remote, "remote", "="),
        ):
            if value is not None:
                where.append(f"j.{names[column]} {operator_} %s")
                params.append(value)
        if search.posted_within_days:
            since = timezone.now() - timedelta(days=search.posted_within_days)
            where.append(f"j.{names['published_at']} >= %s")
            params.append(connection.ops.adapt_datetimefield_value(since))
        self.where = " AND ".join(where)
        self.where_params = params
        self.ranked = search.sort == "relevance" and bool(search.q)
        self._count: int | None = None

    def _from(self, *, client: bool = False) -> str:
        names = _names()
        joins = [f"JOIN {names['user']} u ON u.id = j.{names['client']}"] if client else []
        return " ".join([f"FROM {names['job']} j", *joins, *self.joins])

    def count(self) -> int:
        if self._count is None:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT COUNT(*) {self._from()} WHERE {self.where}",
                    [*self.join_params, *self.where_params],
                )
                self._count = cursor.fetchone()[0]
        return self._count

    def _score(self) -> tuple[str, list[Any]]:
        """The members' ranking (marketplace.selectors.ranking), as `rank_jobs` writes it."""
        names = _names()
        weights, _policy = ranking_weights()
        factors = {
            "relevance": (RELEVANCE_SQL % f"ts_rank(j.{names['search_vector']}, q.query)", []),
            "recency": recency_sql(f"j.{names['published_at']}", [], connection),
            "rotation": rotation_sql(f"j.{names['id']}", [], connection),
        }
        counted = counted_weights(weights, FACTORS_FOR_JOBS)
        return weighted_sum_sql([(*factors[name], weight) for name, weight in counted])

    def __getitem__(self, key: slice) -> list[Any]:
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("JobResults are read a page at a time, by a slice")
        start = key.start or 0
        if key.stop is not None and key.stop <= start:
            return []
        names = _names()
        client = self.with_client
        columns = names["row_columns"] + (f", {names['client_columns']}" if client else "")
        select_params: list[Any] = []
        if self.ranked:
            score, select_params = self._score()
            columns += f", {score} AS rank_score"
        sort = self.search.sort if self.search.sort in SORTS[1:] else "newest"
        order = names["orders"]["ranked" if self.ranked else sort]
        limit = "" if key.stop is None else f" LIMIT {int(key.stop) - int(start)}"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns} {self._from(client=client)} WHERE {self.where} ORDER BY {order}{limit} OFFSET %s",
                [*select_params, *self.join_params, *self.where_params, int(start)],
            )
            found = cursor.fetchall()
        return [self._job(row) for row in found]

    def _job(self, row: tuple[Any, ...]) -> Any:
        names = _names()
        fields = names["row_fields"]
        if not self.models:
            shown = JobRow.of(fields, row[: len(fields)])
            if self.ranked:
                shown.rank_score = row[len(fields)]  # type: ignore[attr-defined]
            return shown
        job = Job.from_db(connection.alias, fields, row[: len(fields)])
        rest = row[len(fields) :]
        if self.with_client:
            client_fields = names["client_fields"]
            values = [job.client_id, *rest[: len(client_fields)]]
            client = User.from_db(connection.alias, ["id", *client_fields], values)
            Job.client.field.set_cached_value(job, client)
            rest = rest[len(client_fields) :]
        if self.ranked:
            job.rank_score = rest[0]  # type: ignore[attr-defined]
        return job


def job_results(search: JobSearch, *, with_client: bool = True, models: bool = True) -> JobResults | QuerySet[Job]:
    """A search's results for a page of them: the plain statements on PostgreSQL, else `job_search`.

    `models=False` (without the client) gives JobRows instead of Job instances, for the search page."""
    if uses_full_text():
        return JobResults(search, with_client=with_client, models=models)
    return job_search(search, with_client=with_client)


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


_SKILL_FIELDS = ["id", "name", "slug"]  # in the model's field order, as from_db reads them


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
                # The positional path of a model's constructor: keyword arguments cost twice as much.
                skills[skill_id] = Skill.from_db(connection.alias, _SKILL_FIELDS, (skill_id, name, slug))
            found[job_id].append(skills[skill_id])
    for job in jobs:
        job.skill_list = found[job.pk]  # type: ignore[attr-defined]
    return jobs


def job_skills(job: Job) -> list[Skill]:
    """A job's skills: the list `attach_skills` gave it, or else from the database."""
    fetched = getattr(job, "skill_list", None)
    return list(job.skills.all()) if fetched is None else fetched

"""How results are ordered, as data: each factor a number from 0 to 1, weighted by the members' rules.

The score of a result is the sum over the factors of weight × value, computed in the database (the
expressions below), so a list orders and pages in one query. The weights are the version in force
(marketplace.services.work_rules.ranking_weights); the page "How results are ordered" and the line
"why this position" under each result read the same values.

Never used, by design: gender, age, nationality, ethnicity, religion, disability, health, where a
person lives, their photo or name, and how much they or the client paid the coop. (`NEVER_USED`)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Case, ExpressionWrapper, F, FloatField, Func, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy

from marketplace.services.work_rules import RANKING_FACTORS, ranking_weights

# Each factor: its name and what it measures, shown on the ranking page and in the weights' form.
FACTOR_TEXTS: dict[str, tuple[Any, Any]] = {
    "relevance": (
        gettext_lazy("Text relevance"),
        gettext_lazy(
            "How well the words searched for match: a job's title, description and skills; a freelancer's "
            "headline. Counts only when words are searched for."
        ),
    ),
    "recency": (
        gettext_lazy("Recency"),
        gettext_lazy(
            "Jobs: published in the last day counts fully, the last week 70%, the last month 40%, older 10%. "
            "Freelancers: the same for when they last updated their profile."
        ),
    ),
    "rating": (
        gettext_lazy("Rating"),
        gettext_lazy("Freelancers: the average of their published reviews, out of 5. Not used for jobs."),
    ),
    "completed": (
        gettext_lazy("Completed contracts"),
        gettext_lazy("Freelancers: contracts completed on the platform, counting up to 10. Not used for jobs."),
    ),
    "member": (
        gettext_lazy("Member status"),
        gettext_lazy("Freelancers who are members of the coop. Not used for jobs."),
    ),
    "rotation": (
        gettext_lazy("Rotation"),
        gettext_lazy(
            "A number drawn afresh every day for each result, so that results close to each other take turns "
            "at the top instead of the same people always coming first."
        ),
    ),
}
FACTORS_FOR_JOBS = ("relevance", "recency", "rotation")

NEVER_USED = (
    gettext_lazy("gender, age, nationality, ethnicity, religion or disability"),
    gettext_lazy("health or any other personal circumstance"),
    gettext_lazy("where a person lives, their photo or their name"),
    gettext_lazy("how much anyone paid the coop, and whether they pay for visibility (nobody can)"),
    gettext_lazy("what a person clicked on or viewed before"),
)

ROTATION_MODULUS = 1000


# Recency: within so many days of now, the value; older, RECENCY_OLDER.
RECENCY_STEPS = ((1, 1.0), (7, 0.7), (30, 0.4))
RECENCY_OLDER = 0.1


# One field instance for every factor's type: a Field costs more to make than a factor to compile.
_FLOAT = FloatField()


class _Factor(Func):
    """A factor's value from one column, its SQL written out as one node.

    Django's Case/When and arithmetic trees for the same SQL cost more to build, copy for the count
    and compile than the database takes to evaluate them for a page of results (issue 18).
    """

    output_field = _FLOAT

    def __init__(self, field: str) -> None:
        super().__init__(F(field))

    def column(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return sql, list(params)


class _Recency(_Factor):
    """1.0 for a moment within the last day, 0.7 the last week, 0.4 the last month, else 0.1."""

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        return recency_sql(*self.column(compiler, connection), connection)


def recency_sql(column: str, column_params: list[Any], connection: Any) -> tuple[str, list[Any]]:
    """The recency factor's SQL for a column: the ORM's node and the public search's statement share it."""
    now = timezone.now()
    whens, params = [], []
    for days, value in RECENCY_STEPS:
        whens.append(f"WHEN {column} >= %s THEN {value!r}")
        params += [*column_params, connection.ops.adapt_datetimefield_value(now - timedelta(days=days))]
    return f"CASE {' '.join(whens)} ELSE {RECENCY_OLDER!r} END", params


def _recency(field: str) -> _Recency:
    return _Recency(field)


def recency_value(moment: datetime | None) -> float:
    """What `_recency` gives a row, worked out in Python for the rows shown."""
    now = timezone.now()
    for days, value in RECENCY_STEPS:
        if moment is not None and moment >= now - timedelta(days=days):
            return value
    return RECENCY_OLDER


# Two primes mix the row's id with the day's number: the order of equals changes each day and is the
# same for everyone all day (a page reloaded does not shuffle).
ROTATION_ID_PRIME, ROTATION_DAY_PRIME = 7919, 104729


class _Rotation(_Factor):
    """The row's id mixed with today's number, from 0 up to 1 (`rotation_value` in Python)."""

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        return rotation_sql(*self.column(compiler, connection), connection)


def rotation_sql(column: str, params: list[Any], connection: Any) -> tuple[str, list[Any]]:
    """The rotation factor's SQL for an id column (`rotation_value` in Python)."""
    day = timezone.localdate().toordinal()
    mixed = f"MOD(({column} * {ROTATION_ID_PRIME}) + %s, {ROTATION_MODULUS})"
    as_float = _FLOAT.cast_db_type(connection)
    return f"(CAST({mixed} AS {as_float}) / {float(ROTATION_MODULUS)!r})", [*params, day * ROTATION_DAY_PRIME]


def _rotation() -> _Rotation:
    return _Rotation("id")


def rotation_value(row_id: int) -> float:
    """What `_rotation` gives a row today, worked out in Python for the rows shown."""
    day = timezone.localdate().toordinal()
    return ((row_id * ROTATION_ID_PRIME + day * ROTATION_DAY_PRIME) % ROTATION_MODULUS) / ROTATION_MODULUS


# A job's recency and rotation follow from its row: a search selects only the score, and the "why
# this position" line works these out for the 20 rows shown instead of the database for every match.
JOB_FACTORS_IN_PYTHON: dict[str, Callable[[Any], float]] = {
    "recency": lambda job: recency_value(job.published_at),
    "rotation": lambda job: rotation_value(job.pk),
}


class _WeightedSum(Func):
    """The score: each factor's value times its weight, added up, as one node."""

    output_field = _FLOAT

    def __init__(self, *values: Any, weights: tuple[float, ...]) -> None:
        super().__init__(*values)
        self.weights = weights

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        compiled = [compiler.compile(value) for value in self.source_expressions]
        terms = [(sql, list(params), weight) for (sql, params), weight in zip(compiled, self.weights, strict=True)]
        return weighted_sum_sql(terms)


def weighted_sum_sql(terms: list[tuple[str, list[Any], float]]) -> tuple[str, list[Any]]:
    """The score's SQL from each counted factor's SQL, parameters and weight."""
    params: list[Any] = []
    for _sql, term_params, _weight in terms:
        params += term_params
    return f"({' + '.join(f'({sql} * {weight!r})' for sql, _params, weight in terms) or '0.0'})", params


def counted_weights(weights: dict[str, int], factors: tuple[str, ...]) -> list[tuple[str, float]]:
    """The factors that count in the score (a weight above zero), in the order the score adds them."""
    return [(name, float(weights[name])) for name in RANKING_FACTORS if weights.get(name) and name in factors]


RELEVANCE_SQL = "(1.0 - (0.05 / (%s + 0.05)))"


def _score(values: dict[str, Any], weights: dict[str, int]) -> Any:
    counted = counted_weights(weights, tuple(values))
    return _WeightedSum(*(F(f"rk_{name}") for name, _weight in counted), weights=tuple(w for _name, w in counted))


def _annotate(
    queryset: QuerySet[Any], values: dict[str, Any], weights: dict[str, int], *, unselected: tuple[str, ...] = ()
) -> QuerySet[Any]:
    """Select each factor's value and the score. The `unselected` factors only count in the score: the
    database evaluates them once per row instead of twice, and `attach_why` works their values out."""
    annotated = queryset.alias(**{f"rk_{name}": value for name, value in values.items() if name in unselected})
    annotated = annotated.annotate(**{f"rk_{name}": value for name, value in values.items() if name not in unselected})
    return annotated.annotate(rank_score=_score(values, weights))


def rank_jobs(jobs: QuerySet[Any], *, text_rank: Any = None) -> QuerySet[Any]:
    """Annotate the jobs' factors and score; `text_rank`: the full-text rank of the words searched for.

    The relevance is rank / (rank + 0.05), written 1 - 0.05 / (rank + 0.05) so that the text rank,
    the costliest part of a search, is computed once per matching job.
    """
    weights, _policy = ranking_weights()
    relevance: Any = (
        Func(text_rank, template=RELEVANCE_SQL % "%(expressions)s", output_field=_FLOAT)
        if text_rank is not None
        else Value(1.0, output_field=_FLOAT)
    )
    values = {"relevance": relevance, "recency": _recency("published_at"), "rotation": _rotation()}
    return _annotate(jobs, values, weights, unselected=FACTORS_FOR_JOBS)


def rank_freelancers(profiles: QuerySet[Any], *, words: list[str]) -> QuerySet[Any]:
    """Annotate the profiles' factors and score (the track record annotations must be present)."""
    weights, _policy = ranking_weights()
    relevance: Any = Value(0.0, output_field=FloatField())
    if words:
        # Every listed profile matches every word somewhere; a word in the headline matches best.
        in_headline = Q()
        for word in words:
            in_headline &= Q(headline__icontains=word)
        relevance = Case(When(in_headline, then=Value(1.0)), default=Value(0.5), output_field=FloatField())
    values = {
        "relevance": relevance,
        "recency": _recency("updated_at"),
        "rating": ExpressionWrapper(Coalesce(F("rating_avg"), Value(0.0)) / Value(5.0), output_field=FloatField()),
        "completed": ExpressionWrapper(
            Least(Cast(F("completed_count"), FloatField()), Value(10.0)) / Value(10.0), output_field=FloatField()
        ),
        "member": Case(When(is_member=True, then=Value(1.0)), default=Value(0.0), output_field=FloatField()),
        "rotation": _rotation(),
    }
    return _annotate(profiles, values, weights)


def _derive_missing_factor(
    row: Any, factors: tuple[str, ...], weights: dict[str, int], in_python: dict[str, Callable[[Any], float]]
) -> None:
    """Work out the factors the query left out of its columns (`_annotate`'s `unselected`): those that
    follow from the row in Python, and then the one left (the text relevance) from the score."""
    for name, value_of in in_python.items():
        if name in factors and getattr(row, f"rk_{name}", None) is None:
            setattr(row, f"rk_{name}", value_of(row))
    missing = [name for name in factors if weights.get(name) and getattr(row, f"rk_{name}", None) is None]
    if len(missing) != 1 or getattr(row, "rank_score", None) is None:
        return
    others = sum(
        float(getattr(row, f"rk_{name}")) * weights[name]
        for name in factors
        if weights.get(name) and name not in missing
    )
    setattr(row, f"rk_{missing[0]}", (float(row.rank_score) - others) / weights[missing[0]])


@dataclass(frozen=True)
class FactorPoints:
    name: str
    label: Any
    points: int
    weight: int


def attach_why(
    rows: Any,
    *,
    factors: tuple[str, ...] = RANKING_FACTORS,
    hidden: Any = None,
    in_python: dict[str, Callable[[Any], float]] | None = None,
) -> list[Any]:
    """Give each ranked row `why`: the points each weighted factor gave it (rounded), and `score`.

    `hidden(row)` names factors the viewer may not learn about that person (their member status, if
    private): they still count in the order, but the line does not show them. `in_python`: factors
    the query did not select, worked out from the row.
    """
    weights, _policy = ranking_weights()
    rows = list(rows)
    for row in rows:
        masked = hidden(row) if hidden else ()
        _derive_missing_factor(row, factors, weights, in_python or {})
        row.why = [
            FactorPoints(
                name, FACTOR_TEXTS[name][0], round(float(getattr(row, f"rk_{name}")) * weights[name]), weights[name]
            )
            for name in factors
            if weights.get(name) and getattr(row, f"rk_{name}", None) is not None and name not in masked
        ]
        row.score = round(float(getattr(row, "rank_score", 0) or 0))
    return rows


def attach_job_why(rows: Any) -> list[Any]:
    """`attach_why` for ranked jobs (`rank_jobs`), whose factors the query leaves to this."""
    return attach_why(rows, factors=FACTORS_FOR_JOBS, in_python=JOB_FACTORS_IN_PYTHON)

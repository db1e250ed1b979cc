"""The marketplace's open data: jobs posted and filled per month and category, and rates by skill.

A job's category is each of its skills (a job with two skills counts in both). Numbers come with
the count of distinct people behind them, so the open books can blank the small ones.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from core.money import cents_to_major
from core.open_data import Dataset, DatasetField, Row, quartiles, register_dataset


def _euros(cents: int) -> str:
    # Exact: the amount as a decimal number in text ("1234.50"), never a binary float.
    return str(cents_to_major(cents, "EUR"))


def _jobs_by_category() -> list[Row]:
    from marketplace.models import Contract, Job

    posted: dict[tuple[str, str], set[int]] = defaultdict(set)
    posters: dict[tuple[str, str], set[int]] = defaultdict(set)
    for job_id, client_id, month, skill in (
        Job.objects.exclude(published_at=None)
        .annotate(month=TruncMonth("published_at"))
        .values_list("pk", "client_id", "month", "skills__name")
        .order_by()
    ):
        key = (month.strftime("%Y-%m"), skill or "Uncategorised")
        posted[key].add(job_id)
        posters[key].add(client_id)
    filled: dict[tuple[str, str], set[int]] = defaultdict(set)
    hired: dict[tuple[str, str], set[int]] = defaultdict(set)
    for job_id, freelancer_id, month, skill in (
        Contract.objects.annotate(month=TruncMonth("created_at"))
        .values_list("job_id", "freelancer_id", "month", "job__skills__name")
        .order_by()
    ):
        key = (month.strftime("%Y-%m"), skill or "Uncategorised")
        filled[key].add(job_id)
        hired[key].add(freelancer_id)
    rows = []
    for month, category in sorted(set(posted) | set(filled)):
        key = (month, category)
        counts = [len(posters[key])] + ([len(hired[key])] if filled[key] else [])
        rows.append(
            Row(
                {
                    "month": month,
                    "category": category,
                    "jobs_posted": len(posted[key]),
                    "jobs_filled": len(filled[key]),
                },
                people=min(counts),
            )
        )
    return rows


def _rates_by_skill() -> list[Row]:
    from marketplace.models import FreelancerProfile

    rates: dict[str, list[int]] = defaultdict(list)
    for skill, rate in (
        FreelancerProfile.objects.exclude(hourly_rate_cents=None)
        .exclude(skills=None)
        .values_list("skills__name", "hourly_rate_cents")
        .order_by()
    ):
        rates[skill].append(rate)
    rows = []
    for skill, values in sorted(rates.items()):
        q1, median, q3 = quartiles(values)
        rows.append(
            Row(
                {
                    "skill": skill,
                    "freelancers": len(values),
                    "hourly_rate_q1": _euros(q1),
                    "hourly_rate_median": _euros(median),
                    "hourly_rate_q3": _euros(q3),
                },
                people=len(values),
            )
        )
    return rows


def register() -> None:
    register_dataset(
        Dataset(
            key="jobs-by-category",
            title=_("Jobs posted and filled by month and category"),
            description=_(
                "For each month and skill: the jobs published and the jobs that hired someone. A job with "
                "several skills counts once under each."
            ),
            fields=(
                DatasetField("month", "yearmonth", "The month (YYYY-MM)."),
                DatasetField("category", "string", "The skill the job asked for."),
                DatasetField("jobs_posted", "integer", "Jobs published in the month.", measure=True),
                DatasetField("jobs_filled", "integer", "Jobs with a contract started in the month.", measure=True),
            ),
            build=_jobs_by_category,
            primary_key=("month", "category"),
        )
    )
    register_dataset(
        Dataset(
            key="rates-by-skill",
            title=_("Hourly rates by skill"),
            description=_("The hourly rates freelancers ask, per skill: lower quartile, median and upper quartile."),
            fields=(
                DatasetField("skill", "string", "The skill."),
                DatasetField("freelancers", "integer", "Freelancers with this skill and a rate.", measure=True),
                DatasetField("hourly_rate_q1", "number", "Lower quartile, in euros per hour.", measure=True),
                DatasetField("hourly_rate_median", "number", "Median, in euros per hour.", measure=True),
                DatasetField("hourly_rate_q3", "number", "Upper quartile, in euros per hour.", measure=True),
            ),
            build=_rates_by_skill,
            primary_key=("skill",),
        )
    )

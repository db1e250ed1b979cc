"""Governance's open data: turnout of closed ballots per month, and the bylaws' rule on the books."""

from __future__ import annotations

from collections import defaultdict

from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from core.open_data import BOOKS_NOTHING, Dataset, DatasetField, Row, register_dataset


def books_public_level() -> str:
    """Return what visitors see of the books by the newest general rules (nothing when none)."""
    from governance.models import RuleSet

    level = RuleSet.objects.filter(key="general").order_by("-version").values_list("books_public", flat=True).first()
    return level or BOOKS_NOTHING


def _turnout() -> list[Row]:
    from governance.models import BallotResult

    months: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for month, electorate, voted in (
        BallotResult.objects.annotate(month=TruncMonth("closed_at"))
        .values_list("month", "electorate_size", "turnout")
        .order_by("month")
    ):
        entry = months[month.strftime("%Y-%m")]
        entry[0] += 1
        entry[1] += electorate
        entry[2] += voted
    rows = []
    for month, (ballots, electorate, voted) in sorted(months.items()):
        percent = round(voted * 1000 / electorate) / 10 if electorate else 0
        rows.append(
            Row(
                {
                    "month": month,
                    "ballots_closed": ballots,
                    "eligible_votes": electorate,
                    "votes_cast": voted,
                    "turnout_percent": percent,
                },
                # A month's turnout is built from every vote cast in it: fewer than k voters could be named.
                people=voted,
            )
        )
    return rows


def register() -> None:
    register_dataset(
        Dataset(
            key="governance-turnout",
            title=_("Governance turnout by month"),
            description=_("For each month: the ballots closed, how many members could vote in them and how many did."),
            fields=(
                DatasetField("month", "yearmonth", "The month the ballots closed in (YYYY-MM)."),
                DatasetField("ballots_closed", "integer", "Ballots that closed in the month.", measure=True),
                DatasetField("eligible_votes", "integer", "Sum of the voter rolls of those ballots.", measure=True),
                DatasetField("votes_cast", "integer", "Votes cast in those ballots.", measure=True),
                DatasetField("turnout_percent", "number", "Votes cast as a percent of eligible votes.", measure=True),
            ),
            build=_turnout,
            primary_key=("month",),
        )
    )

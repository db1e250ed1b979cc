"""Membership's open data: active members by class at the end of each year."""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.open_data import Dataset, DatasetField, Row, register_dataset


def _members_by_class() -> list[Row]:
    from membership.models import Member

    # Who was a member on 31 December of each year since the first admission: joined by then and
    # not yet left.
    records = list(
        Member.objects.exclude(joined_at=None).values_list("member_class__slug", "joined_at", "exited_at").order_by()
    )
    if not records:
        return []
    this_year = timezone.localdate().year
    first = min(timezone.localtime(joined).year for _slug, joined, _exit in records)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for year in range(first, this_year + 1):
        for slug, joined, exited in records:
            if timezone.localtime(joined).year <= year and (exited is None or timezone.localtime(exited).year > year):
                counts[(year, slug)] += 1
    return [
        Row({"year": year, "member_class": slug, "members": count}, people=count)
        for (year, slug), count in sorted(counts.items())
    ]


def register() -> None:
    register_dataset(
        Dataset(
            key="membership-by-class",
            title=_("Membership by class"),
            description=_("Members at the end of each year (or today, for this year), per member class."),
            fields=(
                DatasetField("year", "year", "The year; the current year counts members today."),
                DatasetField("member_class", "string", "The member class (worker, client, community...)."),
                DatasetField("members", "integer", "Members of the class.", measure=True),
            ),
            build=_members_by_class,
            primary_key=("year", "member_class"),
        )
    )

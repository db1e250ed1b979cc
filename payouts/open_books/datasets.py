"""The payouts side of the open data: fee income per month, and each payout cycle's surplus by class.

The datasets of the other apps (jobs, rates, membership, turnout) are registered by those apps
with core.open_data; this app publishes them all (services/open_data.py).
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.money import cents_to_major
from core.open_data import Dataset, DatasetField, Row, register_dataset

# A fund is the coop's own money, not a person's: its row is never blanked.
NOT_PERSONAL = 1_000_000


# Every dataset's column descriptions, whichever app registered them: the schemas keep them in
# English, /open-data/ shows them in the reader's language (their Dutch is in this app's catalogue).
COLUMN_TEXTS = (
    gettext_noop("Ballots that closed in the month."),
    gettext_noop("Day after the last day of the period."),
    gettext_noop("Fees earned, in euros."),
    gettext_noop("First day of the cycle's period."),
    gettext_noop("Freelancers with this skill and a rate."),
    gettext_noop("Jobs published in the month."),
    gettext_noop("Jobs with a contract started in the month."),
    gettext_noop("Lower quartile, in euros per hour."),
    gettext_noop("Median, in euros per hour."),
    gettext_noop("Members of the class."),
    gettext_noop("Members who shared in the class."),
    gettext_noop("Sum of the voter rolls of those ballots."),
    gettext_noop("The amount, in euros."),
    gettext_noop("The fund or class; empty for the surplus."),
    gettext_noop("The member class (worker, client, community...)."),
    gettext_noop("The month (YYYY-MM)."),
    gettext_noop("The month the ballots closed in (YYYY-MM)."),
    gettext_noop("The skill the job asked for."),
    gettext_noop("The skill."),
    gettext_noop("The year; the current year counts members today."),
    gettext_noop("Upper quartile, in euros per hour."),
    gettext_noop("Votes cast as a percent of eligible votes."),
    gettext_noop("Votes cast in those ballots."),
    gettext_noop("surplus (the whole), fund, or class (a patronage class)."),
)


def _euros(cents: int) -> str:
    # Exact: the amount as a decimal number in text ("1234.50"), never a binary float.
    return str(cents_to_major(cents, "EUR"))


def _fee_income() -> list[Row]:
    from payouts.models import AccountPurpose, PostingRollup

    amounts: dict[str, int] = defaultdict(int)
    people: dict[str, set[int]] = defaultdict(set)
    # From the monthly totals: each row is one contract's escrow paying fees in a month, and the
    # escrow account names the freelancer it was held for.
    for month, freelancer_id, cents in (
        PostingRollup.objects.filter(
            to_account__purpose=AccountPurpose.FEE_INCOME, kind__in=("escrow_release", "dispute_settle")
        )
        .values_list("month", "from_account__beneficiary_id", "amount_cents")
        .order_by()
    ):
        key = month.strftime("%Y-%m")
        amounts[key] += cents
        if freelancer_id is not None:
            people[key].add(freelancer_id)
    return [
        Row({"month": month, "fee_income_eur": _euros(cents)}, people=len(people[month]))
        for month, cents in sorted(amounts.items())
    ]


def _surplus() -> list[Row]:
    from payouts.cycles.models import CycleFund, CycleStatus, PayoutCycle

    rows = []
    cycles = list(
        PayoutCycle.objects.filter(status__in=(CycleStatus.APPROVED, CycleStatus.PAID)).order_by("period_start")
    )
    fund_totals: dict[tuple[int, str], int] = defaultdict(int)
    for cycle_id, name, cents in CycleFund.objects.filter(cycle__in=cycles).values_list(
        "cycle_id", "name", "amount_cents"
    ):
        fund_totals[(cycle_id, name)] += cents
    for cycle in cycles:
        period = {"period_start": cycle.period_start.isoformat(), "period_end": cycle.period_end.isoformat()}
        rows.append(
            Row(
                {**period, "part": "surplus", "name": "", "amount_eur": _euros(cycle.surplus_cents), "members": None},
                people=NOT_PERSONAL,
            )
        )
        for (cycle_id, name), cents in sorted(fund_totals.items()):
            if cycle_id == cycle.pk:
                rows.append(
                    Row(
                        {**period, "part": "fund", "name": name, "amount_eur": _euros(cents), "members": None},
                        people=NOT_PERSONAL,
                    )
                )
        for pot in cycle.class_pots or []:
            count = int(pot.get("members", 0))
            rows.append(
                Row(
                    {
                        **period,
                        "part": "class",
                        "name": pot["name"],
                        "amount_eur": _euros(int(pot["cents"])),
                        "members": count,
                    },
                    people=count,
                )
            )
    return rows


def register() -> None:
    register_dataset(
        Dataset(
            key="fee-income",
            title=_("Fee income by month"),
            description=_(
                "The marketplace fees the coop earned each month from released milestones and settled disputes."
            ),
            fields=(
                DatasetField("month", "yearmonth", "The month (YYYY-MM)."),
                DatasetField("fee_income_eur", "number", "Fees earned, in euros.", measure=True),
            ),
            build=_fee_income,
            primary_key=("month",),
        )
    )
    register_dataset(
        Dataset(
            key="surplus-distribution",
            title=_("Surplus and its distribution by class"),
            description=_(
                "For each approved payout cycle: the surplus, what went to each fund, and what each "
                "patronage class of members shared."
            ),
            fields=(
                DatasetField("period_start", "date", "First day of the cycle's period."),
                DatasetField("period_end", "date", "Day after the last day of the period."),
                DatasetField("part", "string", "surplus (the whole), fund, or class (a patronage class)."),
                DatasetField("name", "string", "The fund or class; empty for the surplus."),
                DatasetField("amount_eur", "number", "The amount, in euros.", measure=True),
                DatasetField("members", "integer", "Members who shared in the class.", measure=True),
            ),
            build=_surplus,
            primary_key=("period_start", "part", "name"),
        )
    )

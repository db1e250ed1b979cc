"""Time the tally of 100,000 yes/no votes in the database, open and secret.

Run from the repository root: `python -m benchmarks.bench_governance [--votes N] [--repeat R]`, with
DATABASE_URL pointing at PostgreSQL for the figure that matters. It creates a throwaway test
database (test_<name>), fills one ballot with N votes across three member classes, then times the
grouped count and the quorum and threshold decision that closing a ballot runs.
"""

import argparse
import os
import sys
import time
from datetime import date, timedelta

from benchmarks._common import timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coop_platform.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from governance.models import Ballot, BallotPaper, RuleSet, Vote
    from governance.rules_defaults import ensure_founding_rules
    from governance.services.ballots import motion_counts
    from governance.tally import motion_outcome
    from membership.models import Member, MemberClass, User

    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        print(f"{connection.vendor} database {test_db}; {options.votes:,} votes, best and median of {options.repeat}\n")
        ensure_founding_rules()
        classes = [
            MemberClass.objects.create(name=name, slug=name.lower(), share_price_cents=5000)
            for name in ("Worker", "Client", "Community")
        ]
        n = options.votes
        start = time.perf_counter()
        users = User.objects.bulk_create(
            (User(email=f"voter{i}@example.org", password="!") for i in range(n)), batch_size=5000
        )
        if users[0].pk is None:  # backends that do not return keys from bulk inserts
            users = list(User.objects.order_by("pk"))
        members = Member.objects.bulk_create(
            (
                Member(
                    user=user,
                    member_class=classes[i % 3],
                    member_number=i + 1,
                    status=Member.Status.ACTIVE,
                    shares=1,
                    joined_at=timezone.now(),
                )
                for i, user in enumerate(users)
            ),
            batch_size=5000,
        )
        if members[0].pk is None:
            members = list(Member.objects.order_by("pk"))
        now = timezone.now()
        ruleset = RuleSet.objects.get(key="general", version=1)
        open_ballot, secret_ballot = (
            Ballot.objects.create(
                kind="motion",
                ruleset=ruleset,
                secret=secret,
                status="open",
                notice_given_at=now - timedelta(days=8),
                opens_at=now - timedelta(days=1),
                closes_at=now + timedelta(days=6),
                electorate_size=n,
                members_total=n,
            )
            for secret in (False, True)
        )
        choices = ("yes", "yes", "no", "abstain", "yes", "no", "yes")
        Vote.objects.bulk_create(
            (
                Vote(
                    ballot=open_ballot,
                    member=member,
                    member_class_slug=classes[i % 3].slug,
                    choice=choices[i % len(choices)],
                    cast_by_id=member.user_id,
                )
                for i, member in enumerate(members)
            ),
            batch_size=5000,
        )
        BallotPaper.objects.bulk_create(
            (
                BallotPaper(
                    ballot=secret_ballot,
                    choice=choices[i % len(choices)],
                    member_class_slug=classes[i % 3].slug,
                    cast_on=date.today(),
                )
                for i in range(n)
            ),
            batch_size=5000,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"{'set-up (users, members, votes)':<48} {time.perf_counter() - start:9.1f} s\n")

        rule = ruleset.motion_rule()

        def tally(ballot: Ballot) -> object:
            total, by_class = motion_counts(ballot=ballot)
            return motion_outcome(rule, electorate=n, members_total=n, tally=total, by_class=by_class), total

        outcome, total = timed(f"tally {n:,} open votes (named)", options.repeat, lambda: tally(open_ballot))
        timed(f"tally {n:,} secret ballot papers", options.repeat, lambda: tally(secret_ballot))
        print(f"\nresult: {total.as_dict()} -> {outcome.outcome}")
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())

"""Contract page benchmark on PostgreSQL: `python -m benchmarks.bench_pages`.

DATABASE_URL points at the server. Creates its own database (coop_bench_pages, dropped and
re-created), migrates it, and builds through the services a client and a freelancer with 50
contracts between them (each from a job with proposals by other freelancers too), the newest of
which has 100 milestones in every state (funded, delivered with a note, changes asked, released,
waiting for payment, pending) and a thread of 200 messages; a second contract has 10 milestones.

Then, signed in on one persistent database connection (CONN_MAX_AGE), it times the contract page
(/contracts/<id>/, for the client and for the freelancer) next to the contract list page
(/contracts/), interleaved, and prints median and 95th percentile of each, the ratio of the
contract page to the list page (target, issue 18: at most 2x) and the load average. It also
prints the number of queries of each page at 10 and at 100 milestones, which must be equal.
Environment: BENCH_PAGES_RUNS (default 200), BENCH_PAGES_MILESTONES (default 100).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from benchmarks._common import fresh_database, load_average, settle_like_a_worker

if TYPE_CHECKING:
    from marketplace.models import Contract
    from membership.models import User

BENCH_DB = os.environ.get("BENCH_PAGES_DB", "coop_bench_pages")
RUNS = int(os.environ.get("BENCH_PAGES_RUNS", "200"))
MILESTONES = int(os.environ.get("BENCH_PAGES_MILESTONES", "100"))
SMALL = 10
CONTRACTS = 50
MESSAGES = 200
TARGET = 2.0


@dataclass
class World:
    client: User
    freelancer: User
    big: Contract  # MILESTONES milestones and the thread of MESSAGES messages
    small: Contract  # SMALL milestones


def _person(email: str, name: str, *, freelancer: bool = False, roles: tuple[str, ...] = ()) -> User:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group

    from marketplace.services.profiles import client_profile_save, freelancer_profile_save
    from membership.models import User

    user = User.objects.create_user(email=email, password=None, display_name=name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    if freelancer:
        freelancer_profile_save(user=user, headline="Django developer", skill_names=["Django"], hourly_rate_cents=6000)
    else:
        client_profile_save(user=user)
    return user


def _load() -> World:
    from django.db import connection
    from django.utils import timezone

    from marketplace.services.business import business_details_save
    from marketplace.services.fees import fee_policy_create
    from marketplace.services.jobs import job_create
    from marketplace.services.messaging import message_send
    from marketplace.services.milestones import (
        milestone_add,
        milestone_approve,
        milestone_fund,
        milestone_request_changes,
        milestone_submit,
    )
    from marketplace.services.proposals import proposal_accept, proposal_submit
    from payouts.payments import bank_payment_record

    start = time.perf_counter()
    fee_policy_create(percent=Decimal("10"), actor=None, effective_from=timezone.now() - timedelta(days=1))
    client = _person("bench-client@example.org", "Bench Client")
    freelancer = _person("bench-freelancer@example.org", "Bench Freelancer", freelancer=True)
    others = [_person(f"bench-other{n}@example.org", f"Other {n}", freelancer=True) for n in range(3)]
    finance = _person("bench-finance@example.org", "Bench Finance", roles=("finance",))
    # With business details, every released milestone gets its invoices, which the page lists.
    for person, legal_name in ((freelancer, "Ada"), (client, "Hugo")):
        business_details_save(
            actor=person,
            kind="individual",
            legal_name=legal_name,
            street="Damrak 5",
            postal_code="1012 LG",
            city="Amsterdam",
            country="NL",
            vat_scheme="none",
        )

    contracts = []
    for n in range(CONTRACTS):
        job = job_create(
            client=client,
            title=f"Booking page number {n}",
            description="A small Django site where customers book repair slots.",
            budget_min_cents=50_000,
            budget_max_cents=150_000,
            skill_names=["Django"],
            publish=True,
        )
        for other in others:
            proposal_submit(
                job_id=job.pk, freelancer=other, cover_letter="I built three.", amount_cents=90_000, duration_days=10
            )
        proposal = proposal_submit(
            job_id=job.pk,
            freelancer=freelancer,
            cover_letter="I built three booking sites last year.",
            amount_cents=100_000,
            duration_days=14,
            milestone_plan=[{"title": "Design", "amount_cents": 40_000}, {"title": "Build", "amount_cents": 60_000}],
        )
        contracts.append(proposal_accept(proposal_id=proposal.pk, actor=client))

    def fund(milestone_id: int) -> None:
        _milestone, request = milestone_fund(milestone_id=milestone_id, actor=client)
        bank_payment_record(
            reference=request.reference,
            amount_cents=request.amount_cents,
            currency=request.currency,
            received_on=timezone.localdate(),
            actor=finance,
        )

    def grow(contract: Contract, total: int) -> None:
        """Bring the contract to `total` milestones, in turn: released, changes asked, delivered, funded,
        waiting for the client's transfer, pending."""
        for n in range(contract.milestones.count(), total):
            milestone = milestone_add(
                contract_id=contract.pk,
                actor=client,
                title=f"Part {n + 1}",
                amount_cents=10_000 + 100 * n,
                due_date=timezone.localdate() + timedelta(days=n),
            )
            state = n % 6
            if state == 5:
                continue
            if state == 4:
                milestone_fund(milestone_id=milestone.pk, actor=client)
                continue
            fund(milestone.pk)
            if state == 3:
                continue
            milestone_submit(
                milestone_id=milestone.pk, actor=freelancer, message=f"Part {n + 1} is done.\nHave a look."
            )
            if state == 0:
                milestone_approve(milestone_id=milestone.pk, actor=client)
            elif state == 1:
                milestone_request_changes(milestone_id=milestone.pk, actor=client, note="The colours, please.")

    small, big = contracts[-2], contracts[-1]
    grow(small, SMALL)
    grow(big, MILESTONES)
    for n in range(MESSAGES):
        message_send(thread_id=big.thread.pk, sender=freelancer if n % 2 else client, body=f"Message {n}")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"Loaded {CONTRACTS} contracts, {len(others) + 1} proposals a job, {MILESTONES} and {SMALL} milestones, "
        f"{MESSAGES} messages in {time.perf_counter() - start:.1f} s"
    )
    return World(client=client, freelancer=freelancer, big=big, small=small)


def _page(user: User, path: str) -> Callable[[], object]:
    from django.test import Client

    browser = Client()
    browser.force_login(user)

    def run() -> object:
        response = browser.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response

    return run


def _queries(fn: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # the first request fills caches (the navigation, the fee policy); count a settled one
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def _measure(variants: dict[str, Callable[[], object]], runs: int) -> dict[str, list[float]]:
    """Time every variant once per round, interleaved, so that they share the same load and cache state."""
    for fn in variants.values():
        for _ in range(5):
            fn()
    times: dict[str, list[float]] = {label: [] for label in variants}
    for _ in range(runs):
        for label, fn in variants.items():
            start = time.perf_counter()
            fn()
            times[label].append(time.perf_counter() - start)
    return times


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[94]


def main() -> None:
    fresh_database(BENCH_DB, "bench_pages")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    world = _load()
    people = {"client": world.client, "freelancer": world.freelancer}
    detail = reverse("marketplace:contract-detail", args=[world.big.pk])
    detail_small = reverse("marketplace:contract-detail", args=[world.small.pk])
    listing = reverse("marketplace:contract-list")
    print(f"persistent connection: CONN_MAX_AGE={settings.DATABASES['default'].get('CONN_MAX_AGE')}")

    print("\nqueries per page (a settled request)")
    for who, user in people.items():
        at_small = _queries(_page(user, detail_small))
        at_big = _queries(_page(user, detail))
        listed = _queries(_page(user, listing))
        same = "equal" if at_small == at_big else "NOT EQUAL"
        print(
            f"  {who:<11} contract page at {SMALL} milestones {at_small:>3}, at {MILESTONES} milestones "
            f"{at_big:>3} ({same}); contract list page ({CONTRACTS} contracts) {listed:>3}"
        )

    variants = {
        "list page      (client)": _page(world.client, listing),
        "contract page  (client)": _page(world.client, detail),
        "list page      (freelancer)": _page(world.freelancer, listing),
        "contract page  (freelancer)": _page(world.freelancer, detail),
    }
    print(settle_like_a_worker())
    connections_before = connection.connection
    print(f"\n{load_average()} before; {RUNS} runs each, interleaved")
    results = _measure(variants, RUNS)
    print(f"{load_average()} after")
    assert connection.connection is connections_before, "the benchmark must run on one persistent connection"
    print(f"{'':32}{'median':>12}{'p95':>12}")
    for label, times in results.items():
        print(f"{label:32}{statistics.median(times) * 1000:9.2f} ms{_p95(times) * 1000:9.2f} ms")
    print(f"\ncontract page with {MILESTONES} milestones / contract list page (target ≤ {TARGET:.0f}x)")
    for who in people:
        page_times = results[f"contract page  ({who})"]
        list_times = results[f"list page      ({who})"]
        ratio = statistics.median(page_times) / statistics.median(list_times)
        ratio95 = _p95(page_times) / _p95(list_times)
        verdict = "meets" if ratio <= TARGET else "MISSES"
        print(f"  {who:<11} median {ratio:.2f}x, p95 {ratio95:.2f}x: {verdict} the target")


if __name__ == "__main__":
    main()

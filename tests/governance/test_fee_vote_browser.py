"""The journey that shows decisions take effect: members vote the platform fee down from 10% to 8%.

A member proposes the change in Chromium, beat's task opens the ballot on a real worker on the broker,
three members vote and the third vote closes the ballot early (everyone on the roll has voted), the
proposal passes and the worker carries it out, and the next new contract carries 8%.
"""

import time
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from governance.models import Ballot, Execution, Proposal
from tests.factories import MemberClassFactory, MemberFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.services]


def login(page: Any, user: Any) -> None:
    """Give the browser a session for the user, as the login form would."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": page.url or "http://localhost",
            }
        ]
    )


def run_beat_entry(name: str) -> Any:
    """Send the task of a beat schedule entry, as beat does, and wait for the worker's answer."""
    from coop_platform.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE[name]
    return app.send_task(entry["task"], args=entry.get("args", ())).get(timeout=60)


def wait_for(predicate: Any, *, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "the worker did not finish in time"
        time.sleep(0.2)


def test_members_lower_the_fee_and_the_next_contract_carries_it(
    celery_worker_redis: Any, page: Any, live_server: Any
) -> None:
    from marketplace.services.fees import fee_policy_create
    from marketplace.services.jobs import job_create
    from marketplace.services.profiles import client_profile_save, freelancer_profile_save
    from marketplace.services.proposals import proposal_accept, proposal_submit

    fee_policy_create(percent="10", effective_from=timezone.now() - timedelta(days=30), actor=None)
    workers = MemberClassFactory(slug="worker", name="Worker")
    author, second, third = (MemberFactory(member_class=workers) for _ in range(3))

    page.goto(live_server.url + "/")
    login(page, author.user)
    page.goto(live_server.url + "/decisions/new/")
    page.get_by_label("What kind of decision").select_option("marketplace.fee_policy")
    page.get_by_label("Title").fill("Lower the platform fee to 8%")
    page.get_by_label("Motion").fill("Our costs fell; members should keep more of what they earn.")
    effective = timezone.now().isoformat()
    page.get_by_label("Details of the decision").fill(f"percent: 8\nmin_cents: 0\neffective_from: {effective}")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Publish for discussion").click()
    assert page.get_by_test_id("proposal-status").inner_text() == "In discussion"
    proposal = Proposal.objects.get(decision_key="marketplace.fee_policy")

    # The notice period passes: beat's task opens the ballot on the worker and freezes the roll.
    now = timezone.now()
    Ballot.objects.filter(pk=proposal.ballot_id).update(
        notice_given_at=now - timedelta(days=8), opens_at=now - timedelta(seconds=1), closes_at=now + timedelta(days=7)
    )
    assert run_beat_entry("governance-open-due-ballots") == [proposal.ballot_id]

    for member in (author, second):
        login(page, member.user)
        page.goto(live_server.url + proposal.get_absolute_url())
        page.get_by_label("Yes").check()
        page.get_by_role("button", name="Cast my vote").click()
        assert "You voted: Yes." in page.get_by_role("status").last.inner_text()
    assert page.get_by_test_id("turnout").inner_text() == "2 / 3"

    # The last member on the roll votes: the ballot closes at once, counted as at the end of its
    # window, and the worker carries out the decision; beat finds nothing left to close.
    login(page, third.user)
    page.goto(live_server.url + proposal.get_absolute_url())
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Cast my vote").click()
    assert "everyone on the voter roll had voted" in page.get_by_test_id("closed-early").inner_text()
    wait_for(lambda: Execution.objects.filter(proposal=proposal, status=Execution.Status.SUCCEEDED).exists())
    assert run_beat_entry("governance-close-due-ballots") == []

    page.reload()
    assert page.get_by_test_id("proposal-status").inner_text() == "Executed"
    assert page.get_by_test_id("yes-count").inner_text() == "3"
    assert page.get_by_role("heading", name="Effect").is_visible()

    # The next contract accepted now carries the policy the members chose.
    client, freelancer = UserFactory(), UserFactory()
    client_profile_save(user=client)
    freelancer_profile_save(user=freelancer, headline="Illustrator")
    job = job_create(
        client=client,
        title="Poster for the spring fair",
        description="A3 poster.",
        budget_min_cents=20_000,
        budget_max_cents=40_000,
        publish=True,
    )
    offer = proposal_submit(
        job_id=job.pk, freelancer=freelancer, cover_letter="Happy to help.", amount_cents=30_000, duration_days=10
    )
    contract = proposal_accept(proposal_id=offer.pk, actor=client)
    assert contract.fee_percent == Decimal("8.00")

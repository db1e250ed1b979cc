"""The journey that shows decisions take effect: members vote the platform fee down from 10% to 8%.

A member proposes the change in Chromium through the fee form's fields (no text payload), the other
members are told in the app and by email, beat's task opens the ballot on a real worker on the broker,
three members vote and the third vote closes the ballot early (everyone on the roll has voted), the
proposal passes and the worker carries it out; the result page says the new fee in words, and the
first contract accepted once it applies carries 8% and says so.
"""

import time
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from unittest import mock
from urllib.parse import urljoin

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from core.models import Notification
from governance.models import Ballot, Execution, Proposal
from governance.notifications import PROPOSAL_PUBLISHED
from governance.services.rules import ruleset_current
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
                # The site's root, so the session holds on every path (a page's URL would scope it).
                "url": urljoin(page.url, "/") if page.url.startswith("http") else "http://localhost",
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
    # Choosing the kind of decision shows its form (the page's own script submits the choice).
    with page.expect_navigation():
        page.get_by_label("What kind of decision").select_option("marketplace.fee_policy")
    assert page.locator("textarea[name=details]").count() == 0
    page.get_by_label("Title").fill("Lower the platform fee to 8%")
    page.get_by_label("Motion").fill("Our costs fell; members should keep more of what they earn.")
    page.get_by_label("Fee (%)").fill("8")
    page.get_by_label("Minimum fee per contract (€)").fill("0.50")
    rules = ruleset_current(key="general")
    too_early = timezone.localdate() + timedelta(days=rules.notice_days)
    page.get_by_label("New fee applies from").fill(f"{too_early:%d-%m-%Y}")
    page.get_by_role("button", name="Save draft").click()
    assert "the vote cannot close before then" in page.get_by_role("alert").first.inner_text()
    assert not Proposal.objects.exists()
    start = timezone.localdate(timezone.now() + timedelta(days=rules.notice_days + rules.voting_days)) + timedelta(
        days=1
    )
    page.get_by_label("New fee applies from").fill(f"{start:%d-%m-%Y}")
    page.get_by_role("button", name="Save draft").click()
    in_words = f"Platform fee 8% from {date_format(start, 'DATE_FORMAT')}, minimum €0.50"
    assert in_words in page.locator("#motion").inner_text()
    page.get_by_role("button", name="Publish for discussion").click()
    assert page.get_by_test_id("proposal-status").inner_text() == "In discussion"
    proposal = Proposal.objects.get(decision_key="marketplace.fee_policy")

    # The others are told, in the app and by email (sent by the worker through the outbox).
    for member in (second, third):
        notice = Notification.objects.get(user=member.user, kind=PROPOSAL_PUBLISHED)
        assert notice.url.endswith(proposal.get_absolute_url())
    wait_for(lambda: {second.user.email, third.user.email} <= {m.to[0] for m in mail.outbox})
    login(page, second.user)
    page.goto(live_server.url + "/notifications/")
    assert "Lower the platform fee to 8%" in page.locator("main").inner_text()

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
    effect = page.locator("#effect").inner_text()
    assert in_words in effect and "min_cents" not in effect and "None" not in effect

    # The first contract accepted once the new fee applies carries the policy the members chose.
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
    applies = timezone.make_aware(datetime.combine(start, datetime.min.time())) + timedelta(hours=9)
    with mock.patch("django.utils.timezone.now", return_value=applies):
        contract = proposal_accept(proposal_id=offer.pk, actor=client)
    assert contract.fee_percent == Decimal("8.00")
    login(page, client)
    page.goto(live_server.url + reverse("marketplace:contract-detail", args=[contract.pk]))
    fee_box = page.locator(".fee-box").inner_text()
    assert "8% of each payment to the freelancer, at least €0.50." in fee_box
    assert date_format(start, "DATE_FORMAT") in fee_box

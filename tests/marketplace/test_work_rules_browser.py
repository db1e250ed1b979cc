"""The members decide the work, in a real Chromium (issue 16, done-when 1 and 2).

A client posts a job above the members' approval threshold: it waits as "awaiting members" while a
project acceptance vote opens by itself; the members vote it through on the decision page (the last
vote closes the ballot early) and it is published, so a freelancer can propose. A second job in an
excluded sector is refused with the reason. Then the members pass a minimum hourly rate: a freelancer's
proposal below it is refused on the page with the floor shown, and through the API with a stable code.
Screenshots of the pages at 1280 and 375 px in English and Dutch go to /tmp/h3shots/ when it exists.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from governance.models import Proposal
from governance.rules_defaults import ensure_founding_rules
from marketplace.exceptions import ErrorCode
from marketplace.models import Job, WorkPolicy
from marketplace.services.jobs import job_create
from marketplace.services.profiles import client_profile_save, freelancer_profile_save
from marketplace.services.work_rules import work_policy_create
from marketplace.work_decisions import MINIMUM_RATES_KEY
from tests.factories import MemberFactory, UserFactory
from tests.marketplace.test_journey_browser import login_as
from tests.marketplace.work_rules_helpers import open_ballot_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("H3_SHOTS", "/tmp/h3shots"))


def shoot(page: Any, name: str, then: Any = None) -> None:
    """Screenshots at 1280 and 375 px in English and Dutch, when the folder for them exists; `then(page)`
    runs after each load (to submit a form whose refusal is the point of the picture)."""
    if not SHOTS.is_dir():
        return
    url = page.url
    for language in ("en", "nl"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url_base}])
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(url)
            if then is not None:
                then(page)
            page.screenshot(path=str(SHOTS / f"{name}-{language}-{width}.png"), full_page=True)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": page.url_base}])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)


@pytest.fixture
def people(db: Any) -> dict[str, Any]:
    ensure_founding_rules()
    hirer = UserFactory(display_name="Iris Klant")
    client_profile_save(user=hirer, kind="organisation", organisation_name="Stadslab")
    freelancer = UserFactory(display_name="Ada Freelancer")
    freelancer_profile_save(user=freelancer, headline="Django developer", skill_names=["Django"])
    members = [MemberFactory(user__display_name=name) for name in ("Bram", "Chloé", "Dev")]
    return {"client": hirer, "freelancer": freelancer, "members": members}


def propose_low(page: Any) -> None:
    """Fill the proposal form below the floor and send it (by the fields' order, so in either language)."""
    page.locator("#id_cover_letter").fill("I keep booking sites running.")
    page.locator("#id_amount").fill("45")
    page.locator("#id_duration_days").fill("30")
    page.locator("form.card button[type=submit]").click()
    page.locator(".errorlist.nonfield").first.wait_for()


def vote_yes_on_pages(page: Any, proposal: Proposal, members: list[Any]) -> None:
    for member in members:
        login_as(page, member.user)
        page.goto(proposal.get_absolute_url())
        page.get_by_label("Yes").check()
        page.get_by_role("button", name="Cast my vote").click()
        page.get_by_text("Your vote is recorded.").wait_for()


def test_a_large_job_waits_for_the_members_who_vote_it_through_and_a_sector_is_refused(
    page: Any, live_server: Any, people: dict
) -> None:
    page.url_base = live_server.url
    work_policy_create(
        kind=WorkPolicy.Kind.ACCEPTANCE,
        terms={"budget_over_cents": 500_000, "excluded_sectors": ["arms"]},
        valid_from=timezone.now() - timedelta(minutes=1),
        actor=None,
    )
    hirer, freelancer, members = people["client"], people["freelancer"], people["members"]

    login_as(page, hirer)
    page.goto("/jobs/new/")
    assert "Some projects need the members' approval" in page.get_by_test_id("work-rules-note").inner_text()
    page.get_by_label("Title").fill("Website for the city's libraries")
    page.get_by_label("Description").fill("One site for eleven libraries, with room booking.")
    page.get_by_label("Skills").fill("Django")
    page.get_by_label("Budget from (€)").fill("8000")
    page.get_by_label("Budget up to (€)").fill("12000")
    page.get_by_label("Sector").select_option("public")
    page.get_by_role("button", name="Publish job").click()
    page.get_by_test_id("awaiting-members").wait_for()
    assert "needs the members' approval" in page.get_by_role("status").first.inner_text()
    assert page.get_by_test_id("job-status").inner_text() == "Awaiting members"
    job = Job.objects.get(title="Website for the city's libraries")
    assert job.status == Job.Status.AWAITING_MEMBERS
    shoot(page, "job-awaiting-members")

    # The decision opened by itself; the notice period passes and the members vote it through.
    decision = open_ballot_now(job.members_decision_id)
    vote_yes_on_pages(page, decision, members)
    assert "everyone on the voter roll had voted" in page.get_by_test_id("closed-early").inner_text()

    login_as(page, hirer)
    page.goto(f"/jobs/{job.pk}/")
    assert page.get_by_test_id("job-status").inner_text() == "Open"
    assert page.get_by_test_id("awaiting-members").count() == 0

    login_as(page, freelancer)
    page.goto(f"/jobs/{job.pk}/")
    page.get_by_role("link", name="Send a proposal").click()
    page.get_by_label("Cover letter").fill("I built the site of two library networks.")
    page.get_by_label("Price, or hourly rate for hourly jobs (€)").fill("10000")
    page.get_by_label("Estimated duration (days)").fill("60")
    page.get_by_role("button", name="Send proposal").click()
    page.get_by_text("Your proposal is sent.").wait_for()

    # A job in a sector the members exclude is refused at once, with the reason.
    login_as(page, hirer)
    page.goto("/jobs/new/")
    page.get_by_label("Title").fill("Brochure for a weapons fair")
    page.get_by_label("Description").fill("Twelve pages.")
    page.get_by_label("Budget from (€)").fill("500")
    page.get_by_label("Budget up to (€)").fill("900")
    page.get_by_label("Sector").select_option("arms")
    page.get_by_role("button", name="Publish job").click()
    refusal = page.get_by_test_id("job-declined")
    refusal.wait_for()
    assert "The members do not take on work in the sector Arms and defence" in refusal.inner_text()
    assert Job.objects.get(title="Brochure for a weapons fair").status == Job.Status.DECLINED
    shoot(page, "job-refused-sector")


def test_members_pass_a_minimum_rate_and_a_proposal_below_it_is_refused(
    page: Any, live_server: Any, people: dict
) -> None:
    from governance.services.proposals import proposal_create, proposal_publish

    page.url_base = live_server.url
    hirer, freelancer, members = people["client"], people["freelancer"], people["members"]
    job = job_create(
        client=hirer,
        title="Weekly support for our booking site",
        description="A few hours a week.",
        skill_names=["Django"],
        budget_min_cents=4000,
        budget_max_cents=7000,
        pricing_type="hourly",
        publish=True,
    )
    author = members[0].user
    payload = {
        "terms": {"hourly_cents": 5000, "fixed_hourly_cents": 4000, "hours_per_day": 8},
        "valid_from": (timezone.now() - timedelta(minutes=1)).isoformat(),
    }
    decision = proposal_create(
        decision_key=MINIMUM_RATES_KEY, payload=payload, title="A fair minimum", author=author, actor=author
    )
    proposal_publish(proposal_id=decision.pk, actor=author)
    decision = open_ballot_now(decision.pk)
    vote_yes_on_pages(page, decision, members)
    page.reload()
    assert page.get_by_test_id("proposal-status").inner_text() == "Executed"

    login_as(page, freelancer)
    page.goto(f"/jobs/{job.pk}/propose/")
    propose_low(page)
    alert = page.locator(".errorlist.nonfield").first
    alert.wait_for()
    text = alert.inner_text()
    assert "This hourly rate is below the minimum." in text
    assert f"€50.00 an hour (minimum rates, version 1, set by decision {decision.pk})" in text
    shoot(page, "proposal-below-floor", then=propose_low)

    response = page.request.post(
        f"/api/jobs/{job.pk}/propose/",
        data={"cover_letter": "Hi", "amount_cents": 4500, "duration_days": 30},
        headers={"X-CSRFToken": next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")},
    )
    assert response.status == 400
    assert response.json()["code"] == ErrorCode.BELOW_MINIMUM_RATE
    assert response.json()["detail"]["decision_id"] == decision.pk

    page.goto("/ranking/")
    shoot(page, "ranking")
    page.goto("/work-rules/")
    shoot(page, "work-rules")

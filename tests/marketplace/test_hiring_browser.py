"""Hiring like the best marketplaces, in a real Chromium at 1280 and 375 px (issue 14, done-when 1).

A client compares three proposals with ratings and cover letters, makes a counter-offer whose milestone
plan is edited in rows (adding and removing a row, the running total read against the price), the
freelancer agrees, the client hires and the job leaves search. Then the client finds a freelancer in the
directory, invites them to another open job, and that freelancer sees the invitation.
"""

from typing import Any

import pytest
from django.utils import timezone

from marketplace.models import Contract, Invitation, Job, Proposal, Review
from marketplace.services.jobs import job_create
from marketplace.services.profiles import client_profile_save, freelancer_profile_save
from marketplace.services.proposals import proposal_accept, proposal_submit
from tests.factories import UserFactory
from tests.marketplace.test_journey_browser import login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FREELANCERS = [
    ("Bram Beeld", "Illustrator", ["Illustration"], (5, 5, 4), "I drew the annual reports of two housing coops."),
    ("Farid Vorm", "Designer", ["Illustration"], (4, 4, 5), "Flat illustration is my favourite way to explain."),
    ("Eva Toegang", "Accessible design", ["Illustration"], (5, 4, 5), "High-contrast drawings with alt texts."),
]


def _job(
    client: Any, title: str, description: str = "Six illustrations for a printed and online annual report."
) -> Job:
    return job_create(
        client=client,
        title=title,
        description=description,
        skill_names=["Illustration"],
        budget_min_cents=80_000,
        budget_max_cents=120_000,
        publish=True,
    )


def _track_record(person: Any, reviewer: Any, ratings: tuple[int, int, int]) -> None:
    """One completed contract with a revealed review, made directly: the point here is the page, not the path."""
    past = _job(reviewer, f"Earlier work by {person}", "Something done before.")
    proposal = proposal_submit(
        job_id=past.pk, freelancer=person, cover_letter="Earlier.", amount_cents=50_000, duration_days=5
    )
    contract = proposal_accept(proposal_id=proposal.pk, actor=reviewer)
    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.COMPLETED, completed_at=timezone.now())
    Job.objects.filter(pk=past.pk).update(status=Job.Status.CLOSED)
    quality, communication, reliability = ratings
    Review.objects.create(
        contract=contract,
        author=reviewer,
        subject=person,
        side=Review.Side.CLIENT,
        rating_quality=quality,
        rating_communication=communication,
        rating_reliability=reliability,
        text="Good work.",
        revealed_at=timezone.now(),
    )


@pytest.fixture
def market(db: Any) -> dict[str, Any]:
    hirer: Any = UserFactory(display_name="Gemma Klant")
    client_profile_save(user=hirer, kind="organisation", organisation_name="Fietsbieb")
    job = _job(hirer, "Illustrations for our annual report")
    other_job = _job(hirer, "Icons for our website", "Twelve small icons for the pages of our website.")
    people = []
    for name, headline, skills, ratings, letter in FREELANCERS:
        person: Any = UserFactory(display_name=name)
        freelancer_profile_save(user=person, headline=headline, skill_names=skills, hourly_rate_cents=6000)
        _track_record(person, hirer, ratings)
        proposal_submit(job_id=job.pk, freelancer=person, cover_letter=letter, amount_cents=100_000, duration_days=20)
        people.append(person)
    invitee: Any = UserFactory(display_name="Noor Ontwerp")
    freelancer_profile_save(user=invitee, headline="Icon designer", skill_names=["Icon design"], hourly_rate_cents=5000)
    return {"client": hirer, "job": job, "other_job": other_job, "people": people, "invitee": invitee}


@pytest.mark.parametrize("width", [1280, 375])
def test_client_compares_edits_the_plan_in_rows_hires_and_invites(
    page: Any, live_server: Any, market: dict[str, Any], width: int
) -> None:
    page.url_base = live_server.url
    page.set_viewport_size({"width": width, "height": 900})
    hirer, job, bram = market["client"], market["job"], market["people"][0]

    # Three proposals side by side, each with a rating and the first lines of the cover letter.
    login_as(page, hirer)
    page.goto(f"/jobs/{job.pk}/proposals/")
    cards = page.locator(".hire-card")
    assert cards.count() == 3
    for name, _headline, _skills, _ratings, letter in FREELANCERS:
        card = cards.filter(has_text=name)
        assert card.locator(".hire-rating").inner_text().startswith("★ ")
        assert "from 1 review" in card.locator(".hire-rating").inner_text()
        assert letter in card.locator(".hire-letter").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # A counter-offer to Bram, its plan edited in rows: add a row, fill three, remove one.
    page.get_by_role("link", name=f"Open the proposal of {bram}").click()
    page.get_by_text("Make a counter-offer").click()
    page.get_by_label("Price, or hourly rate for hourly jobs (€)").fill("900")
    page.locator("#id_plan-0-title").fill("Sketches")
    page.locator("#id_plan-0-amount").fill("300")
    page.locator("#id_plan-1-title").fill("Spare")
    page.locator("#id_plan-1-amount").fill("50")
    page.get_by_role("button", name="Add a milestone").click()
    page.locator("#id_plan-2-title").fill("Final illustrations")
    page.locator("#id_plan-2-amount").fill("600")
    total = page.locator("[data-plan-total]")
    assert "That is €50.00 more than the price." in total.inner_text()
    assert total.get_attribute("aria-live") == "polite"
    page.get_by_role("button", name="Remove: Milestone 2").click()
    assert "The plan matches the price." in total.inner_text()
    assert page.locator("#id_plan-2-title").is_visible()  # the third row is now "Milestone 2"
    page.get_by_role("button", name="Put these terms on the table").click()
    page.get_by_text("The new terms are on the table.").wait_for()
    proposal = Proposal.objects.get(job=job, freelancer=bram)
    assert [(i["title"], i["amount_cents"]) for i in proposal.milestone_plan] == [
        ("Sketches", 30_000),
        ("Final illustrations", 60_000),
    ]

    # Bram agrees; the client hires, and the job leaves search.
    login_as(page, bram)
    page.goto(f"/proposals/{proposal.pk}/")
    page.get_by_role("button", name="Agree to these terms").click()
    login_as(page, hirer)
    page.goto(f"/proposals/{proposal.pk}/")
    page.get_by_role("button", name="Accept and hire").click()
    page.get_by_text("You hired the freelancer: the contract has started.").wait_for()
    assert [m.title for m in proposal.contract.milestones.order_by("position")] == ["Sketches", "Final illustrations"]
    page.goto("/jobs/?q=annual+report")
    page.get_by_text("No jobs match.").wait_for()

    # The client finds a freelancer in the directory and invites them to the other open job.
    page.goto("/freelancers/?q=icon")
    invitee = market["invitee"]
    page.get_by_role("link", name=f"Invite {invitee} to a job").click()
    page.get_by_label("Which of your open jobs?").select_option(label="Icons for our website")
    page.get_by_label("Message (optional)").fill("Your icons are lovely; would you propose?")
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_text(f"{invitee} is invited to propose on “Icons for our website”.").wait_for()
    assert Invitation.objects.filter(freelancer=invitee).count() == 1

    # The invited freelancer sees the invitation and can propose from it.
    login_as(page, invitee)
    page.goto("/my/invitations/")
    page.get_by_role("link", name="Icons for our website").wait_for()
    page.get_by_text("Your icons are lovely; would you propose?").wait_for()
    page.get_by_role("link", name="Send a proposal").click()
    page.get_by_role("heading", level=1, name="Send a proposal").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= width

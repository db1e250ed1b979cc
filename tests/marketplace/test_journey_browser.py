"""The marketplace journey in a real Chromium: post, find, propose, hire, fund, confirm, deliver, approve, review."""

from typing import Any

import pytest
from django.test import Client

from marketplace.models import Job, Milestone, Proposal
from marketplace.services.profiles import client_profile_save, freelancer_profile_save
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login_as(page: Any, user: Any) -> None:
    """Start a real session for the user and hand its cookie to the browser."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.url_base}])


@pytest.fixture
def people(db: Any) -> dict[str, Any]:
    hirer = UserFactory(display_name="Hugo Client")
    client_profile_save(user=hirer)
    freelancer = UserFactory(display_name="Ada Freelancer")
    freelancer_profile_save(user=freelancer, headline="Django developer", skill_names=["Django"])
    finance = UserFactory(display_name="Femke Finance", is_staff=True, staff_roles=["finance"])
    return {"client": hirer, "freelancer": freelancer, "finance": finance}


def test_client_hires_freelancer_pays_through_escrow_and_both_review(
    page: Any, live_server: Any, people: dict, tmp_path: Any
) -> None:
    page.url_base = live_server.url
    hirer, freelancer, finance = people["client"], people["freelancer"], people["finance"]

    # The client posts a job.
    login_as(page, hirer)
    page.goto("/jobs/new/")
    page.get_by_label("Title").fill("Booking page for a bike repair shop")
    page.get_by_label("Description").fill("Customers book repair slots online and get an email reminder.")
    page.get_by_label("Skills").fill("Django, Python")
    page.get_by_label("Budget from (€)").fill("500")
    page.get_by_label("Budget up to (€)").fill("1500")
    page.get_by_role("button", name="Publish job").click()
    page.get_by_role("heading", level=1, name="Booking page for a bike repair shop").wait_for()
    job = Job.objects.get(title="Booking page for a bike repair shop")
    assert job.status == Job.Status.OPEN

    # The freelancer finds it by search and proposes.
    login_as(page, freelancer)
    page.goto("/jobs/")
    page.get_by_role("textbox", name="Search:", exact=True).fill("bike repair")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("link", name="Booking page for a bike repair shop").click()
    page.get_by_role("link", name="Send a proposal").click()
    page.get_by_label("Cover letter").fill("I have built three booking sites for repair shops.")
    page.get_by_label("Price, or hourly rate for hourly jobs (€)").fill("1000")
    page.get_by_label("Estimated duration (days)").fill("14")
    page.locator("#id_plan-0-title").fill("Design")
    page.locator("#id_plan-0-amount").fill("400")
    page.locator("#id_plan-1-title").fill("Build")
    page.locator("#id_plan-1-amount").fill("600")
    page.get_by_role("button", name="Send proposal").click()
    page.get_by_text("Your proposal is sent.").wait_for()
    proposal = Proposal.objects.get(job=job, freelancer=freelancer)

    # The client accepts.
    login_as(page, hirer)
    page.goto(f"/jobs/{job.pk}/proposals/")
    page.get_by_role("link", name=str(freelancer)).click()
    page.get_by_role("button", name="Accept and hire").click()
    page.get_by_text("You hired the freelancer: the contract has started.").wait_for()
    contract = proposal.contract
    page.get_by_text("10% of each payment to the freelancer").wait_for()

    # The client funds the first milestone; finance confirms the bank transfer on its page.
    first = contract.milestones.get(position=1)
    page.locator(f"#milestone-{first.pk}").get_by_role("button", name="Fund this milestone").click()
    first.refresh_from_db()
    assert first.status == Milestone.Status.FUNDING
    page.get_by_text(first.payment_reference).first.wait_for()

    login_as(page, finance)
    page.goto("/money/finance/payments/")
    page.get_by_label("Reference as on the bank statement").fill(first.payment_reference)
    page.get_by_label("Amount received (€)").fill("400.00")
    page.get_by_role("button", name="Record payment").click()
    page.get_by_text("The payment was matched").wait_for()
    first.refresh_from_db()
    assert first.status == Milestone.Status.FUNDED

    # The freelancer delivers, with a file.
    login_as(page, freelancer)
    page.goto(f"/contracts/{contract.pk}/")
    page.locator(f"#milestone-{first.pk}").get_by_role("link", name="Deliver work").click()
    page.get_by_label("What are you delivering?").fill("The designs, as agreed.")
    design = tmp_path / "designs.pdf"
    design.write_bytes(b"%PDF-1.4 designs")
    page.get_by_label("Files").set_input_files(str(design))
    page.get_by_role("button", name="Deliver").click()
    page.get_by_text("Your work is delivered.").wait_for()

    # The client approves; the second milestone is dropped, which completes the contract.
    login_as(page, hirer)
    page.goto(f"/contracts/{contract.pk}/")
    page.get_by_role("link", name="designs.pdf").wait_for()
    page.locator(f"#milestone-{first.pk}").get_by_role("button", name="Approve and release payment").click()
    page.get_by_text("You approved the work").wait_for()
    second = contract.milestones.get(position=2)
    page.locator(f"#milestone-{second.pk}").get_by_role("button", name="Cancel milestone").click()
    page.get_by_text("The milestone is cancelled.").wait_for()

    # The freelancer's balance shows the amount minus the 10% fee.
    login_as(page, freelancer)
    page.goto(f"/contracts/{contract.pk}/")
    assert page.locator(".balance-available").inner_text() == "€360.00"

    # Both review; the first review stays hidden until the second is in.
    login_as(page, hirer)
    page.goto(f"/contracts/{contract.pk}/")
    page.get_by_role("link", name="Write your review").click()
    page.get_by_label("Your review").fill("Ada delivered exactly what we needed.")
    page.get_by_role("button", name="Submit review").click()
    page.get_by_text("Thank you. Your review appears").wait_for()

    login_as(page, freelancer)
    page.goto(f"/contracts/{contract.pk}/")
    page.get_by_text("The other side has reviewed you.").wait_for()
    assert page.get_by_text("Ada delivered exactly what we needed.").count() == 0
    page.get_by_role("link", name="Write your review").click()
    page.get_by_label("Your review").fill("Clear brief and quick feedback.")
    page.get_by_role("button", name="Submit review").click()
    page.get_by_text("Ada delivered exactly what we needed.").wait_for()
    page.get_by_text("Clear brief and quick feedback.").wait_for()

    login_as(page, hirer)
    page.goto(f"/contracts/{contract.pk}/")
    page.get_by_text("Clear brief and quick feedback.").wait_for()

"""The contract page costs the same queries however long the contract runs, and pages through what grows.

Milestones, an hourly contract's weekly timesheets: a page at a time, each pager keeping the other's
place. The page reads as many queries with a few rows as with 30, for the client and for the freelancer.
"""

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Contract
from marketplace.services.milestones import milestone_add, milestone_approve, milestone_submit
from marketplace.services.timesheets import timesheet_submit
from marketplace.views.contracts import MILESTONES_PER_PAGE, TIMESHEETS_PER_PAGE
from tests.factories import UserFactory
from tests.marketplace.invoice_helpers import NL_FREELANCER, give_details

pytestmark = pytest.mark.django_db


def _queries(c: Any, url: str) -> int:
    c.get(url)  # the first request fills the caches (navigation, fee policy)
    with CaptureQueriesContext(connection) as ctx:
        response = c.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(contract: Contract, to: int, fund: Any, finance: Any, capture: Any) -> None:
    """Add milestones up to `to`, in turn: released (with its invoice), delivered, being paid, pending."""
    from marketplace.services.milestones import milestone_fund

    for n in range(contract.milestones.count(), to):
        milestone = milestone_add(
            contract_id=contract.pk, actor=contract.client, title=f"Part {n}", amount_cents=10_000
        )
        if n % 4 == 2:
            with capture(execute=True):
                fund(milestone, contract.client, finance)
                milestone_approve(milestone_id=milestone.pk, actor=contract.client)
        elif n % 4 == 3:
            fund(milestone, contract.client, finance)
            milestone_submit(milestone_id=milestone.pk, actor=contract.freelancer, message="Done.")
        elif n % 4 == 0:
            milestone_fund(milestone_id=milestone.pk, actor=contract.client)


def test_the_contract_page_reads_as_many_queries_at_30_milestones_as_at_5(
    client_for: Any, contract: Contract, fund: Any, finance: Any, django_capture_on_commit_callbacks: Any
) -> None:
    give_details(contract.freelancer, NL_FREELANCER)
    url = reverse("marketplace:contract-detail", args=[contract.pk])
    # The two planned milestones and three more, released, delivered and being paid.
    _grow(contract, 5, fund, finance, django_capture_on_commit_callbacks)
    small = {who: _queries(client_for(getattr(contract, who)), url) for who in ("client", "freelancer")}
    _grow(contract, 30, fund, finance, django_capture_on_commit_callbacks)
    large = {who: _queries(client_for(getattr(contract, who)), url) for who in ("client", "freelancer")}
    assert large == small
    # The milestones past the first page (two planned, then "Part 2" on) are on the second one, in plan order.
    page = client_for(contract.client).get(url, {"page": 2}).content.decode()
    assert f"Part {MILESTONES_PER_PAGE} <" in page and "Part 29 <" in page
    assert f"Part {MILESTONES_PER_PAGE - 1} <" not in page


@pytest.fixture
def hourly(make_job: Any, make_proposal: Any, hirer: Any) -> Contract:
    from marketplace.services.proposals import proposal_accept

    job = make_job(title="Weekly copywriting", pricing_type="hourly", budget_min_cents=4000, budget_max_cents=6000)
    proposal = make_proposal(on=job, amount_cents=6000, milestone_plan=None)
    return proposal_accept(proposal_id=proposal.pk, actor=hirer)


def _weeks(contract: Contract, to: int) -> None:
    """Log weeks back from last week until the contract has `to` timesheets; each says its week number."""
    today = timezone.localdate()
    for n in range(contract.timesheets.count(), to):
        monday = today - timedelta(days=today.weekday() + 7 * (n + 1))
        timesheet_submit(
            contract_id=contract.pk, actor=contract.freelancer, week_start=monday, minutes=60, description=f"Week {n}"
        )


def test_an_hourly_contract_pages_through_its_weeks_with_a_fixed_number_of_queries(
    client_for: Any, hourly: Contract
) -> None:
    url = reverse("marketplace:contract-detail", args=[hourly.pk])
    _weeks(hourly, 3)
    small = {who: _queries(client_for(getattr(hourly, who)), url) for who in ("client", "freelancer")}
    _weeks(hourly, 30)
    large = {who: _queries(client_for(getattr(hourly, who)), url) for who in ("client", "freelancer")}
    assert large == small
    c = client_for(hourly.client)
    first = c.get(url).content.decode()
    assert "<td>Week 0\n" in first
    assert f"<td>Week {TIMESHEETS_PER_PAGE}\n" not in first
    assert 'href="?weeks=2"' in first
    # The older weeks are on the next page, newest first; the pager keeps the milestones' page.
    older = c.get(url, {"weeks": 2}).content.decode()
    assert f"<td>Week {TIMESHEETS_PER_PAGE}\n" in older and "<td>Week 29\n" in older
    assert "<td>Week 0\n" not in older
    assert 'href="?weeks=1"' in older


def test_each_milestone_shows_its_deliveries_with_their_files_and_the_changes_asked(
    client_for: Any, contract: Contract, fund: Any, finance: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from marketplace.models import DeliveryFile
    from marketplace.services.milestones import milestone_request_changes

    first, second = contract.milestones.order_by("position")
    fund(first, contract.client, finance)
    fund(second, contract.client, finance)
    milestone_submit(
        milestone_id=first.pk,
        actor=contract.freelancer,
        message="Two sketches.",
        files=[SimpleUploadedFile("a.pdf", b"%PDF-1.4 a"), SimpleUploadedFile("b.pdf", b"%PDF-1.4 b")],
    )
    milestone_request_changes(milestone_id=first.pk, actor=contract.client, note="Warmer colours")
    milestone_submit(milestone_id=first.pk, actor=contract.freelancer, message="Warmer now.")
    milestone_request_changes(milestone_id=first.pk, actor=contract.client, note="Bigger logo")
    milestone_submit(milestone_id=second.pk, actor=contract.freelancer, message="The build.")
    page = client_for(contract.client).get(reverse("marketplace:contract-detail", args=[contract.pk])).content.decode()
    card = page[page.index(f'id="milestone-{first.pk}"') : page.index(f'id="milestone-{second.pk}"')]
    files = list(DeliveryFile.objects.filter(delivery__milestone=first).order_by("id"))
    links = [f'<a href="{reverse("marketplace:delivery-file", args=[f.pk])}">{f.name}</a>' for f in files]
    assert [f.name for f in files] == ["a.pdf", "b.pdf"]
    # Oldest delivery first, its files in order; the client's notes in the order they were asked.
    assert card.index("Two sketches.") < card.index(links[0]) < card.index(links[1]) < card.index("Warmer now.")
    assert card.index("Changes asked: Warmer colours") < card.index("Changes asked: Bigger logo")
    later = page[page.index(f'id="milestone-{second.pk}"') :]
    assert "The build." in later and "Changes asked" not in later.split("</li>")[0]


def test_the_empty_milestone_form_is_in_the_readers_language(client_for: Any, contract: Contract) -> None:
    """The form's fields are rendered once per language and kept: each language gets its own."""
    url = reverse("marketplace:contract-detail", args=[contract.pk])
    c = client_for(contract.client)
    english = c.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    dutch = c.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'for="id_due_date">Due date:' in english
    assert 'for="id_due_date">Einddatum:' in dutch
    assert 'for="id_due_date">Due date:' in c.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_disputed_milestone_links_to_its_dispute_and_the_others_do_not(
    client_for: Any, contract: Contract, fund: Any, finance: Any
) -> None:
    from marketplace.services.disputes import dispute_open

    first, second = contract.milestones.order_by("position")
    fund(first, contract.client, finance)
    milestone_submit(milestone_id=first.pk, actor=contract.freelancer, message="Done.")
    dispute = dispute_open(milestone_id=first.pk, actor=contract.client, reason="quality", statement="Half of it.")
    page = client_for(contract.freelancer).get(reverse("marketplace:contract-detail", args=[contract.pk]))
    body = page.content.decode()
    card = body[body.index(f'id="milestone-{first.pk}"') : body.index(f'id="milestone-{second.pk}"')]
    later = body[body.index(f'id="milestone-{second.pk}"') :]
    assert reverse("marketplace:dispute-detail", args=[dispute.pk]) in card
    assert "See the dispute" in card and "See the dispute" not in later
    # The client can still cancel the milestone nobody funded (it has no timesheet behind it).
    client_page = client_for(contract.client).get(reverse("marketplace:contract-detail", args=[contract.pk]))
    assert reverse("marketplace:milestone-action", args=[second.pk, "cancel"]) in client_page.content.decode()


def test_pages_that_only_check_who_may_act_do_not_read_the_contracts_milestones(
    client_for: Any, contract: Contract, fund: Any, finance: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Opening a dispute, the review form and the review list check the parties; they used to load every
    milestone with its deliveries (a fixed number of queries, but rows that grow with the contract)."""
    first = contract.milestones.order_by("id").first()
    assert first is not None
    urls = [
        reverse("marketplace:dispute-open", args=[first.pk]),
        reverse("marketplace:review-submit", args=[contract.pk]),
        reverse("api-contract-reviews", args=[contract.pk]),
    ]
    _grow(contract, 8, fund, finance, django_capture_on_commit_callbacks)
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client_for(contract.client).get(url).status_code == 200
        by_contract = [q["sql"] for q in ctx.captured_queries if '"marketplace_milestone"."contract_id" IN' in q["sql"]]
        assert by_contract == [], url
    # Anyone else still gets "not found".
    stranger = client_for(UserFactory.create())
    assert [stranger.get(url).status_code for url in urls] == [404, 404, 404]

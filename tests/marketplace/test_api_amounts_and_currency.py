"""The marketplace API's amounts follow the project's convention: `_cents` fields beside a `currency`.

Every object that carries amounts says their currency, and a request may name its currency, which
must be the coop's: any other is refused with a 400 that names the currency and changes nothing.
"""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from core.exceptions import ErrorCode as CoreErrorCode
from marketplace.models import Contract, Dispute, FeePolicy, FreelancerProfile, Job, Milestone, Proposal
from marketplace.services.disputes import dispute_open
from marketplace.services.milestones import milestone_submit
from marketplace.services.proposals import proposal_accept, proposal_revise
from marketplace.services.timesheets import timesheet_submit

pytestmark = pytest.mark.django_db

FOREIGN = {"currency": "USD"}
REFUSAL = {"currency": ["Amounts are taken in EUR only."]}


def post_json(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, body, content_type="application/json")


def assert_refused_for_its_currency(response: Any) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert (body["code"], body["detail"]) == (CoreErrorCode.INVALID, REFUSAL)


@pytest.fixture
def disputed(contract: Contract, finance: Any, fund: Any) -> Dispute:
    milestone = fund(contract.milestones.get(position=1), contract.client, finance)
    milestone_submit(milestone_id=milestone.pk, actor=contract.freelancer, message="Done.")
    return dispute_open(
        milestone_id=milestone.pk, actor=contract.client, reason="quality", statement="Half of it is missing."
    )


@pytest.fixture
def hourly(make_job: Any, make_proposal: Any, hirer: Any) -> Contract:
    job = make_job(title="Weekly copywriting", pricing_type="hourly", budget_min_cents=4000, budget_max_cents=6000)
    proposal = make_proposal(on=job, amount_cents=6000, milestone_plan=None)
    return proposal_accept(proposal_id=proposal.pk, actor=hirer)


# Outputs: every object with amounts says their currency.


def test_a_contracts_milestones_say_their_currency(client_for: Any, contract: Contract) -> None:
    detail = client_for(contract.client).get(f"/api/contracts/{contract.pk}/").json()

    assert detail["currency"] == "EUR"
    assert [(m["amount_cents"], m["currency"]) for m in detail["milestones"]] == [(40_000, "EUR"), (60_000, "EUR")]


def test_an_added_and_a_funded_milestone_say_their_currency(client_for: Any, contract: Contract) -> None:
    http = client_for(contract.client)

    added = post_json(http, f"/api/contracts/{contract.pk}/milestones/", {"title": "Extra", "amount_cents": 5_000})
    funded = post_json(http, f"/api/milestones/{added.json()['id']}/fund/", {})

    assert added.status_code == 201, added.content
    assert (added.json()["amount_cents"], added.json()["currency"]) == (5_000, "EUR")
    assert funded.status_code == 200, funded.content
    assert funded.json()["currency"] == funded.json()["milestone"]["currency"] == "EUR"


def test_timesheets_say_their_currency(client_for: Any, hourly: Contract) -> None:
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday() + 7)
    timesheet_submit(contract_id=hourly.pk, actor=hourly.freelancer, week_start=monday, minutes=90, description="Post")

    [sheet] = client_for(hourly.client).get(f"/api/contracts/{hourly.pk}/timesheets/").json()["results"]

    assert (sheet["amount_cents"], sheet["currency"]) == (9_000, "EUR")


def test_a_dispute_says_the_currency_of_its_split(client_for: Any, disputed: Dispute, staff: Any) -> None:
    shown = client_for(disputed.opened_by).get(f"/api/disputes/{disputed.pk}/").json()
    [listed] = client_for(staff).get("/api/disputes/").json()["results"]

    assert shown["currency"] == listed["currency"] == "EUR"
    assert {"release_cents", "refund_cents"} <= shown.keys()


def test_a_proposals_revisions_say_their_currency(client_for: Any, proposal: Proposal, hirer: Any) -> None:
    proposal_revise(proposal_id=proposal.pk, actor=hirer, amount_cents=90_000, duration_days=14, note="Less")

    detail = client_for(hirer).get(f"/api/proposals/{proposal.pk}/").json()

    assert detail["currency"] == "EUR"
    assert [(r["amount_cents"], r["currency"]) for r in detail["revisions"]][-1] == (90_000, "EUR")


def test_the_balance_names_its_amounts_in_cents(client_for: Any, contract: Contract, finance: Any, fund: Any) -> None:
    fund(contract.milestones.get(position=1), contract.client, finance)

    balance = client_for(contract.freelancer).get("/api/contracts/balance/").json()

    assert balance == {
        "currency": "EUR",
        "available_cents": 0,
        "in_escrow_cents": 40_000,
        "pending_withdrawal_cents": 0,
        "paid_out_cents": 0,
    }


# Inputs: the coop's currency may be named; any other is refused and changes nothing.


def test_a_job_in_another_currency_is_refused_and_not_posted(client_for: Any, hirer: Any) -> None:
    job = {"title": "Logo", "description": "A logo", "budget_min_cents": 1000, "budget_max_cents": 2000}

    refused = post_json(client_for(hirer), "/api/jobs/new/", {**job, **FOREIGN})
    posted = post_json(client_for(hirer), "/api/jobs/new/", {**job, "currency": "eur"})

    assert_refused_for_its_currency(refused)
    assert posted.status_code == 201 and posted.json()["currency"] == "EUR"
    assert Job.objects.count() == 1


def test_a_job_budget_edit_in_another_currency_is_refused_and_changes_nothing(
    client_for: Any, job: Job, hirer: Any
) -> None:
    edit = {"title": "Renamed", "description": "D", "budget_min_cents": 1, "budget_max_cents": 2, **FOREIGN}

    assert_refused_for_its_currency(post_json(client_for(hirer), f"/api/jobs/{job.pk}/update/", edit))
    job.refresh_from_db()
    assert (job.title, job.budget_min_cents, job.budget_max_cents) == ("Build a booking page", 50_000, 150_000)


def test_a_proposal_in_another_currency_is_refused_and_not_sent(client_for: Any, job: Job, freelancer: Any) -> None:
    terms = {"cover_letter": "Hi", "amount_cents": 80_000, "duration_days": 5, **FOREIGN}

    assert_refused_for_its_currency(post_json(client_for(freelancer), f"/api/jobs/{job.pk}/propose/", terms))
    assert not Proposal.objects.exists()


def test_a_counter_offer_in_another_currency_is_refused_and_changes_nothing(
    client_for: Any, proposal: Proposal, hirer: Any
) -> None:
    terms = {"amount_cents": 90_000, "duration_days": 14, "note": "Less", **FOREIGN}

    assert_refused_for_its_currency(post_json(client_for(hirer), f"/api/proposals/{proposal.pk}/revise/", terms))
    proposal.refresh_from_db()
    assert (proposal.amount_cents, proposal.revisions.count()) == (100_000, 1)


def test_a_milestone_in_another_currency_is_refused_and_not_added(client_for: Any, contract: Contract) -> None:
    body = {"title": "Extra", "amount_cents": 5_000, **FOREIGN}

    assert_refused_for_its_currency(
        post_json(client_for(contract.client), f"/api/contracts/{contract.pk}/milestones/", body)
    )
    assert Milestone.objects.filter(contract=contract).count() == 2


def test_a_dispute_split_in_another_currency_is_refused_and_decides_nothing(
    client_for: Any, disputed: Dispute, staff: Any
) -> None:
    body = {"release_cents": 20_000, "decision": "Half.", **FOREIGN}

    assert_refused_for_its_currency(post_json(client_for(staff), f"/api/disputes/{disputed.pk}/resolve/", body))
    disputed.refresh_from_db()
    assert (disputed.status, disputed.release_cents) == (Dispute.Status.OPEN, None)


def test_a_fee_policy_in_another_currency_is_refused(client_for: Any, staff: Any) -> None:
    body = {"percent": "8", "min_cents": 100, **FOREIGN}

    assert_refused_for_its_currency(post_json(client_for(staff), "/api/fee-policies/bootstrap/", body))
    assert FeePolicy.objects.count() == 1


def test_an_hourly_rate_in_another_currency_is_refused_and_changes_nothing(client_for: Any, freelancer: Any) -> None:
    body = {"headline": "Weaver", "hourly_rate_cents": 9_000, **FOREIGN}

    assert_refused_for_its_currency(post_json(client_for(freelancer), "/api/profiles/freelancer/", body))
    profile = FreelancerProfile.objects.get(user=freelancer)
    assert (profile.headline, profile.hourly_rate_cents) == ("Django developer", 6_000)

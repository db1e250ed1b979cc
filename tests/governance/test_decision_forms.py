"""The form of each decision type: members fill in fields, never a payload, and get the API's payload.

Good input gives exactly the payload the API takes for the same decision; bad input names the field,
in the member's language, and creates nothing; a fee cannot start before the vote can close.
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.decisions import decision_type
from governance.builtin import BYLAW_AMENDMENT, GENERAL_RESOLUTION
from governance.forms import AmendForm, ProposalForm
from governance.models import Proposal
from governance.services.proposals import proposal_create
from governance.services.rules import ruleset_current
from marketplace.decisions import APPOINT_MEDIATORS_KEY, FEE_POLICY_KEY, PROJECT_ACCEPTANCE_KEY
from membership.models import BylawsVersion, Member
from payouts.cycles.decisions import APPROVE_DECISION, POLICY_DECISION
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

FEE_URL = reverse("governance:proposal_new") + "?type=" + FEE_POLICY_KEY


def earliest_fee_date() -> date:
    rules = ruleset_current(key="general")
    close = timezone.now() + timedelta(days=rules.notice_days + rules.voting_days)
    return timezone.localdate(close) + timedelta(days=1)


def form_for(key: str, data: dict[str, Any]) -> ProposalForm:
    decision = decision_type(key)
    return ProposalForm(
        {"decision_key": key, "title": "A decision", **data}, decision=decision, earliest_date=earliest_fee_date()
    )


def test_the_fee_form_gives_the_payload_the_api_takes(members: list[Any], client_for: Any) -> None:
    start = earliest_fee_date() + timedelta(days=30)
    response = client_for(members[0].user).post(
        FEE_URL,
        {
            "decision_key": FEE_POLICY_KEY,
            "title": "Lower the fee",
            "percent": "8",
            "minimum": "0.50",
            "maximum": "",
            "effective_from": start.isoformat(),
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response.url == proposal.get_absolute_url()
    midnight = timezone.make_aware(timezone.datetime.combine(start, timezone.datetime.min.time()))
    api_payload = {"percent": 8, "min_cents": 50, "effective_from": midnight.isoformat()}
    assert proposal.payload == decision_type(FEE_POLICY_KEY).validate_payload(api_payload)
    assert proposal.payload["min_cents"] == 50 and proposal.payload["max_cents"] is None


def test_the_fee_in_words_has_no_raw_data(members: list[Any]) -> None:
    payload = {"percent": "8.00", "min_cents": 50, "max_cents": None, "effective_from": "2026-12-31T23:00:00+00:00"}
    with timezone.override("Europe/Amsterdam"):
        with translation.override("en"):
            assert (
                decision_type(FEE_POLICY_KEY).describe(payload) == "Platform fee 8% from 1 January 2027, minimum €0.50"
            )
        with translation.override("nl"):
            text = decision_type(FEE_POLICY_KEY).describe({**payload, "percent": "7.50", "max_cents": 2000})
    assert text.startswith("Platformbijdrage 7,5% vanaf 1 januari 2027")
    assert "None" not in text and "cents" not in text and "T23" not in text


def test_a_fee_starting_before_the_vote_can_close_is_refused(members: list[Any], client_for: Any) -> None:
    too_early = earliest_fee_date() - timedelta(days=1)
    response = client_for(members[0].user).post(
        FEE_URL,
        {"decision_key": FEE_POLICY_KEY, "title": "Now", "percent": "8", "effective_from": too_early.isoformat()},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["effective_from"]
    assert "the vote cannot close before then" in form.errors["effective_from"][0]
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"percent": "101"}, "percent", "Ensure this value is less than or equal to 100."),
        ({"percent": "eight"}, "percent", "Enter a number."),
        ({"percent": "8", "minimum": "-1"}, "minimum", "Ensure this value is greater than or equal to 0."),
        (
            {"percent": "8", "minimum": "5", "maximum": "2"},
            "maximum",
            "The maximum fee must be at least the minimum fee.",
        ),
        ({"percent": "8", "effective_from": "someday"}, "effective_from", "Enter a valid date."),
    ],
)
def test_bad_fee_input_names_the_field(members: list[Any], data: dict, field: str, message: str) -> None:
    data = {"effective_from": (earliest_fee_date() + timedelta(days=3)).isoformat(), **data}
    form = form_for(FEE_POLICY_KEY, data)
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_errors_come_in_the_members_language(members: list[Any], client_for: Any) -> None:
    client = client_for(members[0].user)
    response = client.post(
        FEE_URL,
        {"decision_key": FEE_POLICY_KEY, "title": "X", "percent": "101", "effective_from": "2020-01-01"},
        headers={"accept-language": "nl"},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    body = response.content.decode()
    assert "Platformbijdrage (%)" in body or "Bijdrage (%)" in body
    assert "Zorg ervoor dat deze waarde hoogstens 100 is." in body
    assert not Proposal.objects.exists()


def test_the_new_proposal_page_asks_for_the_type_first(members: list[Any], client_for: Any) -> None:
    client = client_for(members[0].user)
    first = client.get(reverse("governance:proposal_new")).content.decode()
    assert 'name="type"' in first and 'name="percent"' not in first
    fee = client.get(FEE_URL).content.decode()
    assert 'name="percent"' in fee and 'name="details"' not in fee
    # The date as the rest of the site asks for it (core.widgets.LocaleDateInput), not the browser's own.
    assert 'name="effective_from"' in fee and 'placeholder="dd-mm-yyyy"' in fee and 'type="date"' not in fee


def test_the_effective_date_is_typed_day_first_as_elsewhere_on_the_site(members: list[Any], client_for: Any) -> None:
    start = earliest_fee_date() + timedelta(days=3)
    response = client_for(members[0].user).post(
        reverse("governance:proposal_new"),
        {"decision_key": FEE_POLICY_KEY, "title": "Day first", "percent": "8", "effective_from": f"{start:%d-%m-%Y}"},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Proposal.objects.get().payload["effective_from"].startswith(start.isoformat())


def test_a_general_resolution_has_no_details(members: list[Any], client_for: Any) -> None:
    response = client_for(members[0].user).post(
        reverse("governance:proposal_new"), {"decision_key": GENERAL_RESOLUTION, "title": "Four-day week"}
    )
    assert response.status_code == 302
    assert Proposal.objects.get().payload == {}


def test_admission_and_expulsion_pick_the_member_by_name(members: list[Any], worker_class: Any) -> None:
    applicant = MemberFactory(member_class=worker_class, status=Member.Status.APPLICANT)
    applicant.user.display_name = "Ada Applicant"
    applicant.user.save()
    admit = form_for("membership.admit", {})
    assert ("Ada Applicant") in [label for _value, label in admit.fields["member_id"].choices]
    good = form_for("membership.admit", {"member_id": str(applicant.pk)})
    assert good.is_valid(), good.errors
    assert good.cleaned_data["payload"] == decision_type("membership.admit").validate_payload(
        {"member_id": applicant.pk}
    )
    # An active member is not among the applicants.
    bad = form_for("membership.admit", {"member_id": str(members[1].pk)})
    assert not bad.is_valid() and "member_id" in bad.errors
    expel = form_for("membership.expel", {"member_id": str(members[1].pk), "reason": ""})
    assert not expel.is_valid() and list(expel.errors) == ["reason"]
    expel = form_for("membership.expel", {"member_id": str(members[1].pk), "reason": "Did not pay."})
    assert expel.is_valid()
    assert (
        decision_type("membership.expel")
        .describe(expel.cleaned_data["payload"])
        .startswith(f"Expel {members[1].user.display_name or members[1].user.email} (Worker).")
    )


def test_mediators_are_picked_by_name(members: list[Any]) -> None:
    form = form_for(APPOINT_MEDIATORS_KEY, {"appoint": [str(members[2].user_id)]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["payload"] == {"appoint": [members[2].user_id], "end": []}
    assert form.cleaned_data["payload"] == decision_type(APPOINT_MEDIATORS_KEY).validate_payload(
        {"appoint": [members[2].user_id]}
    )
    assert not form_for(APPOINT_MEDIATORS_KEY, {"appoint": ["999999"]}).is_valid()
    empty = form_for(APPOINT_MEDIATORS_KEY, {})
    assert not empty.is_valid() and "Name at least one member" in str(empty.errors)


def test_a_project_is_picked_from_the_jobs(members: list[Any]) -> None:
    from marketplace.services.jobs import job_create
    from marketplace.services.profiles import client_profile_save

    client = UserFactory()
    client_profile_save(user=client)
    job = job_create(
        client=client,
        title="Website for the bakery",
        description="Five pages.",
        budget_min_cents=10_000,
        budget_max_cents=20_000,
        publish=True,
    )
    form = form_for(PROJECT_ACCEPTANCE_KEY, {"job_id": str(job.pk), "summary": "A good first client."})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["payload"] == {"job_id": job.pk, "summary": "A good first client."}
    assert "Website for the bakery" in decision_type(PROJECT_ACCEPTANCE_KEY).describe(form.cleaned_data["payload"])
    bad = form_for(PROJECT_ACCEPTANCE_KEY, {"job_id": str(job.pk + 1000), "summary": "x"})
    assert not bad.is_valid() and list(bad.errors) == ["job_id"]


def test_a_bylaw_article_is_picked_and_the_change_shown_side_by_side(members: list[Any], client_for: Any) -> None:
    BylawsVersion.objects.create(
        version="2026.1",
        text="Article 1. Name\nThe coop.\n\nArticle 2. Votes\nOne member, one vote.\nBy show of hands.\n",
        effective_on=timezone.localdate(),
    )
    form = form_for(BYLAW_AMENDMENT, {"article": "2", "text": "One member, one vote.\nBy secret ballot."})
    assert [label for _v, label in form.fields["article"].choices][1:] == ["Article 1. Name", "Article 2. Votes"]
    assert form.is_valid(), form.errors
    payload = form.cleaned_data["payload"]
    assert payload == {"article": "2", "text": "One member, one vote.\nBy secret ballot."}
    proposal = proposal_create(
        decision_key=BYLAW_AMENDMENT, payload=payload, title="Secret", author=members[0].user, actor=members[0].user
    )
    body = client_for(members[0].user).get(proposal.get_absolute_url()).content.decode()
    assert 'data-testid="bylaw-diff"' in body
    assert "<del>By show of hands.</del>" in body and "<ins>By secret ballot.</ins>" in body
    assert not form_for(BYLAW_AMENDMENT, {"article": "9", "text": "x"}).is_valid()


def test_the_surplus_policy_is_edited_as_rows(members: list[Any]) -> None:
    data = {
        "funds__count": "3",
        "funds__0__name": "Reserve",
        "funds__0__percent": "20",
        "classes__count": "3",
        "classes__0__name": "Workers",
        "classes__0__percent": "100",
        "classes__0__basis": "fee_income",
        "min_cash_percent": "20",
        "redemption_terms": "Paid back after five years.",
        "requires_member_vote": "False",
    }
    bases = [value for value, _label in form_for(POLICY_DECISION, {}).fields["classes__0__basis"].choices if value]
    data["classes__0__basis"] = bases[0]
    form = form_for(POLICY_DECISION, data)
    assert form.is_valid(), form.errors
    api = {
        "funds": [{"name": "Reserve", "percent": "20"}],
        "classes": [{"name": "Workers", "percent": "100", "basis": bases[0]}],
        "min_cash_percent": "20",
        "redemption_terms": "Paid back after five years.",
        "requires_member_vote": False,
    }
    assert form.cleaned_data["payload"] == decision_type(POLICY_DECISION).validate_payload(api)
    half = form_for(POLICY_DECISION, {**data, "funds__1__name": "Training"})
    assert not half.is_valid() and list(half.errors) == ["funds__1__percent"]


def test_a_payout_cycle_is_picked_from_the_computed_ones(members: list[Any]) -> None:
    form = form_for(APPROVE_DECISION, {"cycle_id": "1"})
    assert not form.is_valid() and list(form.errors) == ["cycle_id"]


def test_the_amend_form_is_prefilled_with_the_decision(members: list[Any]) -> None:
    start = earliest_fee_date() + timedelta(days=10)
    midnight = timezone.make_aware(timezone.datetime.combine(start, timezone.datetime.min.time()))
    payload = {"percent": "7.5", "min_cents": 50, "max_cents": 2000, "effective_from": midnight.isoformat()}
    form = AmendForm(
        decision=decision_type(FEE_POLICY_KEY),
        payload=decision_type(FEE_POLICY_KEY).validate_payload(payload),
        initial={"title": "T"},
    )
    html = str(form["minimum"]) + str(form["maximum"]) + str(form["effective_from"]) + str(form["percent"])
    assert 'value="0.50"' in html and 'value="20.00"' in html
    assert f'value="{start:%d-%m-%Y}"' in html and 'value="7.5"' in html
    assert Decimal(form["percent"].value()) == Decimal("7.5")

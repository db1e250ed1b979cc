"""The surplus-policy decision form previews the proposed policy on last year's figures (issue 13, point 1):
the same engine as a cycle, so the preview's amounts are what a cycle over that year would allocate; the
"Preview" button shows it without scripts, and the page's script asks for the preview alone as the member
edits the rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from core.money import Money
from governance.models import Proposal
from payouts.cycles.decisions import POLICY_DECISION
from payouts.cycles.models import CycleStatus
from payouts.cycles.selectors.preview import last_year, policy_preview
from payouts.cycles.services import cycle_compute, cycle_compute_start, cycle_open, surplus_policy_adopt

pytestmark = pytest.mark.django_db

PROPOSED = {
    "funds": [{"name": "reserve", "percent": "10"}, {"name": "Bike fund", "percent": "5"}],
    "classes": [
        {"name": "fees generated", "percent": "70", "basis": "net_fees"},
        {"name": "equal share", "percent": "30", "basis": "equal"},
    ],
    "min_cash_percent": "40",
    "redemption_terms": "Paid back after five years.",
    "requires_member_vote": False,
}

FORM = {
    "decision_key": POLICY_DECISION,
    "title": "",
    "funds__count": "3",
    "funds__0__name": "reserve",
    "funds__0__percent": "10",
    "funds__1__name": "Bike fund",
    "funds__1__percent": "5",
    "classes__count": "3",
    "classes__0__name": "fees generated",
    "classes__0__percent": "70",
    "classes__0__basis": "net_fees",
    "classes__1__name": "equal share",
    "classes__1__percent": "30",
    "classes__1__basis": "equal",
    "min_cash_percent": "40",
    "redemption_terms": "Paid back after five years.",
    "requires_member_vote": "False",
    "preview": "1",
}


def test_the_preview_is_what_a_cycle_over_last_year_would_allocate(coop: dict[str, Any], staff: Any) -> None:
    preview = policy_preview(PROPOSED)
    assert preview.problem == "" and preview.members == len(coop["members"])

    surplus_policy_adopt(data=PROPOSED, actor=None)
    start, end = last_year()
    cycle = cycle_open(period_start=start, period_end=end, actor=staff)
    cycle_compute_start(cycle_id=cycle.pk, actor=staff)
    cycle = cycle_compute(cycle_id=cycle.pk)
    assert cycle.status == CycleStatus.COMPUTED, cycle.failure_reason

    def money(cents: int) -> str:
        return Money(cents, cycle.currency).format()

    assert preview.surplus == money(cycle.surplus_cents)
    assert preview.distributable == money(cycle.distributable_cents)
    assert [line.amount for line in preview.funds] == [money(f.amount_cents) for f in cycle.funds.order_by("position")]
    assert [line.amount for line in preview.classes] == [money(pot["cents"]) for pot in cycle.class_pots]
    rows = list(cycle.allocations.all())
    assert preview.cash == money(sum(r.cash_cents for r in rows))
    assert preview.retained == money(sum(r.retained_cents for r in rows))


def test_the_preview_button_shows_it_without_scripts_and_the_script_gets_the_fragment(
    coop: dict[str, Any], client_for: Any
) -> None:
    client = client_for(coop["quiet"].user)
    url = reverse("governance:proposal_new")
    page = client.post(url, FORM).content.decode()
    assert 'data-testid="policy-preview"' in page and "data-live-preview" in page
    assert "Fund: Bike fund" in page and "Class: fees generated" in page
    preview = policy_preview(PROPOSED)
    assert f"Of a surplus of {preview.surplus}" in page

    fragment = client.post(url, FORM, HTTP_X_DECISION_PREVIEW="1").content.decode()
    assert fragment.lstrip().startswith('<div class="notice gov-preview"') and "<html" not in fragment
    assert 'data-testid="policy-preview"' in fragment

    client.cookies["django_language"] = "nl"
    dutch = client.post(url, FORM, HTTP_X_DECISION_PREVIEW="1").content.decode()
    assert "opgebrachte commissies" in dutch and "fees generated" not in dutch

    # Half a row: no preview figures, a hint instead; nothing is saved either way.
    client.cookies["django_language"] = "en"
    half = client.post(url, {**FORM, "funds__2__name": "Library"}, HTTP_X_DECISION_PREVIEW="1").content.decode()
    assert 'data-testid="policy-preview"' not in half and "Fill in the decision" in half
    assert not Proposal.objects.exists()

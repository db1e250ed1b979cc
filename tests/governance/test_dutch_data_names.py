"""Data names in Dutch (issue 13, point 9): rule sets, member classes, the classes in a tally, the surplus
policy's funds and classes and its redemption terms are stored once, in English, and shown through
translatable labels. A Dutch reader of the demo meets none of the English names; a name the coop chose
itself is shown as written. Also the dashboard panel of the demo (point 2): what waits for a vote."""

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from governance.models import Ballot, BallotResult, Proposal, RuleSet
from membership.labels import member_class_name
from membership.models import Member, MemberClass, User
from payouts.cycles.labels import DEFAULT_REDEMPTION_TERMS
from payouts.cycles.models import CycleStatus, PayoutCycle

pytestmark = pytest.mark.django_db

# The names as stored, which a Dutch page must not show.
ENGLISH_NAMES = [
    "Worker members",
    "Client members",
    "Community members",
    "General resolutions",
    "Bylaw amendments",
    "Admission of members",
    "Expulsion of members",
    "Acceptance of large projects",
    "Board elections",
    "Founding bylaws.",
    "fees generated",
    "equal share",
    "solidarity",
    "education",
    "loyalty",
    DEFAULT_REDEMPTION_TERMS[:60],
]


@pytest.fixture
def demo() -> dict[str, Any]:
    call_command("seed_demo", verbosity=0)
    member = Member.objects.select_related("user").get(user__email="jan@example.org")
    # A closed motion with its tally per class, as the demo's closed decisions have.
    closed = (
        Proposal.objects.filter(ballot__status=Ballot.Status.CLOSED, ballot__secret=False)
        .exclude(ballot__result__isnull=True)
        .order_by("pk")
        .first()
    )
    assert closed is not None
    BallotResult.objects.filter(ballot=closed.ballot).update(
        by_class={"worker": {"yes": 2, "no": 0, "abstain": 0}, "community": {"yes": 1, "no": 1, "abstain": 0}}
    )
    # Rules that name classes: who votes and who must also agree.
    RuleSet.objects.filter(pk=closed.ballot.ruleset_id).update(
        voter_class_slugs=["worker", "community"], double_majority_class_slugs=["worker"]
    )
    # The demo's cycles: 2025's, approved (its shares owed, not yet paid), and the month before last's,
    # computed and waiting for the board. A statement of each is read.
    cycles = list(PayoutCycle.objects.order_by("period_start"))
    assert {cycle.status for cycle in cycles} == {CycleStatus.APPROVED, CycleStatus.COMPUTED}
    return {"member": member, "closed": closed, "cycles": cycles}


def dutch(user: Any) -> Client:
    browser = Client()
    browser.force_login(user)
    browser.cookies["django_language"] = "nl"
    return browser


def test_a_dutch_member_meets_no_english_data_names(demo: dict[str, Any]) -> None:
    browser = dutch(demo["member"].user)
    closed = demo["closed"]
    pages = {
        "rules": reverse("governance:rules"),
        "decision": reverse("governance:proposal_detail", args=[closed.pk]),
        "minutes": reverse("governance:proposal_minutes", args=[closed.pk]),
        "decisions": reverse("governance:proposal_list"),
        "membership": reverse("membership:home"),
        "register": reverse("membership:register"),
        "profit shares": reverse("payout_cycles:my_cycles"),
        "open books": reverse("payouts:open_books"),
        "open data": reverse("open_books:open_data"),
    }
    # Each cycle's statement is read by a member who shared in it: Jan joined in 2026, so 2025's by
    # a worker member who was there.
    readers = {}
    for cycle in demo["cycles"]:
        name = f"statement {cycle.period_start:%Y-%m}"
        pages[name] = reverse("payout_cycles:my_statement", args=[cycle.pk])
        if not cycle.allocations.filter(member=demo["member"]).exists():
            readers[name] = dutch(cycle.allocations.get(member__user__email="ada@example.org").member.user)
    # The board's page of the approved cycle: its history says in Dutch why it was approved.
    approved = next(cycle for cycle in demo["cycles"] if cycle.status == CycleStatus.APPROVED)
    pages["approved cycle"] = reverse("payout_cycles:cycle_detail", args=[approved.pk])
    readers["approved cycle"] = dutch(User.objects.get(email="finance@example.org"))
    found = []
    bodies = {}
    for name, url in pages.items():
        response = readers.get(name, browser).get(url)
        assert response.status_code == 200, (name, response.status_code)
        bodies[name] = body = response.content.decode()
        found += [f"{name}: {english!r}" for english in ENGLISH_NAMES if english in body]
    assert found == []
    assert "Algemene besluiten" in bodies["rules"] and "Statuten bij de oprichting." in bodies["rules"]
    assert "Werkende leden" in bodies["decision"] and "Steunende leden" in bodies["decision"]
    assert "Steunende leden" in bodies["membership"]
    for cycle in demo["cycles"]:
        statement = bodies[f"statement {cycle.period_start:%Y-%m}"]
        assert "opgebrachte commissies" in statement and "kapitaalrekening" in statement
        assert "solidariteit" in statement
    assert "Goedgekeurd door een beheerder." in bodies["approved cycle"]
    assert "Approved by an admin." not in bodies["approved cycle"]
    assert "Fonds reserve" in bodies["open books"] and "reserve fund" not in bodies["open books"]


def test_english_readers_see_the_stored_names_and_a_custom_name_stays_as_written(demo: dict[str, Any]) -> None:
    browser = Client()
    browser.force_login(demo["member"].user)
    body = browser.get(reverse("governance:proposal_detail", args=[demo["closed"].pk])).content.decode()
    assert "Worker members" in body and "Community members" in body
    MemberClass.objects.filter(slug="worker").update(name="Makers")
    assert member_class_name("worker", "Makers") == "Makers"
    body = dutch(demo["member"].user).get(reverse("governance:proposal_detail", args=[demo["closed"].pk]))
    assert "Makers" in body.content.decode() and "Werkende leden" not in body.content.decode()


def test_the_demo_dashboard_lists_what_waits_for_kims_vote(demo: dict[str, Any]) -> None:
    kim = Member.objects.select_related("user").get(user__email="kim@example.org")
    waiting = Proposal.objects.filter(
        ballot__status=Ballot.Status.OPEN, ballot__roll__member=kim, ballot__secret=False
    ).exclude(ballot__votes__member=kim)
    assert waiting.exists()
    page = dutch(kim.user).get(reverse("dashboard")).content.decode()
    panel = page[page.index('data-testid="governance-panel"') :]
    assert "Wacht op je stem" in panel
    assert all(proposal.title in panel for proposal in waiting)

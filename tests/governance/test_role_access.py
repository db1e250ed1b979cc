"""Who reaches what (issue 13, points 3 and 7): every governance and payout page and API endpoint, walked
as a visitor, a client who is not a member, a member and the board, on the demo data.

The list of addresses comes from the URL resolver: a new page in these areas without a case here fails
`test_every_page_and_endpoint_has_a_case`. Visitors and non-members never see the names or reasons of
an open ballot's votes.
"""

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from governance.models import Ballot, Election, Proposal, Vote
from membership.models import Member

pytestmark = pytest.mark.django_db

# The areas the role test covers: governance, payout cycles and profit shares, open books, statements.
AREAS = ("governance", "payout_cycles")
EXTRA = {
    "payouts:open_books",
    "api-money-open-books",
}
API_PREFIXES = ("api-governance-", "api-payout-cycle", "api-surplus-policy", "api-earnings-payout")

# name -> (path arguments from the demo objects, who may GET it: "all", "member", "board", "none" for POST only)
CASES: dict[str, tuple[str, str]] = {
    "governance:proposal_list": ("", "all"),
    "governance:proposal_new": ("", "member"),
    "governance:rules": ("", "all"),
    "governance:proposal_detail": ("open_proposal", "all"),
    "governance:proposal_publish": ("open_proposal", "none"),
    "governance:proposal_amend": ("open_proposal", "author"),
    "governance:proposal_withdraw": ("open_proposal", "none"),
    "governance:proposal_comment": ("open_proposal", "none"),
    "governance:proposal_vote": ("open_proposal", "none"),
    "governance:proxy_appoint": ("open_proposal", "none"),
    "governance:proxy_revoke": ("open_proposal", "none"),
    "governance:execution_retry": ("open_proposal", "none"),
    "governance:proposal_minutes": ("closed_proposal", "all"),
    "governance:election_list": ("", "all"),
    "governance:election_new": ("", "board"),
    "governance:election_detail": ("election", "all"),
    "governance:election_nominate": ("election", "none"),
    "governance:election_withdraw": ("election", "none"),
    "governance:election_vote": ("election", "none"),
    "governance:election_blt": ("closed_election", "member"),
    "payout_cycles:cycle_list": ("", "board"),
    "payout_cycles:cycle_detail": ("cycle", "board"),
    "payout_cycles:cycle_progress": ("cycle", "board"),
    "payout_cycles:cycle_action": ("cycle_action", "none"),
    "payout_cycles:cycle_statement": ("statement", "board"),
    "payout_cycles:earnings": ("", "board"),
    "payout_cycles:my_cycles": ("", "member"),
    "payout_cycles:my_statement": ("cycle", "member"),
    "payouts:open_books": ("", "member"),
    "api-money-open-books": ("", "member"),
    "api-governance-decision-types": ("", "signed_in"),
    "api-governance-rules": ("", "signed_in"),
    "api-governance-proposals": ("", "signed_in"),
    "api-governance-proposal-create": ("", "none"),
    "api-governance-proposal": ("open_proposal", "signed_in"),
    "api-governance-proposal-publish": ("open_proposal", "none"),
    "api-governance-proposal-comment": ("open_proposal", "none"),
    "api-governance-vote": ("open_proposal", "none"),
    "api-governance-execute": ("open_proposal", "none"),
    "api-governance-elections": ("", "signed_in"),
    "api-governance-election-nominate": ("election", "none"),
    "api-governance-election-vote": ("election", "none"),
    "api-payout-cycles": ("", "board"),
    "api-payout-cycle-open": ("", "none"),
    "api-payout-cycle-mine": ("", "member"),
    "api-payout-cycle": ("cycle", "board"),
    "api-payout-cycle-compute": ("cycle", "none"),
    "api-payout-cycle-approve": ("cycle", "none"),
    "api-payout-cycle-vote": ("cycle", "none"),
    "api-payout-cycle-execute": ("cycle", "none"),
    "api-payout-cycle-statements": ("cycle", "board"),
    "api-payout-cycle-my-statement": ("cycle", "member"),
    "api-surplus-policy": ("", "member"),
    "api-surplus-policy-propose": ("", "none"),
    "api-earnings-payouts": ("", "board"),
    "api-earnings-payout-run": ("", "none"),
}


# Profit shares, decided by the rules (payouts/cycles/permissions.py): a member's statements, the surplus
# policy and the coop's past cycles are for members, like the open books, so a client who never was a
# member gets 403 (the page with a way to apply). Someone who has left keeps their own statements (the
# notice of allocation records retained amounts that are still theirs): "My profit shares" and its API
# list them, without the coop's figures; the policy's API stays for members (the statement shows its
# redemption terms). test_a_former_member_keeps_their_own_statements_only walks that case.


def _names() -> set[str]:
    names: set[str] = set()

    def walk(resolver: URLResolver, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                if namespace in AREAS or name in EXTRA or pattern.name.startswith(API_PREFIXES):
                    names.add(name)

    walk(get_resolver(), "")
    return names


def test_every_page_and_endpoint_has_a_case() -> None:
    assert _names() - set(CASES) == set(), "add a role case for each new governance or payout page"


@pytest.fixture
def demo() -> dict[str, Any]:
    call_command("seed_demo", verbosity=0)
    from payouts.cycles.models import CycleAllocation, PayoutCycle

    open_proposal = (
        Proposal.objects.filter(ballot__status=Ballot.Status.OPEN).order_by("ballot__secret", "pk").first()
        or Proposal.objects.filter(ballot__isnull=False).order_by("-pk").first()
    )
    assert open_proposal is not None, list(Proposal.objects.values_list("title", "ballot__status"))
    member = Member.objects.filter(status=Member.Status.ACTIVE, user__email="jan@example.org").get()
    reason = "Role-test reason only members may read"
    # Every named vote in the demo gets a reason only members may read.
    Vote.objects.update(reason=reason)
    # The demo seeds a computed cycle for the month before last (and the open books an approved one
    # for 2025), so the cycle and statement pages are walked with real data.
    cycle = PayoutCycle.objects.order_by("-period_start").first()
    assert cycle.allocations.filter(member=member).exists()
    cycle_id = cycle.pk
    statement_member = CycleAllocation.objects.filter(cycle_id=cycle_id).first().member_id
    objects = {
        "open_proposal": [open_proposal.pk],
        "closed_proposal": [Proposal.objects.filter(ballot__status=Ballot.Status.CLOSED).first().pk],
        "election": [Election.objects.first().pk],
        "closed_election": [Election.objects.filter(ballot__status=Ballot.Status.CLOSED).first().pk],
        "cycle": [cycle_id],
        "cycle_action": [cycle_id, "compute"],
        "statement": [cycle_id, statement_member],
        "": [],
    }
    voter_names = [str(v.member.user) for v in Vote.objects.filter(ballot=open_proposal.ballot)]
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    client = users.filter(is_client=True, member__isnull=True).first()
    return {
        "objects": objects,
        "reason": reason,
        "voter_names": voter_names,
        "users": {
            "visitor": None,
            "non_member": client,
            "member": member.user,
            "board": users.get(email="admin@example.org"),
        },
    }


def _may(role: str, who: str, *, is_author: bool) -> bool:
    if who == "all":
        return True
    if who == "signed_in":
        return role != "visitor"
    if who == "member":
        return role in {"member", "board"}
    if who == "board":
        return role == "board"
    if who == "author":
        return is_author
    return False


@pytest.mark.parametrize("role", ["visitor", "non_member", "member", "board"])
def test_each_role_reaches_what_it_may_and_visitors_see_no_names_or_reasons(demo: dict[str, Any], role: str) -> None:
    user = demo["users"][role]
    browser = Client()
    if user is not None:
        browser.force_login(user)
    problems = []
    for name, (args_key, who) in sorted(CASES.items()):
        url = reverse(name, args=demo["objects"][args_key])
        response = browser.get(url, HTTP_ACCEPT="text/html")
        status = response.status_code
        if status >= 500:
            problems.append(f"{name}: {status}")
            continue
        if who == "none":
            if status == 200:
                problems.append(f"{name}: a GET of an action answers 200")
            continue
        open_proposal = Proposal.objects.get(pk=demo["objects"]["open_proposal"][0])
        allowed = _may(role, who, is_author=user is not None and open_proposal.author_id == user.pk)
        if allowed and status != 200:
            problems.append(f"{name}: {role} gets {status}, expected 200")
        if not allowed and status == 200:
            problems.append(f"{name}: {role} gets 200, expected a refusal")
        if not allowed and role == "visitor" and status not in {302, 401, 403, 404}:
            problems.append(f"{name}: visitor gets {status}")
        refused_page = not allowed and role == "non_member" and not name.startswith("api-") and status == 403
        if refused_page and reverse("membership:apply") not in response.content.decode():
            problems.append(f"{name}: the 403 page offers no way to apply")
        if status == 200 and role in {"visitor", "non_member"}:
            body = response.content.decode()
            if demo["reason"] in body:
                problems.append(f"{name}: {role} sees a vote's reason")
    assert problems == [], "\n".join(problems)


def test_a_former_member_keeps_their_own_statements_only(demo: dict[str, Any]) -> None:
    from payouts.cycles.models import CycleAllocation, PayoutCycle

    member = Member.objects.get(user=demo["users"]["member"])
    cycle = PayoutCycle.objects.get(pk=demo["objects"]["cycle"][0])
    Member.objects.filter(pk=member.pk).update(status=Member.Status.EXITED)
    browser = Client()
    browser.force_login(member.user)

    page = browser.get(reverse("payout_cycles:my_cycles"))
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("payout_cycles:my_statement", args=[cycle.pk]) in body
    assert "Past payout cycles" not in body, "the coop's figures are for members"
    assert browser.get(reverse("payout_cycles:my_statement", args=[cycle.pk])).status_code == 200
    mine = browser.get(reverse("api-payout-cycle-mine"))
    # Their own statements only: the demo's approved 2025 cycle is from before they joined, so not theirs.
    theirs = set(CycleAllocation.objects.filter(member=member).values_list("cycle_id", flat=True))
    assert cycle.pk in theirs and PayoutCycle.objects.exclude(pk__in=theirs).exists()
    assert mine.status_code == 200 and sorted(row["cycle_id"] for row in mine.json()["results"]) == sorted(theirs)
    assert browser.get(reverse("api-surplus-policy")).status_code == 403
    assert browser.get(reverse("payouts:open_books")).status_code == 403

    # A client who never was a member has no statements: refused, with the way to apply on the page.
    stranger = Client()
    stranger.force_login(demo["users"]["non_member"])
    refused = stranger.get(reverse("payout_cycles:my_cycles"))
    assert refused.status_code == 403 and reverse("membership:apply") in refused.content.decode()
    assert stranger.get(reverse("api-payout-cycle-mine")).json()["code"] == "members_only"

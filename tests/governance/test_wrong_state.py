"""Governance actions in the wrong state are a 409 with a stable code; other people's drafts are a 404.

Every API operation and page action on a proposal, its ballot or an election is tried in each state
that does not allow it: the API answers 409 with the code from governance.exceptions.ErrorCode (or
core's `bad_transition`), the page shows the same message, and nothing changes. A proposal that was
never published (a draft, or a draft its author withdrew) answers exactly as an id that does not
exist, to everyone but its author, so nobody learns it exists.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from core.exceptions import ErrorCode as CoreErrorCode
from governance.builtin import GENERAL_RESOLUTION
from governance.exceptions import BallotNotOpen, ErrorCode
from governance.models import Ballot, Candidate, Comment, Election, Participation, Proposal, ProxyAppointment, Vote
from governance.services.elections import candidate_nominate, election_create, election_vote_cast
from governance.services.proposals import proposal_create_for_decision, proposal_publish, proposal_withdraw
from governance.services.votes import proxy_appoint, proxy_revoke
from tests.governance.conftest import close_now, make_due
from tests.governance.test_elections import _close, _open

pytestmark = pytest.mark.django_db

MISSING = 999_999


def api(user: Any | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def page(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def author(members: list[Any]) -> Any:
    """The proposals' author, who is also on the board (to try carrying out their own draft)."""
    from django.contrib.auth.models import Group

    user = members[0].user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(Group.objects.get_or_create(name="board")[0])
    return user


@pytest.fixture
def other(members: list[Any]) -> Any:
    return members[1].user


@pytest.fixture
def proposal_in(author: Any, members: list[Any]) -> Callable[[str], Proposal]:
    """Return a proposal by `author` in the named state."""
    from governance.services.ballots import ballot_open

    def make(state: str) -> Proposal:
        proposal = proposal_create_for_decision(key=GENERAL_RESOLUTION, payload={}, title=f"In {state}", author=author)
        if state == "draft":
            return proposal
        if state == "withdrawn_draft":
            return proposal_withdraw(proposal_id=proposal.pk, actor=author)
        proposal = proposal_publish(proposal_id=proposal.pk, actor=author)
        if state == "withdrawn":
            return proposal_withdraw(proposal_id=proposal.pk, actor=author)
        if state == "discussion":
            return proposal
        make_due(proposal.ballot)
        ballot_open(ballot_id=proposal.ballot_id)
        proposal.refresh_from_db()
        if state == "voting":
            return proposal
        assert state == "decided"
        return close_now(proposal)

    return make


def _snapshot() -> tuple[int, ...]:
    return (
        Vote.objects.count(),
        Participation.objects.count(),
        Comment.objects.count(),
        Ballot.objects.count(),
        ProxyAppointment.objects.count(),
        Candidate.objects.count(),
    )


# --- Proposals through the API --------------------------------------------------------------------

API_ACTIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "vote": ("/api/governance/proposals/{pk}/vote/", {"choice": "yes"}),
    "publish": ("/api/governance/proposals/{pk}/publish/", {}),
    "comment": ("/api/governance/proposals/{pk}/comments/", {"body": "I have a question."}),
    "execute": ("/api/governance/proposals/{pk}/execute/", {}),
}

# (action, state, who acts, the code of the 409)
API_WRONG_STATES = [
    ("vote", "draft", "author", ErrorCode.BALLOT_NOT_OPEN),
    ("vote", "withdrawn_draft", "author", ErrorCode.BALLOT_NOT_OPEN),
    ("vote", "discussion", "other", ErrorCode.BALLOT_NOT_OPEN),
    ("vote", "decided", "other", ErrorCode.BALLOT_NOT_OPEN),
    ("vote", "withdrawn", "other", ErrorCode.BALLOT_NOT_OPEN),
    ("publish", "withdrawn_draft", "author", ErrorCode.NOT_A_DRAFT),
    ("publish", "discussion", "author", ErrorCode.NOT_A_DRAFT),
    ("publish", "voting", "author", ErrorCode.NOT_A_DRAFT),
    ("publish", "decided", "author", ErrorCode.NOT_A_DRAFT),
    ("publish", "withdrawn", "author", ErrorCode.NOT_A_DRAFT),
    ("comment", "draft", "author", ErrorCode.COMMENTS_CLOSED),
    ("comment", "withdrawn_draft", "author", ErrorCode.COMMENTS_CLOSED),
    ("comment", "decided", "other", ErrorCode.COMMENTS_CLOSED),
    ("comment", "withdrawn", "other", ErrorCode.COMMENTS_CLOSED),
    ("execute", "draft", "author", ErrorCode.NOTHING_TO_EXECUTE),
    ("execute", "discussion", "author", ErrorCode.NOTHING_TO_EXECUTE),
    ("execute", "voting", "author", ErrorCode.NOTHING_TO_EXECUTE),
    ("execute", "decided", "author", ErrorCode.NOTHING_TO_EXECUTE),
    ("execute", "withdrawn", "author", ErrorCode.NOTHING_TO_EXECUTE),
]


@pytest.mark.parametrize(("action", "state", "who", "code"), API_WRONG_STATES)
def test_an_api_action_in_the_wrong_state_is_a_409_with_its_code_and_changes_nothing(
    proposal_in: Any, author: Any, other: Any, action: str, state: str, who: str, code: str
) -> None:
    proposal = proposal_in(state)
    path, body = API_ACTIONS[action]
    before, status = _snapshot(), proposal.status
    response = api(author if who == "author" else other).post(path.format(pk=proposal.pk), body, format="json")
    assert response.status_code == 409, response.content
    assert response.json()["code"] == code
    assert response.json()["message"]
    proposal.refresh_from_db()
    assert (_snapshot(), proposal.status) == (before, status)


def test_voting_on_a_draft_was_a_500_and_is_now_a_409(proposal_in: Any, author: Any) -> None:
    draft = proposal_in("draft")
    response = api(author).post(f"/api/governance/proposals/{draft.pk}/vote/", {"choice": "yes"}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "code": ErrorCode.BALLOT_NOT_OPEN,
        "message": "This ballot is not open for voting.",
        "detail": {},
    }


@pytest.mark.parametrize("action", sorted(API_ACTIONS))
@pytest.mark.parametrize("state", ["draft", "withdrawn_draft"])
def test_someone_elses_unpublished_proposal_answers_as_a_missing_id_through_the_api(
    proposal_in: Any, other: Any, staff: Any, action: str, state: str
) -> None:
    proposal = proposal_in(state)
    path, body = API_ACTIONS[action]
    for user in (other, staff, None):
        client = api(user)
        hidden = client.post(path.format(pk=proposal.pk), body, format="json")
        missing = client.post(path.format(pk=MISSING), body, format="json")
        assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())
        if user is not None:
            assert hidden.status_code in {403, 404}
            if action != "execute" or user.is_staff:
                assert hidden.status_code == 404
    for user in (other, staff):
        assert api(user).get(f"/api/governance/proposals/{proposal.pk}/").status_code == 404
    hidden = api(None).get(f"/api/governance/proposals/{proposal.pk}/")
    missing = api(None).get(f"/api/governance/proposals/{MISSING}/")
    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())


def test_the_author_sees_their_draft_and_nobody_else_finds_it_in_a_list(
    proposal_in: Any, author: Any, other: Any
) -> None:
    draft, withdrawn_draft, published = proposal_in("draft"), proposal_in("withdrawn_draft"), proposal_in("discussion")
    assert api(author).get(f"/api/governance/proposals/{draft.pk}/").json()["status"] == "draft"
    assert api(author).get(f"/api/governance/proposals/{withdrawn_draft.pk}/").status_code == 200
    for show in ("", "?show=withdrawn", "?show=draft"):
        listed = api(other).get(f"/api/governance/proposals/{show}").json()["results"]
        assert {p["id"] for p in listed} <= {published.pk}
    listed = page(other).get(reverse("governance:proposal_list") + "?show=all").content.decode()
    assert "In draft" not in listed and "In withdrawn_draft" not in listed and "In discussion" in listed


# --- Proposals through the pages ------------------------------------------------------------------

PAGE_POSTS: dict[str, dict[str, Any]] = {
    "governance:proposal_publish": {},
    "governance:proposal_withdraw": {},
    "governance:proposal_amend": {"title": "Changed", "body": "", "details": "", "note": ""},
    "governance:proposal_comment": {"body": "Hello"},
    "governance:proposal_vote": {"choice": "yes"},
    "governance:proxy_appoint": {"holder_member_number": "1"},
    "governance:proxy_revoke": {},
    "governance:execution_retry": {},
}
PAGE_GETS = ["governance:proposal_detail", "governance:proposal_amend", "governance:proposal_minutes"]


@pytest.mark.parametrize("state", ["draft", "withdrawn_draft"])
def test_someone_elses_unpublished_proposal_is_a_404_on_every_page(
    proposal_in: Any, other: Any, staff: Any, state: str
) -> None:
    proposal = proposal_in(state)
    before = _snapshot()
    for user in (other, staff):
        client = page(user)
        for name in PAGE_GETS:
            assert client.get(reverse(name, args=[proposal.pk])).status_code == 404, name
        for name, data in PAGE_POSTS.items():
            assert client.post(reverse(name, args=[proposal.pk]), data).status_code == 404, name
    anonymous = page(None)
    assert anonymous.get(reverse("governance:proposal_detail", args=[proposal.pk])).status_code == 404
    for name, data in PAGE_POSTS.items():
        hidden = anonymous.post(reverse(name, args=[proposal.pk]), data)
        missing = anonymous.post(reverse(name, args=[MISSING]), data)
        assert hidden.status_code == missing.status_code == 302  # to the login page, whatever the id
        assert hidden.url.replace(str(proposal.pk), "ID") == missing.url.replace(str(MISSING), "ID")
    assert _snapshot() == before
    proposal.refresh_from_db()
    assert proposal.title == f"In {state}"


# (page, state, who acts, form data, the message the page shows)
PAGE_WRONG_STATES = [
    ("governance:proposal_vote", "draft", "author", {"choice": "yes"}, "This ballot is not open for voting."),
    ("governance:proposal_vote", "discussion", "other", {"choice": "yes"}, "This ballot is not open for voting."),
    ("governance:proposal_vote", "decided", "other", {"choice": "no"}, "This ballot is not open for voting."),
    ("governance:proxy_appoint", "draft", "author", {"holder_member_number": "?"}, "This ballot is not open"),
    (
        "governance:proposal_publish",
        "discussion",
        "author",
        {},
        "Only a draft can be published: this proposal is already published or withdrawn.",
    ),
    (
        "governance:proposal_comment",
        "decided",
        "other",
        {"body": "Late"},
        "Comments are open during discussion and voting only.",
    ),
    ("governance:proposal_comment", "draft", "author", {"body": "Note"}, "Comments are open during discussion"),
    ("governance:proposal_withdraw", "voting", "author", {}, "A proposal can be withdrawn only until voting opens."),
    ("governance:proposal_withdraw", "decided", "author", {}, "to “Withdrawn”."),
    ("governance:execution_retry", "draft", "author", {}, "This decision has no effect to carry out."),
    ("governance:execution_retry", "voting", "author", {}, "This decision has no effect to carry out."),
]


@pytest.mark.parametrize(("name", "state", "who", "data", "message"), PAGE_WRONG_STATES)
def test_a_page_action_in_the_wrong_state_shows_why_and_changes_nothing(
    proposal_in: Any,
    author: Any,
    other: Any,
    members: list[Any],
    name: str,
    state: str,
    who: str,
    data: Any,
    message: str,
) -> None:
    proposal = proposal_in(state)
    if data.get("holder_member_number") == "?":
        data = {"holder_member_number": members[2].member_number}
    before, status = _snapshot(), proposal.status
    response = page(author if who == "author" else other).post(reverse(name, args=[proposal.pk]), data, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(proposal.get_absolute_url(), 302)]
    assert message in response.content.decode()
    proposal.refresh_from_db()
    assert (_snapshot(), proposal.status) == (before, status)


def test_a_proxy_cannot_be_appointed_or_revoked_once_the_ballot_is_closed(
    proposal_in: Any, members: list[Any], rules: Any
) -> None:
    rules("general", proxies_allowed=True, max_proxies=1)
    proposal = proposal_in("voting")
    grantor, holder = members[2], members[3]
    proxy_appoint(ballot_id=proposal.ballot_id, actor=grantor.user, holder_member_id=holder.pk)
    close_now(proposal)
    with pytest.raises(BallotNotOpen):
        proxy_revoke(ballot_id=proposal.ballot_id, actor=grantor.user)
    with pytest.raises(BallotNotOpen):
        proxy_appoint(ballot_id=proposal.ballot_id, actor=members[4].user, holder_member_id=holder.pk)
    response = page(grantor.user).post(reverse("governance:proxy_revoke", args=[proposal.pk]), follow=True)
    assert "This ballot is not open for voting." in response.content.decode()
    assert ProxyAppointment.objects.filter(ballot_id=proposal.ballot_id, grantor=grantor).exists()


def test_a_withdrawal_in_the_wrong_state_is_a_bad_transition(proposal_in: Any, author: Any) -> None:
    from core.exceptions import BadTransition

    proposal = proposal_in("decided")
    with pytest.raises(BadTransition) as err:
        proposal_withdraw(proposal_id=proposal.pk, actor=author)
    assert err.value.code == CoreErrorCode.BAD_TRANSITION and err.value.status_code == 409


# --- Elections ------------------------------------------------------------------------------------


@pytest.fixture
def election_in(staff: Any, members: list[Any]) -> Callable[[str], Election]:
    """Return an election in the named state (with one candidate, except a cancelled one)."""

    def make(state: str) -> Election:
        election = election_create(title=f"Board {state}", seats=1, method="irv", actor=staff)
        if state != "cancelled":
            candidate = candidate_nominate(election_id=election.pk, actor=members[4].user, statement="Me")
        if state == "nominations":
            return election
        _open(election)
        if state == "voting" or state == "cancelled":
            election.refresh_from_db()
            return election
        assert state == "counted"
        election_vote_cast(election_id=election.pk, actor=members[0].user, ranking=[candidate.pk])
        _close(election)
        election.refresh_from_db()
        return election

    return make


@pytest.mark.parametrize(
    ("action", "state", "code"),
    [
        ("nominate", "voting", ErrorCode.NOMINATIONS_CLOSED),
        ("nominate", "counted", ErrorCode.NOMINATIONS_CLOSED),
        ("nominate", "cancelled", ErrorCode.NOMINATIONS_CLOSED),
        ("vote", "nominations", ErrorCode.BALLOT_NOT_OPEN),
        ("vote", "counted", ErrorCode.BALLOT_NOT_OPEN),
        ("vote", "cancelled", ErrorCode.BALLOT_NOT_OPEN),
    ],
)
def test_an_election_action_in_the_wrong_state_is_a_409_with_its_code(
    election_in: Any, members: list[Any], action: str, state: str, code: str
) -> None:
    election = election_in(state)
    candidate = election.candidates.first()
    body = {"statement": "Vote for me"} if action == "nominate" else {"ranking": [candidate.pk if candidate else 1]}
    before, status = _snapshot(), election.status
    response = api(members[1].user).post(f"/api/governance/elections/{election.pk}/{action}/", body, format="json")
    assert response.status_code == 409, response.content
    assert response.json()["code"] == code
    election.refresh_from_db()
    assert (_snapshot(), election.status) == (before, status)


@pytest.mark.parametrize(
    ("name", "state", "data", "message"),
    [
        (
            "governance:election_nominate",
            "voting",
            {"statement": "Me too"},
            "Nominations for this election are closed.",
        ),
        (
            "governance:election_withdraw",
            "counted",
            {},
            "Candidates can withdraw only while nominations are open.",
        ),
        ("governance:election_vote", "nominations", {}, "This ballot is not open for voting."),
        ("governance:election_vote", "cancelled", {}, "This ballot is not open for voting."),
    ],
)
def test_an_election_page_action_in_the_wrong_state_shows_why(
    election_in: Any, members: list[Any], name: str, state: str, data: dict[str, Any], message: str
) -> None:
    election = election_in(state)
    candidate = election.candidates.first()
    if name == "governance:election_vote":
        data = {f"rank-{candidate.pk if candidate else 1}": "1"}
    before = _snapshot()
    response = page(members[4].user).post(reverse(name, args=[election.pk]), data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _snapshot() == before

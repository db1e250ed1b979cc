"""Votes: yes/no/abstain with a reason, changeable on open ballots, proxies within the rules."""

from typing import Any

import pytest
from allauth.account.models import EmailAddress

from core.exceptions import ApplicationError, Conflict, NotAllowed
from governance.exceptions import ErrorCode
from governance.models import Proposal, Vote
from governance.services.votes import proxy_appoint, proxy_revoke, vote_cast
from tests.factories import MemberFactory, UserFactory
from tests.governance.conftest import close_now

pytestmark = pytest.mark.django_db


def test_a_vote_changes_until_close_and_stays_one_row(open_proposal: Any, members: list[Any]) -> None:
    proposal = open_proposal()
    voter = members[1].user
    vote_cast(ballot_id=proposal.ballot_id, actor=voter, choice="no", reason="Too soon")
    vote = vote_cast(ballot_id=proposal.ballot_id, actor=voter, choice="yes", reason="Convinced")
    assert Vote.objects.filter(ballot=proposal.ballot).count() == 1
    assert (vote.choice, vote.reason) == ("yes", "Convinced")
    close_now(proposal)
    with pytest.raises(Conflict) as err:
        vote_cast(ballot_id=proposal.ballot_id, actor=voter, choice="no")
    assert err.value.message == "This ballot is not open for voting."


def test_an_unknown_choice_is_refused_with_a_clear_message(open_proposal: Any, members: list[Any]) -> None:
    proposal = open_proposal()
    with pytest.raises(ApplicationError) as err:
        vote_cast(ballot_id=proposal.ballot_id, actor=members[1].user, choice="maybe")
    assert err.value.message == "Choose yes, no or abstain."


def test_voting_needs_a_verified_email(open_proposal: Any, members: list[Any]) -> None:
    proposal = open_proposal()
    user = members[2].user
    EmailAddress.objects.filter(user=user).update(verified=False)
    user = type(user).objects.get(pk=user.pk)
    with pytest.raises(NotAllowed) as err:
        vote_cast(ballot_id=proposal.ballot_id, actor=user, choice="yes")
    assert err.value.code == ErrorCode.EMAIL_NOT_VERIFIED


def test_non_members_cannot_vote(open_proposal: Any) -> None:
    proposal = open_proposal()
    with pytest.raises(NotAllowed) as err:
        vote_cast(ballot_id=proposal.ballot_id, actor=UserFactory(), choice="yes")
    assert err.value.code == ErrorCode.MEMBERS_ONLY


def test_abstentions_count_for_quorum_but_not_for_the_majority(
    open_proposal: Any, members: list[Any], rules: Any
) -> None:
    rules("general", quorum_numerator=3, quorum_denominator=5)
    proposal = open_proposal()
    for member, choice in zip(members, ["yes", "abstain", "abstain"], strict=False):
        vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice=choice)
    proposal = close_now(proposal)
    assert proposal.status == Proposal.Status.PASSED
    assert proposal.ballot.result.quorum_needed == 3


def test_proxies_are_refused_unless_the_rules_allow_them(open_proposal: Any, members: list[Any]) -> None:
    proposal = open_proposal()
    with pytest.raises(NotAllowed) as err:
        proxy_appoint(ballot_id=proposal.ballot_id, actor=members[1].user, holder_member_id=members[2].pk)
    assert err.value.message == "The rules for this vote do not allow proxies."


def test_a_proxy_votes_within_the_limit_and_a_direct_vote_overrides(
    open_proposal: Any, members: list[Any], rules: Any
) -> None:
    rules("general", proxies_allowed=True, max_proxies=1)
    proposal = open_proposal()
    ballot_id = proposal.ballot_id
    holder, grantor, other = members[1], members[2], members[3]
    proxy_appoint(ballot_id=ballot_id, actor=grantor.user, holder_member_id=holder.pk)
    with pytest.raises(Conflict) as err:
        proxy_appoint(ballot_id=ballot_id, actor=other.user, holder_member_id=holder.pk)
    assert err.value.code == ErrorCode.PROXY_LIMIT
    with pytest.raises(ApplicationError) as err:
        proxy_appoint(ballot_id=ballot_id, actor=other.user, holder_member_id=UserFactory().pk + 10_000)
    assert err.value.message == "Only an active member can be a proxy."
    vote = vote_cast(ballot_id=ballot_id, actor=holder.user, choice="no", on_behalf_of=grantor.pk)
    assert vote.via_proxy and vote.member_id == grantor.pk and vote.cast_by == holder.user
    with pytest.raises(NotAllowed):
        vote_cast(ballot_id=ballot_id, actor=other.user, choice="no", on_behalf_of=grantor.pk)
    vote = vote_cast(ballot_id=ballot_id, actor=grantor.user, choice="yes")
    assert not vote.via_proxy and vote.choice == "yes"
    with pytest.raises(Conflict) as err:
        vote_cast(ballot_id=ballot_id, actor=holder.user, choice="no", on_behalf_of=grantor.pk)
    assert err.value.code == ErrorCode.VOTED_IN_PERSON
    assert Vote.objects.filter(ballot_id=ballot_id).count() == 1
    proxy_revoke(ballot_id=ballot_id, actor=grantor.user)


def test_proxies_and_secret_ballots_do_not_mix(rules: Any) -> None:
    with pytest.raises(ApplicationError) as err:
        rules("general", proxies_allowed=True, max_proxies=2, secret=True)
    assert err.value.code == ErrorCode.INVALID_RULES


def test_only_the_classes_the_rules_name_are_on_the_roll(open_proposal: Any, members: list[Any], rules: Any) -> None:
    client_member = MemberFactory(member_class__slug="client", member_class__name="Client")
    rules("general", voter_class_slugs=["worker"])
    proposal = open_proposal()
    assert proposal.ballot.electorate_size == 5
    with pytest.raises(NotAllowed):
        vote_cast(ballot_id=proposal.ballot_id, actor=client_member.user, choice="yes")

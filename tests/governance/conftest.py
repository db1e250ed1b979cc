"""Fixtures for governance tests: members, proposals at each stage, and a clock that moves ballots."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import TestCase
from django.utils import timezone

from governance.builtin import GENERAL_RESOLUTION
from governance.models import Ballot, Execution, Proposal, RuleSet
from governance.rules_defaults import ensure_founding_rules
from governance.services.ballots import ballot_close, ballot_open
from governance.services.execution import decision_execute
from governance.services.proposals import proposal_create, proposal_publish
from governance.services.rules import ruleset_create_version
from tests.factories import MemberClassFactory, MemberFactory


@pytest.fixture(autouse=True)
def founding_rules(request: Any) -> None:
    """Make sure version 1 of every rule family exists, also when tests run without migrations."""
    if (
        "db" in request.fixturenames
        or "transactional_db" in request.fixturenames
        or request.node.get_closest_marker("django_db")
    ):
        request.getfixturevalue("db" if "transactional_db" not in request.fixturenames else "transactional_db")
        ensure_founding_rules()


@pytest.fixture
def worker_class(db: Any) -> Any:
    return MemberClassFactory(slug="worker", name="Worker")


@pytest.fixture
def members(worker_class: Any) -> list[Any]:
    return [MemberFactory(member_class=worker_class) for _ in range(5)]


@pytest.fixture
def rules(db: Any) -> Callable[..., RuleSet]:
    """Write a new version of a rule family with the given changes."""

    def make(key: str = "general", **changes: Any) -> RuleSet:
        return ruleset_create_version(key=key, changes=changes, actor=None)

    return make


def make_due(ballot: Ballot, *, opening: bool = True) -> None:
    """Move a ballot's schedule into the past, as if its time had come."""
    now = timezone.now()
    if opening:
        Ballot.objects.filter(pk=ballot.pk).update(
            notice_given_at=now - timedelta(days=9),
            opens_at=now - timedelta(minutes=1),
            closes_at=now + timedelta(days=7),
        )
    else:
        Ballot.objects.filter(pk=ballot.pk).update(
            opens_at=now - timedelta(days=8), closes_at=now - timedelta(seconds=1)
        )


@pytest.fixture
def open_proposal(members: list[Any]) -> Callable[..., Proposal]:
    """Create a proposal by the first member, publish it, and open its ballot."""

    def make(
        key: str = GENERAL_RESOLUTION, payload: dict | None = None, title: str = "Adopt a code of conduct"
    ) -> Proposal:
        author = members[0].user
        proposal = proposal_create(decision_key=key, payload=payload or {}, title=title, author=author, actor=author)
        proposal = proposal_publish(proposal_id=proposal.pk, actor=author)
        make_due(proposal.ballot)
        ballot_open(ballot_id=proposal.ballot_id)
        proposal.refresh_from_db()
        return proposal

    return make


def close_now(proposal: Proposal) -> Proposal:
    """Close the proposal's ballot now and carry out the decision as the queued task would.

    The queued task itself is not sent, so these tests never need a broker or a worker; the browser
    journey covers the task on a real worker.
    """
    make_due(proposal.ballot, opening=False)
    with TestCase.captureOnCommitCallbacks(execute=False):
        ballot_close(ballot_id=proposal.ballot_id)
    if Execution.objects.filter(proposal_id=proposal.pk, status=Execution.Status.PENDING).exists():
        decision_execute(proposal_id=proposal.pk)
    proposal.refresh_from_db()
    return proposal

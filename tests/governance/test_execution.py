"""Execution: a passed decision's effect runs exactly once, is audited, and a failure can be retried."""

from typing import Any

import pytest

from core.decisions import DecisionType, register_decision_type
from core.exceptions import ApplicationError, Forbidden
from core.models import AuditEvent
from governance.builtin import BYLAW_AMENDMENT
from governance.models import Execution, Proposal, RuleSet
from governance.services.execution import decision_execute
from governance.services.votes import vote_cast
from tests.governance.conftest import close_now

pytestmark = pytest.mark.django_db

CALLS: list[dict] = []
FAIL = {"on": True}


def _validate(payload: dict) -> dict:
    if "n" not in payload:
        raise ApplicationError("n is required", code="invalid_payload")
    return {"n": int(payload["n"])}


def _execute(*, payload: dict, proposal_id: int, actor: Any) -> None:
    if FAIL["on"]:
        raise RuntimeError("the payment provider is down")
    CALLS.append({"payload": payload, "proposal_id": proposal_id})


@pytest.fixture
def flaky_type() -> str:
    CALLS.clear()
    FAIL["on"] = True
    register_decision_type(
        DecisionType(
            key="tests.flaky", label="Flaky", rules_key="general", validate_payload=_validate, execute=_execute
        )
    )
    return "tests.flaky"


def _pass(proposal: Proposal, members: list[Any]) -> Proposal:
    for member in members[:3]:
        vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice="yes")
    return close_now(proposal)


def test_a_failed_execution_is_visible_and_a_retry_runs_the_effect_once(
    open_proposal: Any, members: list[Any], flaky_type: str, staff: Any
) -> None:
    proposal = _pass(open_proposal(key=flaky_type, payload={"n": 3}), members)
    execution = Execution.objects.get(proposal=proposal)
    assert execution.status == Execution.Status.FAILED
    assert execution.last_error == "RuntimeError: the payment provider is down"
    assert proposal.status == Proposal.Status.PASSED
    FAIL["on"] = False
    with pytest.raises(Forbidden):  # a retry is the board's (the permission table's motion.execute)
        decision_execute(proposal_id=proposal.pk, actor=members[0].user)
    execution = decision_execute(proposal_id=proposal.pk, actor=staff)
    assert execution.status == Execution.Status.SUCCEEDED and execution.attempts == 2
    decision_execute(proposal_id=proposal.pk)
    assert [{"payload": {"n": 3}, "proposal_id": proposal.pk}] == CALLS
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.EXECUTED
    actions = list(
        AuditEvent.objects.filter(target_id=str(proposal.pk), action__startswith="decision.").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["decision.executed", "decision.execution_failed"]


def test_a_rejected_decision_has_no_execution(open_proposal: Any, members: list[Any], flaky_type: str) -> None:
    proposal = open_proposal(key=flaky_type, payload={"n": 1})
    for member in members[:3]:
        vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice="no")
    proposal = close_now(proposal)
    assert proposal.status == Proposal.Status.REJECTED
    assert not Execution.objects.filter(proposal=proposal).exists()


def test_a_passed_bylaw_amendment_adopts_a_new_rules_version(open_proposal: Any, members: list[Any]) -> None:
    payload = {
        "article": "9",
        "text": "Votes need a quarter.",
        "rules_key": "general",
        "rules": {"quorum_numerator": 1, "quorum_denominator": 4},
    }
    proposal = open_proposal(key=BYLAW_AMENDMENT, payload=payload)
    for member in members:
        vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice="yes")
    proposal = close_now(proposal)
    assert proposal.status == Proposal.Status.EXECUTED
    adopted = RuleSet.objects.get(adopted_by=proposal)
    assert (adopted.key, adopted.version, adopted.quorum_denominator) == ("general", 2, 4)
    decision_execute(proposal_id=proposal.pk)
    assert RuleSet.objects.filter(key="general").count() == 2


def test_a_bylaw_amendment_with_bad_rules_is_refused_at_proposal(members: list[Any]) -> None:
    from governance.services.proposals import proposal_create_for_decision

    with pytest.raises(ApplicationError) as err:
        proposal_create_for_decision(
            key=BYLAW_AMENDMENT,
            payload={"article": "9", "text": "x", "rules_key": "general", "rules": {"voting_days": 0}},
            title="Faster votes",
            author=members[0].user,
        )
    assert err.value.message == "Voting must stay open for at least one day."


def test_a_passed_text_amendment_puts_new_bylaws_in_force_once(open_proposal: Any, members: list[Any]) -> None:
    from datetime import date

    from membership.models import BylawsVersion
    from membership.selectors import bylaws_current

    BylawsVersion.objects.create(
        version="2025.1",
        effective_on=date(2025, 1, 1),
        text=(
            "Article 3. Members\nAnyone can apply.\n\n"
            "Article 4. Leaving\nThirty days' notice.\n\n"
            "Article 5. End\nBye.\n"
        ),
    )
    payload = {"article": "4", "text": "A member can resign with fourteen days' notice."}
    proposal = open_proposal(key=BYLAW_AMENDMENT, payload=payload)
    for member in members:
        vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice="yes")
    proposal = close_now(proposal)

    assert proposal.status == Proposal.Status.EXECUTED
    current = bylaws_current()
    assert current.version.endswith(f"decision-{proposal.pk}")
    assert current.text == (
        "Article 3. Members\nAnyone can apply.\n\n"
        "Article 4. Leaving\nA member can resign with fourteen days' notice.\n\n"
        "Article 5. End\nBye.\n"
    )
    decision_execute(proposal_id=proposal.pk)
    assert BylawsVersion.objects.count() == 2
    assert AuditEvent.objects.filter(action="bylaws.amended").count() == 1


def test_an_amendment_of_an_article_the_bylaws_lack_adds_it() -> None:
    from membership.services.bylaws import article_replace

    assert article_replace("Article 1. Name\nCoop.\n", "2", "New.") == "Article 1. Name\nCoop.\n\nArticle 2.\nNew.\n"
    assert article_replace("Article 1. Name\nCoop.\n", "1", "Other.") == "Article 1. Name\nOther.\n"

import pytest

from governance import demo
from governance.models import Election, Execution, Proposal

pytestmark = pytest.mark.django_db


def test_demo_data_has_an_open_an_executed_proposal_and_a_past_election_and_is_idempotent() -> None:
    from core import demo as core_demo
    from membership import demo as membership_demo

    core_demo.seed()
    membership_demo.seed()
    demo.seed()
    demo.seed()
    assert Proposal.objects.get(title=demo.OPEN_TITLE).status == Proposal.Status.VOTING
    executed = Proposal.objects.get(title=demo.EXECUTED_TITLE)
    assert executed.status == Proposal.Status.EXECUTED
    assert executed.execution.status == Execution.Status.SUCCEEDED
    election = Election.objects.get(title=demo.ELECTION_TITLE)
    assert election.status == Election.Status.COUNTED
    assert election.candidates.filter(elected=True).count() == 3

"""A project acceptance decision the members' rules opened is the members' to decide, not the client's to withdraw.

The client who posted the job is the decision's author (governance shows who asked), but the decision
is held by the job: its author cannot amend or withdraw it, on the page or through the service. The
proper path is withdrawing the job, which withdraws the decision with the reason, before or during
its vote, so the job is never left waiting and the members are never bypassed.
"""

from typing import Any

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from core.exceptions import Conflict, NotAllowed
from core.models import AuditEvent, Notification
from core.notifications import notification_text
from governance import notifications as notice_kinds
from governance.exceptions import BallotNotOpen
from governance.exceptions import ErrorCode as GovernanceErrorCode
from governance.models import Ballot, Proposal
from governance.services.ballots import ballot_close
from governance.services.proposals import proposal_amend, proposal_create, proposal_publish, proposal_withdraw
from governance.services.votes import vote_cast
from marketplace.decisions import PROJECT_ACCEPTANCE_KEY
from marketplace.models import Job
from marketplace.services.jobs import job_cancel
from marketplace.work_decisions import ACCEPTANCE_RULES_KEY
from tests.factories import MemberFactory
from tests.marketplace.work_rules_helpers import decide, open_ballot_now, starts_now

pytestmark = pytest.mark.django_db

HELD = "and its client cannot amend or withdraw it. Cancelling the job withdraws the decision."
WITHDRAWN = "Withdrawn because its client cancelled the job “Library website” before the members decided."
TOLD = (
    "“Accept the project “Library website”” is withdrawn before the members decided: what it was opened for was "
    "withdrawn. Votes already cast are not counted; the proposal's page says why."
)
TOLD_NL = (
    "“Accept the project “Library website”” is ingetrokken voordat de leden besloten: waarvoor het geopend was, is "
    "ingetrokken. Al uitgebrachte stemmen tellen niet; op de pagina van het voorstel staat waarom."
)


def withdrawn_notices() -> dict[int, Notification]:
    return {n.user_id: n for n in Notification.objects.filter(kind=notice_kinds.DECISION_WITHDRAWN)}


@pytest.fixture
def members() -> list[Any]:
    from governance.rules_defaults import ensure_founding_rules

    ensure_founding_rules()
    return [MemberFactory() for _ in range(3)]


@pytest.fixture
def waiting(members: list[Any], make_job: Any) -> Job:
    terms = {"budget_over_cents": 1_000_000, "excluded_sectors": [], "client_kinds": []}
    decide(ACCEPTANCE_RULES_KEY, {"terms": terms, "valid_from": starts_now()}, members)
    job = make_job(title="Library website", budget_max_cents=2_000_000)
    assert job.status == Job.Status.AWAITING_MEMBERS
    return job


def test_the_client_cannot_withdraw_or_amend_the_decision_its_job_waits_on(waiting: Job, hirer: Any) -> None:
    decision = Proposal.objects.get(pk=waiting.members_decision_id)
    assert decision.author == hirer and decision.status == Proposal.Status.DISCUSSION
    with pytest.raises(Conflict) as refused:
        proposal_withdraw(proposal_id=decision.pk, actor=hirer)
    assert refused.value.code == GovernanceErrorCode.DECISION_HELD
    assert HELD in refused.value.message
    with pytest.raises(Conflict) as refused:
        proposal_amend(proposal_id=decision.pk, title="Accept it", body="", actor=hirer)
    assert refused.value.code == GovernanceErrorCode.DECISION_HELD
    decision.refresh_from_db()
    waiting.refresh_from_db()
    assert decision.status == Proposal.Status.DISCUSSION and decision.revision == 1
    assert Ballot.objects.get(pk=decision.ballot_id).status == Ballot.Status.SCHEDULED
    assert waiting.status == Job.Status.AWAITING_MEMBERS


def test_the_decision_page_offers_the_client_no_withdrawal_and_says_why(
    waiting: Job, hirer: Any, client_for: Any
) -> None:
    web = client_for(hirer)
    url = reverse("governance:proposal_detail", args=[waiting.members_decision_id])
    page = web.get(url).content.decode()
    assert HELD in page
    assert reverse("governance:proposal_withdraw", args=[waiting.members_decision_id]) not in page
    assert reverse("governance:proposal_amend", args=[waiting.members_decision_id]) not in page
    # Posting the withdrawal anyway is refused with the same words and changes nothing.
    response = web.post(reverse("governance:proposal_withdraw", args=[waiting.members_decision_id]), follow=True)
    assert HELD in response.content.decode()
    response = web.get(reverse("governance:proposal_amend", args=[waiting.members_decision_id]), follow=True)
    assert response.redirect_chain[-1][0] == url and HELD in response.content.decode()
    assert Proposal.objects.get(pk=waiting.members_decision_id).status == Proposal.Status.DISCUSSION


def test_withdrawing_the_job_withdraws_its_decision_with_the_reason(
    waiting: Job, hirer: Any, client_for: Any, members: list[Any]
) -> None:
    web = client_for(hirer)
    response = web.post(reverse("marketplace:job-action", args=[waiting.pk, "cancel"]), follow=True)
    assert response.status_code == 200
    waiting.refresh_from_db()
    decision = Proposal.objects.get(pk=waiting.members_decision_id)
    assert waiting.status == Job.Status.CANCELLED
    assert decision.status == Proposal.Status.WITHDRAWN
    assert Ballot.objects.get(pk=decision.ballot_id).status == Ballot.Status.CANCELLED
    audit = AuditEvent.objects.get(action="proposal.withdrawn", target_id=str(decision.pk))
    assert audit.data["reason"] == "the client withdrew the job" and audit.data["by_platform"] is True
    assert audit.actor == hirer
    page = client_for(members[1].user).get(reverse("governance:proposal_detail", args=[decision.pk]))
    assert WITHDRAWN in page.content.decode()


def test_withdrawing_the_job_during_the_vote_cancels_the_ballot_and_no_result_follows(
    waiting: Job, hirer: Any, members: list[Any]
) -> None:
    decision = open_ballot_now(waiting.members_decision_id)
    assert decision.status == Proposal.Status.VOTING
    vote_cast(ballot_id=decision.ballot_id, actor=members[0].user, choice="yes")
    with TestCase.captureOnCommitCallbacks(execute=True):
        job_cancel(job_id=waiting.pk, actor=hirer)
    decision.refresh_from_db()
    assert decision.status == Proposal.Status.WITHDRAWN
    assert Ballot.objects.get(pk=decision.ballot_id).status == Ballot.Status.CANCELLED
    with pytest.raises(BallotNotOpen):
        vote_cast(ballot_id=decision.ballot_id, actor=members[1].user, choice="yes")
    # The closing task finds nothing to close, and the job stays withdrawn: no acceptance, no notice.
    assert ballot_close(ballot_id=decision.ballot_id).status == Ballot.Status.CANCELLED
    waiting.refresh_from_db()
    assert waiting.status == Job.Status.CANCELLED and waiting.published_at is None
    assert not Notification.objects.filter(user=hirer, kind="job_accepted_by_members").exists()


def test_the_members_on_the_roll_are_told_when_the_job_is_withdrawn_during_the_vote(
    waiting: Job, hirer: Any, members: list[Any]
) -> None:
    decision = open_ballot_now(waiting.members_decision_id)
    vote_cast(ballot_id=decision.ballot_id, actor=members[0].user, choice="yes")
    # Joined after the roll was frozen: could not vote on it, so is not told.
    late: Any = MemberFactory()
    with TestCase.captureOnCommitCallbacks(execute=True):
        job_cancel(job_id=waiting.pk, actor=hirer)
    told = withdrawn_notices()
    assert set(told) == {member.user.pk for member in members}, "the voter who voted and the two who had not yet"
    assert late.user.pk not in told and hirer.pk not in told
    notice = told[members[0].user.pk]
    assert notice.url == decision.get_absolute_url()
    assert notification_text(notice) == TOLD.replace("“Accept the project “Library website””", f"“{decision.title}”")
    with translation.override("nl"):
        assert notification_text(notice) == TOLD_NL.replace(
            "“Accept the project “Library website””", f"“{decision.title}”"
        )


def test_every_member_is_told_when_the_job_is_withdrawn_before_the_vote(
    waiting: Job, hirer: Any, members: list[Any]
) -> None:
    decision = Proposal.objects.get(pk=waiting.members_decision_id)
    assert decision.status == Proposal.Status.DISCUSSION
    with TestCase.captureOnCommitCallbacks(execute=True):
        job_cancel(job_id=waiting.pk, actor=hirer)
    assert set(withdrawn_notices()) == {member.user.pk for member in members}
    # Withdrawn once: cancelling again tells nobody twice.
    with pytest.raises(Conflict):
        job_cancel(job_id=waiting.pk, actor=hirer)
    assert Notification.objects.filter(kind=notice_kinds.DECISION_WITHDRAWN).count() == len(members)


def test_nobody_but_the_client_withdraws_the_job_and_with_it_the_decision(
    waiting: Job, members: list[Any], make_client: Any
) -> None:
    for someone in (members[1].user, make_client()):
        with pytest.raises(NotAllowed):
            job_cancel(job_id=waiting.pk, actor=someone)
    assert Proposal.objects.get(pk=waiting.members_decision_id).status == Proposal.Status.DISCUSSION


def test_a_members_own_motion_to_accept_a_project_stays_theirs_to_withdraw(members: list[Any], make_job: Any) -> None:
    job = make_job(title="Open job", budget_max_cents=500_000)
    assert job.status == Job.Status.OPEN
    author = members[0].user
    motion = proposal_create(
        decision_key=PROJECT_ACCEPTANCE_KEY,
        payload={"job_id": job.pk, "summary": "A good fit."},
        title="Take it on",
        author=author,
        actor=author,
    )
    proposal_publish(proposal_id=motion.pk, actor=author)
    assert proposal_withdraw(proposal_id=motion.pk, actor=author).status == Proposal.Status.WITHDRAWN

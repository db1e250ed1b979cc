"""The authorisation regression suite: every rule of the permission table, through the API and the pages.

Each registered rule (core.permissions.PERMISSIONS) has its endpoints below (or a reason why it has
none). Every endpoint is tried by every persona; what the table says decides what must happen:
allowed, the request succeeds (2xx or 3xx) and writes its audit row; refused, it answers 403 or 404
(401 from the API, or the login page for a signed-out visitor) and nothing changes, neither the object
nor the audit log. A new rule without an endpoint here fails `test_every_rule_is_walked`.

One world of people and objects is built per module, inside a transaction rolled back at the end;
each case runs in its own savepoint, so an allowed action never changes what the next case sees.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from http.cookies import SimpleCookie
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms.models import model_to_dict
from django.test import Client, TestCase, override_settings
from django.utils import timezone

from core.exceptions import Forbidden
from core.models import AuditEvent
from core.permissions import KINDS, PERMISSIONS, authorize
from tests.factories import MemberClassFactory, MemberFactory, UserFactory

PERSONAS = (
    "anonymous",
    "user",
    "freelancer",
    "client",
    "other_client",
    "member",
    "mediator",
    "finance",
    "board",
    "superuser",
)

# Rules no endpoint exposes: the platform's own moves, or a provider that needs a live Stripe.
NO_ENDPOINT = {
    "member.exit": "only a members' decision or a resignation's notice period ends a membership",
    "rules.version": "a new rules version comes only from a members' decision (a bylaw amendment)",
    "payment_request.cancel": "no page or endpoint cancels a payment request; services do",
    "payment_request.pay_by_card": "needs Stripe (tests/stripe_gateway check the payer, with a local Stripe)",
    "earnings.connect_stripe": "needs Stripe (tests/stripe_gateway check it, with a local Stripe)",
    "withdrawal.settle": "only a payment provider settles a single withdrawal",
    "surplus_policy.bootstrap": "set by the seed or the shell before any cycle; later ones by decision",
    "expense.list": "the expense list shows finance and the board everyone's, others their own (tests/open_books)",
    "dac7_report.run": "a management command (dac7_report); tests/marketplace/test_tax_reports.py checks it",
}

Setup = Callable[[SimpleNamespace, Any], None]
Value = Callable[[SimpleNamespace, Any], Any]


@dataclass(frozen=True)
class Endpoint:
    """One way in to one action: its URL, what to send, and the object the rule is asked about."""

    action: str
    channel: str  # "api" or "page"
    url: Value
    data: Value = lambda w, actor: {}
    obj: Value = lambda w, actor: None
    method: str = "post"
    body: str = "json"  # "json", "form" (a page's form) or "multipart" (files)
    setup: Setup | None = None
    # The endpoint also asks another rule first (a board page around a member's action).
    guard: str | None = None
    # An allowed actor may still be turned away by their own state (resigning while not a member):
    # a 400 or 409 then, never a refusal.
    state_dependent: bool = False
    reads: bool = False
    # Open to signed-out visitors when the bylaws say so (the open books): refused, such a page
    # answers 403 with the reason instead of sending the visitor to log in.
    public_by_rule: bool = False

    @property
    def id(self) -> str:
        return f"{self.action}-{self.channel}"


def _f(value: Any) -> Value:
    return lambda w, actor: value


# ---------------------------------------------------------------------------------------------------
# The world: one of each persona, and the objects every action needs, in the states it needs.


def _people() -> dict[str, Any]:
    from marketplace.services.profiles import client_profile_save, freelancer_profile_save

    worker = MemberClassFactory(slug="matrix-worker", name="Worker")
    joined = timezone.now() - timedelta(days=700)

    def member(**kwargs: Any) -> Any:
        return MemberFactory(user=UserFactory(**kwargs), member_class=worker, joined_at=joined).user

    people = {
        "user": UserFactory(),
        "freelancer": UserFactory(),
        "client": UserFactory(),
        "other_client": UserFactory(),
        "member": member(),
        "mediator": member(),
        "finance": UserFactory(is_staff=True, staff_roles=["finance"]),
        # The board are members of the coop too (they put cycles to the members' vote).
        "board": member(is_staff=True, staff_roles=["board"]),
        "superuser": member(is_staff=True, is_superuser=True),
    }
    freelancer_profile_save(
        user=people["freelancer"], headline="Django developer", skill_names=["Django"], hourly_rate_cents=6000
    )
    for name in ("client", "other_client"):
        client_profile_save(user=people[name])
    return people


def _marketplace(w: SimpleNamespace) -> None:
    from marketplace.models import Dispute, Review
    from marketplace.services import disputes, jobs, mediators, milestones, proposals, reviews, searches, timesheets
    from marketplace.services.fees import fee_policy_create
    from marketplace.services.messaging import message_send
    from marketplace.services.profiles import freelancer_profile_save, portfolio_item_add
    from payouts.payments import bank_payment_record

    client, freelancer, finance = w.people["client"], w.people["freelancer"], w.people["finance"]
    fee_policy_create(percent=Decimal("10"), actor=None, effective_from=timezone.now() - timedelta(days=1))

    def job(title: str, *, by: Any = client, publish: bool = True, **kwargs: Any) -> Any:
        values = {"description": "A small Django site.", "budget_min_cents": 50_000, "budget_max_cents": 150_000}
        values.update(kwargs)
        return jobs.job_create(client=by, title=title, publish=publish, **values)

    def propose(on: Any, **kwargs: Any) -> Any:
        values = {"cover_letter": "I built three of these.", "amount_cents": 100_000, "duration_days": 14}
        values.update(kwargs)
        return proposals.proposal_submit(job_id=on.pk, freelancer=freelancer, **values)

    def hire(title: str, **kwargs: Any) -> Any:
        pricing = kwargs.pop("pricing_type", "fixed")
        return proposals.proposal_accept(
            proposal_id=propose(job(title, pricing_type=pricing), **kwargs).pk, actor=client
        )

    def fund(milestone: Any) -> Any:
        milestone, request = milestones.milestone_fund(milestone_id=milestone.pk, actor=client)
        bank_payment_record(
            reference=request.reference,
            amount_cents=request.amount_cents,
            currency=request.currency,
            received_on=timezone.localdate(),
            actor=finance,
        )
        milestone.refresh_from_db()
        return milestone

    two = [{"title": "Design", "amount_cents": 40_000}, {"title": "Build", "amount_cents": 60_000}]
    w.job_open = job("Open job")
    w.job_draft = job("Draft job", publish=False)
    w.job_closed = jobs.job_close(job_id=job("Closed job").pk, actor=client)
    poster = UserFactory()
    w.job_elsewhere = job("Someone else's job", by=poster)
    w.proposal = propose(w.job_open)
    w.thread = w.proposal.thread
    message_send(thread_id=w.thread.pk, sender=client, body="Welcome.")
    countered = propose(job("Countered job"))
    w.proposal_countered = proposals.proposal_revise(
        proposal_id=countered.pk, actor=client, amount_cents=90_000, duration_days=14
    )

    w.contract_pending = hire("Pending contract", milestone_plan=two)
    w.milestone_pending = w.contract_pending.milestones.get(position=1)

    delivered = hire("Delivered contract", milestone_plan=two)
    w.milestone_submitted = fund(delivered.milestones.get(position=1))
    milestones.milestone_submit(milestone_id=w.milestone_submitted.pk, actor=freelancer, message="Done.")
    w.milestone_funded = fund(delivered.milestones.get(position=2))

    disputed = hire("Disputed contract", milestone_plan=two)
    w.dispute_open = disputes.dispute_open(
        milestone_id=fund(disputed.milestones.get(position=1)).pk,
        actor=client,
        reason="quality",
        statement="Half of it is missing.",
    )
    w.dispute_due = disputes.dispute_open(
        milestone_id=fund(disputed.milestones.get(position=2)).pk,
        actor=client,
        reason="quality",
        statement="Nothing arrived.",
    )
    Dispute.objects.filter(pk=w.dispute_due.pk).update(respond_by=timezone.now() - timedelta(minutes=1))

    hourly = hire("Hourly contract", pricing_type="hourly", amount_cents=6000)
    w.contract_hourly = hourly
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    w.timesheet = timesheets.timesheet_submit(
        contract_id=hourly.pk, actor=freelancer, week_start=monday - timedelta(days=7), minutes=600, description="API"
    )
    w.free_week = monday - timedelta(days=21)

    # Business details before the first invoice; the release's invoices are issued here, as the
    # after-commit task would (this world's transaction never commits).
    from marketplace.services.business import business_details_save
    from marketplace.services.invoices import invoices_issue_for_batch
    from payouts.models import Batch

    business = {"kind": "individual", "street": "Damrak 5", "postal_code": "1012 LG", "city": "Amsterdam"}
    business_details_save(
        actor=freelancer,
        legal_name="Ada",
        country="NL",
        vat_number="NL853746333B01",
        vat_scheme="vat",
        self_billing_consent=True,
        **business,
    )
    business_details_save(actor=client, legal_name="Hugo", country="NL", vat_scheme="none", **business)
    w.contract_done = hire("Finished contract")
    milestones.milestone_approve(milestone_id=fund(w.contract_done.milestones.get()).pk, actor=client)
    w.milestone_released = w.contract_done.milestones.get()
    release = Batch.objects.get(idempotency_key=f"milestone:{w.milestone_released.pk}:release")
    w.invoice = invoices_issue_for_batch(batch_id=release.pk)[0]
    reviewed = hire("Reviewed contract")
    milestones.milestone_approve(milestone_id=fund(reviewed.milestones.get()).pk, actor=client)
    ratings = {"rating_quality": 5, "rating_communication": 5, "rating_reliability": 4}
    reviews.review_submit(contract_id=reviewed.pk, actor=client, text="Great work.", **ratings)
    reviews.review_submit(contract_id=reviewed.pk, actor=freelancer, text="Clear brief.", **ratings)
    w.review = Review.objects.get(contract=reviewed, author=client)

    w.funding_request = milestones.milestone_fund(
        milestone_id=hire("Funding contract").milestones.get().pk, actor=client
    )[1]
    freelancer_profile_save(user=freelancer, headline="Django developer", skill_names=["Django"])
    w.portfolio_item = portfolio_item_add(user=freelancer, title="Booking site", url="https://example.org/")
    w.saved_search = searches.saved_search_create(user=client, name="Django jobs", params={"q": "django"})
    mediators.mediator_appoint(user=w.people["mediator"], actor=w.people["board"], source="board")


def _membership(w: SimpleNamespace) -> None:
    from membership.models import BylawsVersion, Member
    from membership.services import member_apply, member_suspend
    from payouts.payments import bank_payment_record

    w.bylaws = BylawsVersion.objects.create(
        version="matrix", text="One member, one vote.", effective_on=date(2025, 1, 1)
    )
    w.member_class = MemberClassFactory(slug="matrix-community", name="Community", share_price_cents=5000)

    def apply() -> Any:
        user = UserFactory()
        return member_apply(user=user, member_class=w.member_class, bylaws_version=w.bylaws, actor=user)

    w.applicant = apply()
    bank_payment_record(
        reference=w.applicant.share_payment_reference,
        amount_cents=w.member_class.share_total_cents,
        currency=w.member_class.currency,
        received_on=timezone.localdate(),
        actor=w.people["finance"],
    )
    w.applicant.refresh_from_db()
    w.outsider_member = MemberFactory(member_class=w.member_class)
    suspended = MemberFactory(member_class=w.member_class)
    w.suspended = member_suspend(member_id=suspended.pk, actor=w.people["board"], reason="Unpaid fees")
    w.active_member_ids = list(Member.objects.filter(status="active").values_list("pk", flat=True))


def _governance(w: SimpleNamespace) -> None:
    from governance.builtin import GENERAL_RESOLUTION
    from governance.models import Ballot
    from governance.rules_defaults import ensure_founding_rules
    from governance.services.ballots import ballot_open
    from governance.services.elections import candidate_nominate, election_create
    from governance.services.proposals import proposal_create, proposal_publish
    from governance.services.rules import ruleset_create_version

    ensure_founding_rules()
    ruleset_create_version(key="general", changes={"proxies_allowed": True, "max_proxies": 3}, actor=None)
    author = w.people["member"]

    def motion(title: str) -> Any:
        return proposal_create(decision_key=GENERAL_RESOLUTION, payload={}, title=title, author=author, actor=author)

    w.motion_draft = motion("A draft")
    board = w.people["board"]
    w.motion_draft_board = proposal_create(
        decision_key=GENERAL_RESOLUTION, payload={}, title="The board's draft", author=board, actor=board
    )
    w.motion_discussion = proposal_publish(proposal_id=motion("Under discussion").pk, actor=author)
    voting = proposal_publish(proposal_id=motion("Up for a vote").pk, actor=author)
    _due(Ballot.objects.get(pk=voting.ballot_id))
    ballot_open(ballot_id=voting.ballot_id)
    voting.refresh_from_db()
    w.motion_voting = voting

    w.election_nominations = election_create(title="Board 2026", seats=1, method="irv", actor=board)
    voting_election = election_create(title="Board 2027", seats=1, method="irv", actor=board)
    w.candidate = candidate_nominate(
        election_id=voting_election.pk, actor=w.outsider_member.user, statement="I will listen."
    )
    _due(Ballot.objects.get(pk=voting_election.ballot_id))
    ballot_open(ballot_id=voting_election.ballot_id)
    voting_election.refresh_from_db()
    w.election_voting = voting_election


def _due(ballot: Any) -> None:
    from governance.models import Ballot

    now = timezone.now()
    Ballot.objects.filter(pk=ballot.pk).update(
        notice_given_at=now - timedelta(days=30), opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=7)
    )


def _payouts(w: SimpleNamespace) -> None:
    from payouts import ledger
    from payouts.cycles.demo import DEFAULT_POLICY, backdated_activity
    from payouts.cycles.services import (
        cycle_approve,
        cycle_compute,
        cycle_compute_start,
        cycle_open,
        surplus_policy_adopt,
    )
    from payouts.payments import bank_payment_record
    from payouts.payments.withdrawals import payout_account_set, withdrawal_batch_create, withdrawal_create
    from tests.marketplace.tax_helpers import give_dac7_details

    finance, board, freelancer = w.people["finance"], w.people["board"], w.people["freelancer"]
    w.suspense = bank_payment_record(
        reference="NO-SUCH-REF", amount_cents=1_000, currency="EUR", received_on=timezone.localdate(), actor=finance
    )
    payout_account_set(user=freelancer, iban="NL91ABNA0417164300", holder_name="F. Reelancer", actor=freelancer)
    give_dac7_details(freelancer)  # paid for milestones, so DAC7 asks for these before a payout
    assert ledger.freelancer_balances(freelancer.pk)["available"] >= 30_000
    batched = withdrawal_create(user=freelancer, amount_cents=10_000, actor=freelancer)
    # Exported by the platform (a scheduled run): every finance persona may then confirm it paid, which
    # four eyes would refuse to the one who exported it (tests/payouts/test_batch_four_eyes.py).
    w.batch = withdrawal_batch_create(actor=None, withdrawal_ids=[batched.pk])
    w.withdrawal = withdrawal_create(user=freelancer, amount_cents=10_000, actor=freelancer)

    surplus_policy_adopt(data=DEFAULT_POLICY, actor=None)
    first = timezone.localdate().replace(day=1)
    months = [first]
    for _ in range(4):
        months.insert(0, (months[0] - timedelta(days=1)).replace(day=1))
    joined = timezone.now() - timedelta(days=900)
    workers = [MemberFactory(member_class=w.member_class, joined_at=joined).user for _ in range(2)]
    for user in workers:
        user.is_freelancer = True
        user.save(update_fields=["is_freelancer"])
    hirer = MemberFactory(member_class=w.member_class, joined_at=joined).user
    for start in months[1:3]:
        backdated_activity(start=start, freelancers=workers, clients=[hirer], amounts=[120_000, 80_000])
    w.cycle_draft = cycle_open(period_start=months[0], period_end=months[1], actor=finance)
    computed = cycle_open(period_start=months[1], period_end=months[2], actor=finance)
    cycle_compute_start(cycle_id=computed.pk, actor=finance)
    w.cycle_computed = cycle_compute(cycle_id=computed.pk)
    approved = cycle_open(period_start=months[2], period_end=months[3], actor=finance)
    cycle_compute_start(cycle_id=approved.pk, actor=finance)
    approved = cycle_compute(cycle_id=approved.pk)
    w.cycle_approved = cycle_approve(cycle_id=approved.pk, allocation_hash=approved.allocation_hash, actor=board)
    w.free_period = (months[3], months[4])


def _receipt() -> SimpleUploadedFile:
    from payouts.open_books.demo import receipt_png

    return SimpleUploadedFile("receipt.png", receipt_png("matrix"), content_type="image/png")


def _open_books(w: SimpleNamespace) -> None:
    """An expense the member claimed, waiting for finance (the approve, reject and withdraw cases)."""
    from payouts.open_books.services.expenses import expense_submit
    from payouts.payments.withdrawals import payout_account_set

    member = w.people["member"]
    payout_account_set(user=member, iban="NL02ABNA0123456789", holder_name="M. Ember", actor=member)
    w.expense = expense_submit(
        actor=member,
        kind="claim",
        category="travel",
        description="Train to the meetup",
        amount_cents=1_500,
        spent_on=timezone.localdate(),
        receipt=_receipt(),
    )


def _sessions(people: dict[str, Any]) -> dict[str, str]:
    """Log every persona in once; return their session keys (each case starts from its own)."""
    keys = {}
    for name, user in people.items():
        client = Client()
        client.force_login(user)
        keys[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return keys


# One client for all: a client loads the middleware on its first request, and whitenoise's scans
# every static file as it loads.
CLIENT = Client()


def _client(w: SimpleNamespace, persona: str) -> Client:
    """Return the client with only the persona's session: a case that logs out (deleting the account)
    or leaves a message behind changes nothing for the next."""
    CLIENT.cookies = SimpleCookie()
    if persona in w.sessions:
        CLIENT.cookies[settings.SESSION_COOKIE_NAME] = w.sessions[persona]
    return CLIENT


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[SimpleNamespace]:
    """Build the world once for the module inside a transaction that is rolled back afterwards."""
    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("matrix-media")))
    media.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with TestCase.captureOnCommitCallbacks(execute=False):
                w = SimpleNamespace(people=_people())
                _marketplace(w)
                _membership(w)
                _governance(w)
                _payouts(w)
                _open_books(w)
                w.sessions = _sessions(w.people)
            yield w
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            media.disable()


# ---------------------------------------------------------------------------------------------------
# The endpoints, by action.


def _api(action: str, url: Value, data: Any = None, **kwargs: Any) -> Endpoint:
    data_fn = data if callable(data) else _f(data or {})
    return Endpoint(action=action, channel="api", url=url, data=data_fn, **kwargs)


def _page(action: str, url: Value, data: Any = None, **kwargs: Any) -> Endpoint:
    data_fn = data if callable(data) else _f(data or {})
    kwargs.setdefault("body", "form")
    return Endpoint(action=action, channel="page", url=url, data=data_fn, **kwargs)


def _self(w: SimpleNamespace, actor: Any) -> Any:
    return actor


def _file(name: str = "notes.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"Some notes.\n", content_type="text/plain")


JOB = {
    "title": "A new job",
    "description": "A small Django site.",
    "budget_min_cents": 50_000,
    "budget_max_cents": 90_000,
}
JOB_FORM = {
    "title": "A new job",
    "description": "A small Django site.",
    "budget_min": "500",
    "budget_max": "900",
    "pricing_type": "fixed",
    "skills": "Django",
    "remote": "on",
}


def _proposable(w: SimpleNamespace, actor: Any) -> None:
    """Anyone signed in may propose: give the actor the freelancer profile proposing needs."""
    from marketplace.models import FreelancerProfile
    from marketplace.services.profiles import freelancer_profile_save
    from membership.models import User

    if actor is not None and not FreelancerProfile.objects.filter(user=actor).exists():
        # A fresh copy: the service flags its user a freelancer, and the persona must stay as it is.
        freelancer_profile_save(user=User.objects.get(pk=actor.pk), headline="Generalist")


def _membership_vote_policy(w: SimpleNamespace, actor: Any) -> None:
    from membership.models import MembershipPolicy

    MembershipPolicy.objects.filter(pk=1).update(admission=MembershipPolicy.Admission.VOTE)


def _marketplace_endpoints() -> list[Endpoint]:
    job_obj = {
        "open": lambda w, a: w.job_open,
        "draft": lambda w, a: w.job_draft,
        "closed": lambda w, a: w.job_closed,
    }
    endpoints = [
        _api("job.create", _f("/api/jobs/new/"), JOB),
        _page("job.create", _f("/jobs/new/"), JOB_FORM),
        _api("job.update", lambda w, a: f"/api/jobs/{w.job_open.pk}/update/", JOB, obj=job_obj["open"]),
        _page("job.update", lambda w, a: f"/jobs/{w.job_open.pk}/edit/", JOB_FORM, obj=job_obj["open"]),
        _api(
            "job.attach",
            lambda w, a: f"/api/jobs/{w.job_open.pk}/attachments/",
            lambda w, a: {"file": _file()},
            obj=job_obj["open"],
            body="multipart",
        ),
    ]
    for action, state in (("publish", "draft"), ("close", "open"), ("reopen", "closed"), ("cancel", "open")):
        target = job_obj[state]
        endpoints += [
            _api(f"job.{action}", lambda w, a, t=target, x=action: f"/api/jobs/{t(w, a).pk}/{x}/", obj=target),
            _page(f"job.{action}", lambda w, a, t=target, x=action: f"/jobs/{t(w, a).pk}/{x}/", obj=target),
        ]
    terms = {"cover_letter": "I can do this.", "amount_cents": 80_000, "duration_days": 10}
    endpoints += [
        _api(
            "job.propose",
            lambda w, a: f"/api/jobs/{w.job_elsewhere.pk}/propose/",
            terms,
            obj=lambda w, a: w.job_elsewhere,
            setup=_proposable,
        ),
        _page(
            "job.propose",
            lambda w, a: f"/jobs/{w.job_elsewhere.pk}/propose/",
            {"cover_letter": "I can do this.", "amount": "800", "duration_days": "10"},
            obj=lambda w, a: w.job_elsewhere,
            setup=_proposable,
        ),
    ]
    prop = lambda w, a: w.proposal  # noqa: E731
    endpoints += [
        _api(
            "proposal.revise",
            lambda w, a: f"/api/proposals/{w.proposal.pk}/revise/",
            {"amount_cents": 95_000, "duration_days": 12},
            obj=prop,
        ),
        _page(
            "proposal.revise",
            lambda w, a: f"/proposals/{w.proposal.pk}/revise/",
            {"amount": "950", "duration_days": "12"},
            obj=prop,
        ),
        _api(
            "proposal.agree",
            lambda w, a: f"/api/proposals/{w.proposal_countered.pk}/agree/",
            obj=lambda w, a: w.proposal_countered,
        ),
        _page(
            "proposal.agree",
            lambda w, a: f"/proposals/{w.proposal_countered.pk}/agree/",
            obj=lambda w, a: w.proposal_countered,
        ),
    ]
    for action in ("withdraw", "shortlist", "decline", "accept"):
        endpoints += [
            _api(f"proposal.{action}", lambda w, a, x=action: f"/api/proposals/{w.proposal.pk}/{x}/", obj=prop),
            _page(f"proposal.{action}", lambda w, a, x=action: f"/proposals/{w.proposal.pk}/{x}/", obj=prop),
        ]
    pending = lambda w, a: w.contract_pending  # noqa: E731
    endpoints += [
        _api("contract.end", lambda w, a: f"/api/contracts/{w.contract_pending.pk}/end/", obj=pending),
        _page("contract.end", lambda w, a: f"/contracts/{w.contract_pending.pk}/end/", obj=pending),
        _api(
            "contract.add_milestone",
            lambda w, a: f"/api/contracts/{w.contract_pending.pk}/milestones/",
            {"title": "Extra", "amount_cents": 10_000},
            obj=pending,
        ),
        _page(
            "contract.add_milestone",
            lambda w, a: f"/contracts/{w.contract_pending.pk}/milestones/",
            {"title": "Extra", "amount": "100"},
            obj=pending,
        ),
        _api(
            "contract.review",
            lambda w, a: f"/api/contracts/{w.contract_done.pk}/reviews/new/",
            {"rating_quality": 5, "rating_communication": 4, "rating_reliability": 5, "text": "Good."},
            obj=lambda w, a: w.contract_done,
        ),
        _page(
            "contract.review",
            lambda w, a: f"/contracts/{w.contract_done.pk}/review/",
            {"rating_quality": "5", "rating_communication": "4", "rating_reliability": "5", "text": "Good."},
            obj=lambda w, a: w.contract_done,
        ),
        _api(
            "contract.log_hours",
            lambda w, a: f"/api/contracts/{w.contract_hourly.pk}/timesheets/new/",
            lambda w, a: {"week_start": w.free_week.isoformat(), "minutes": 120, "description": "Tests"},
            obj=lambda w, a: w.contract_hourly,
        ),
        _page(
            "contract.log_hours",
            lambda w, a: f"/contracts/{w.contract_hourly.pk}/timesheets/",
            lambda w, a: {"week_start": w.free_week.isoformat(), "hours": "2", "description": "Tests"},
            obj=lambda w, a: w.contract_hourly,
        ),
    ]
    milestone = {
        "pending": lambda w, a: w.milestone_pending,
        "submitted": lambda w, a: w.milestone_submitted,
        "funded": lambda w, a: w.milestone_funded,
    }
    for action, state in (("fund", "pending"), ("cancel", "pending"), ("approve", "submitted"), ("refund", "funded")):
        target = milestone[state]
        endpoints += [
            _api(
                f"milestone.{action}", lambda w, a, t=target, x=action: f"/api/milestones/{t(w, a).pk}/{x}/", obj=target
            ),
            _page(f"milestone.{action}", lambda w, a, t=target, x=action: f"/milestones/{t(w, a).pk}/{x}/", obj=target),
        ]
    endpoints += [
        _api(
            "milestone.request_changes",
            lambda w, a: f"/api/milestones/{w.milestone_submitted.pk}/request-changes/",
            {"note": "The colours."},
            obj=milestone["submitted"],
        ),
        _page(
            "milestone.request_changes",
            lambda w, a: f"/milestones/{w.milestone_submitted.pk}/request-changes/",
            {"note": "The colours."},
            obj=milestone["submitted"],
        ),
        _api(
            "milestone.deliver",
            lambda w, a: f"/api/milestones/{w.milestone_funded.pk}/deliver/",
            {"message": "Here it is."},
            obj=milestone["funded"],
        ),
        _page(
            "milestone.deliver",
            lambda w, a: f"/milestones/{w.milestone_funded.pk}/deliver/",
            {"message": "Here it is."},
            obj=milestone["funded"],
        ),
        _api(
            "milestone.dispute",
            lambda w, a: f"/api/milestones/{w.milestone_funded.pk}/dispute/",
            {"reason": "quality", "statement": "Not what we agreed."},
            obj=milestone["funded"],
        ),
        _page(
            "milestone.dispute",
            lambda w, a: f"/milestones/{w.milestone_funded.pk}/dispute/",
            {"reason": "quality", "statement": "Not what we agreed."},
            obj=milestone["funded"],
        ),
        _api(
            "timesheet.approve", lambda w, a: f"/api/timesheets/{w.timesheet.pk}/approve/", obj=lambda w, a: w.timesheet
        ),
        _page("timesheet.approve", lambda w, a: f"/timesheets/{w.timesheet.pk}/approve/", obj=lambda w, a: w.timesheet),
        _api(
            "timesheet.reject",
            lambda w, a: f"/api/timesheets/{w.timesheet.pk}/reject/",
            {"note": "Too many hours."},
            obj=lambda w, a: w.timesheet,
        ),
        _page(
            "timesheet.reject",
            lambda w, a: f"/timesheets/{w.timesheet.pk}/reject/",
            {"note": "Too many hours."},
            obj=lambda w, a: w.timesheet,
        ),
    ]
    dispute = lambda w, a: w.dispute_open  # noqa: E731
    due = lambda w, a: w.dispute_due  # noqa: E731
    endpoints += [
        _api(
            "dispute.respond",
            lambda w, a: f"/api/disputes/{w.dispute_open.pk}/respond/",
            {"response": "It is all there."},
            obj=dispute,
        ),
        _page(
            "dispute.respond",
            lambda w, a: f"/disputes/{w.dispute_open.pk}/respond/",
            {"response": "It is all there."},
            obj=dispute,
        ),
        _api(
            "dispute.add_evidence",
            lambda w, a: f"/api/disputes/{w.dispute_open.pk}/evidence/",
            lambda w, a: {"files": [_file()]},
            obj=dispute,
            body="multipart",
        ),
        _page(
            "dispute.add_evidence",
            lambda w, a: f"/disputes/{w.dispute_open.pk}/evidence/",
            lambda w, a: {"files": [_file()]},
            obj=dispute,
            body="multipart",
        ),
        _api(
            "dispute.resolve",
            lambda w, a: f"/api/disputes/{w.dispute_due.pk}/resolve/",
            {"release_cents": 20_000, "decision": "Split half and half."},
            obj=due,
        ),
        _page(
            "dispute.resolve",
            lambda w, a: f"/disputes/{w.dispute_due.pk}/resolve/",
            {"release": "200", "decision": "Split half and half."},
            obj=due,
        ),
        _api(
            "mediator.appoint", _f("/api/disputes/mediators/appoint/"), lambda w, a: {"user_id": w.people["member"].pk}
        ),
        _page("mediator.appoint", _f("/disputes/mediators/appoint/"), lambda w, a: {"user_id": w.people["member"].pk}),
        _page("mediator.end", lambda w, a: f"/disputes/mediators/{w.people['mediator'].pk}/end/"),
        _api(
            "thread.send",
            lambda w, a: f"/api/threads/{w.thread.pk}/send/",
            {"body": "Hello."},
            obj=lambda w, a: w.thread,
        ),
        _page("thread.send", lambda w, a: f"/messages/{w.thread.pk}/", {"body": "Hello."}, obj=lambda w, a: w.thread),
        _api(
            "review.respond",
            lambda w, a: f"/api/reviews/{w.review.pk}/respond/",
            {"text": "Thank you."},
            obj=lambda w, a: w.review,
        ),
        _page(
            "review.respond",
            lambda w, a: f"/reviews/{w.review.pk}/respond/",
            {"text": "Thank you."},
            obj=lambda w, a: w.review,
        ),
        _api("profile.update", _f("/api/profiles/freelancer/"), {"headline": "Writer"}, obj=_self),
        _page(
            "profile.update",
            _f("/profile/freelancer/"),
            {"headline": "Writer", "availability": "part_time", "skills": "Writing", "remote": "on"},
            obj=_self,
        ),
        _api(
            "portfolio_item.delete",
            lambda w, a: f"/api/profiles/portfolio/{w.portfolio_item.pk}/delete/",
            obj=lambda w, a: w.portfolio_item,
        ),
        _page(
            "portfolio_item.delete",
            lambda w, a: f"/profile/portfolio/{w.portfolio_item.pk}/delete/",
            obj=lambda w, a: w.portfolio_item,
        ),
        _api(
            "saved_search.delete",
            lambda w, a: f"/api/saved-searches/{w.saved_search.pk}/delete/",
            obj=lambda w, a: w.saved_search,
        ),
        _page(
            "saved_search.delete",
            lambda w, a: f"/searches/{w.saved_search.pk}/delete/",
            obj=lambda w, a: w.saved_search,
        ),
        # A fee policy is in force, so the board (allowed) is told it now takes a members' decision.
        _api(
            "fee_policy.bootstrap",
            _f("/api/fee-policies/bootstrap/"),
            {"percent": "8"},
            state_dependent=True,
        ),
    ]
    return endpoints


def _membership_endpoints() -> list[Endpoint]:
    applicant = lambda w, a: w.applicant  # noqa: E731
    endpoints = [
        _api(
            "account.apply",
            _f("/api/membership/apply/"),
            lambda w, a: {"member_class": w.member_class.slug, "bylaws_version": w.bylaws.pk, "accept_bylaws": True},
            obj=_self,
            state_dependent=True,
        ),
        _page(
            "account.apply",
            _f("/membership/apply/"),
            lambda w, a: {"member_class": w.member_class.slug, "bylaws_version": w.bylaws.pk, "accept_bylaws": "on"},
            obj=_self,
            state_dependent=True,
        ),
        _api(
            "account.withdraw_application", _f("/api/membership/application/withdraw/"), obj=_self, state_dependent=True
        ),
        _page(
            "account.withdraw_application",
            _f("/membership/application/withdraw/"),
            {"confirm": "on"},
            obj=_self,
            state_dependent=True,
        ),
        _api("account.resign", _f("/api/membership/resign/"), obj=_self, state_dependent=True),
        _page("account.resign", _f("/membership/resign/"), {"confirm": "on"}, obj=_self, state_dependent=True),
        _api("account.withdraw_resignation", _f("/api/membership/resign/withdraw/"), obj=_self, state_dependent=True),
        _page("account.withdraw_resignation", _f("/membership/resign/withdraw/"), obj=_self, state_dependent=True),
        _api(
            "account.privacy_settings",
            _f("/api/privacy/settings/"),
            {
                "profile_audience": "signed_in",
                "show_hourly_rate": True,
                "show_location": False,
                "show_reviews": True,
                "show_membership": True,
                "show_name_in_register": False,
            },
            obj=_self,
            method="put",
        ),
        _page("account.privacy_settings", _f("/privacy/settings/"), {"profile_audience": "signed_in"}, obj=_self),
        _api("account.export_data", _f("/api/privacy/exports/"), obj=_self),
        _page("account.export_data", _f("/privacy/my-data/"), obj=_self),
        _api(
            "account.delete",
            _f("/api/privacy/delete-account/"),
            {"password": "correct-horse-battery", "confirm": True},
            obj=_self,
            state_dependent=True,
        ),
        _page(
            "account.delete",
            _f("/privacy/delete-account/"),
            {"password": "correct-horse-battery", "confirm": "on"},
            obj=_self,
            state_dependent=True,
        ),
        _api("register.view", _f("/api/membership/register/"), method="get", reads=True),
        _page("register.view", _f("/membership/register/"), method="get", reads=True),
        _page("register.export", _f("/membership/staff/register.csv"), method="get", reads=True),
        _api("member.view", lambda w, a: f"/api/membership/members/{w.applicant.pk}/", method="get", reads=True),
        _api("member.view", _f("/api/membership/applications/"), method="get", reads=True),
        _page("member.view", lambda w, a: f"/membership/staff/members/{w.applicant.pk}/", method="get", reads=True),
        _page("member.view", _f("/membership/staff/applications/"), method="get", reads=True),
        _api("member.admit", lambda w, a: f"/api/membership/members/{w.applicant.pk}/admit/", obj=applicant),
        _page("member.admit", lambda w, a: f"/membership/staff/members/{w.applicant.pk}/admit/", obj=applicant),
        _api(
            "member.reject",
            lambda w, a: f"/api/membership/members/{w.applicant.pk}/reject/",
            {"reason": "No."},
            obj=applicant,
        ),
        _page(
            "member.reject",
            lambda w, a: f"/membership/staff/members/{w.applicant.pk}/reject/",
            {"reason": "No."},
            obj=applicant,
        ),
        _api(
            "member.suspend",
            lambda w, a: f"/api/membership/members/{w.outsider_member.pk}/suspend/",
            {"reason": "Unpaid fees."},
        ),
        _page(
            "member.suspend",
            lambda w, a: f"/membership/staff/members/{w.outsider_member.pk}/suspend/",
            {"reason": "Unpaid fees."},
        ),
        _api("member.reinstate", lambda w, a: f"/api/membership/members/{w.suspended.pk}/reinstate/"),
        _page("member.reinstate", lambda w, a: f"/membership/staff/members/{w.suspended.pk}/reinstate/"),
        _api(
            "member.propose_admission",
            lambda w, a: f"/api/membership/members/{w.applicant.pk}/propose-admission/",
            setup=_membership_vote_policy,
            guard="member.view",
        ),
        _page(
            "member.propose_admission",
            lambda w, a: f"/membership/staff/members/{w.applicant.pk}/propose/",
            setup=_membership_vote_policy,
            guard="member.view",
        ),
        _api(
            "member.propose_expulsion",
            lambda w, a: f"/api/membership/members/{w.outsider_member.pk}/propose-expulsion/",
            {"reason": "Broke the code."},
            guard="member.view",
        ),
        _page(
            "member.propose_expulsion",
            lambda w, a: f"/membership/staff/members/{w.outsider_member.pk}/expel/",
            {"reason": "Broke the code."},
            guard="member.view",
        ),
    ]
    return endpoints


def _urgent_endpoints() -> list[Endpoint]:
    """Publishing under the urgent procedure: the board, as the motion's author (where the rule exists)."""
    if ("motion", "publish_urgent") not in PERMISSIONS:
        return []
    draft = lambda w, a: w.motion_draft_board  # noqa: E731
    return [
        _page(
            "motion.publish_urgent",
            lambda w, a: f"/decisions/{w.motion_draft_board.pk}/publish/",
            {"urgent": "on"},
            obj=draft,
            guard="motion.publish",
            setup=_urgent_rules,
        ),
    ]


def _urgent_rules(w: SimpleNamespace, actor: Any) -> None:
    from governance.services.rules import ruleset_create_version

    ruleset_create_version(
        key="general", changes={"urgent_decision_keys": ["governance.general_resolution"]}, actor=None
    )


def _governance_endpoints() -> list[Endpoint]:
    draft = lambda w, a: w.motion_draft  # noqa: E731
    motion = {"decision_key": "governance.general_resolution", "title": "Plant a tree", "body": "Plant a tree."}
    return [
        _api("motion.create", _f("/api/governance/proposals/new/"), {**motion, "payload": {}}),
        _page("motion.create", _f("/decisions/new/"), {**motion, "details": ""}),
        _api(
            "motion.comment",
            lambda w, a: f"/api/governance/proposals/{w.motion_discussion.pk}/comments/",
            {"body": "Agreed."},
        ),
        _page("motion.comment", lambda w, a: f"/decisions/{w.motion_discussion.pk}/comment/", {"body": "Agreed."}),
        _page(
            "motion.amend",
            lambda w, a: f"/decisions/{w.motion_draft.pk}/amend/",
            {"title": "A better draft", "body": "Better.", "details": ""},
            obj=draft,
        ),
        _api("motion.publish", lambda w, a: f"/api/governance/proposals/{w.motion_draft.pk}/publish/", obj=draft),
        _page("motion.publish", lambda w, a: f"/decisions/{w.motion_draft.pk}/publish/", obj=draft),
        _page("motion.withdraw", lambda w, a: f"/decisions/{w.motion_draft.pk}/withdraw/", obj=draft),
        *_urgent_endpoints(),
        # Nothing failed to carry out, so the board (allowed) hears that there is nothing to do.
        _api(
            "motion.execute",
            lambda w, a: f"/api/governance/proposals/{w.motion_discussion.pk}/execute/",
            state_dependent=True,
        ),
        _page(
            "motion.execute",
            lambda w, a: f"/decisions/{w.motion_discussion.pk}/execute/",
            state_dependent=True,
        ),
        _api("ballot.vote", lambda w, a: f"/api/governance/proposals/{w.motion_voting.pk}/vote/", {"choice": "yes"}),
        _page("ballot.vote", lambda w, a: f"/decisions/{w.motion_voting.pk}/vote/", {"choice": "yes"}),
        _page(
            "ballot.appoint_proxy",
            lambda w, a: f"/decisions/{w.motion_discussion.pk}/proxy/",
            lambda w, a: {"holder_member_number": w.outsider_member.member_number},
        ),
        _page(
            "election.call",
            _f("/elections/new/"),
            {"title": "Board 2028", "seats": "1", "method": "irv", "description": ""},
        ),
        _api(
            "election.stand",
            lambda w, a: f"/api/governance/elections/{w.election_nominations.pk}/nominate/",
            {"statement": "I will serve."},
        ),
        _page(
            "election.stand",
            lambda w, a: f"/elections/{w.election_nominations.pk}/nominate/",
            {"statement": "I will serve."},
        ),
        _api(
            "election.vote",
            lambda w, a: f"/api/governance/elections/{w.election_voting.pk}/vote/",
            lambda w, a: {"ranking": [w.candidate.pk]},
        ),
        _page(
            "election.vote",
            lambda w, a: f"/elections/{w.election_voting.pk}/vote/",
            lambda w, a: {f"rank-{w.candidate.pk}": "1"},
        ),
    ]


def _payouts_endpoints() -> list[Endpoint]:
    request = lambda w, a: w.funding_request  # noqa: E731
    return [
        _api(
            "earnings.withdraw",
            _f("/api/money/withdrawals/request/"),
            {"amount_cents": 2_000},
            obj=_self,
            state_dependent=True,
        ),
        _page("earnings.withdraw", _f("/money/earnings/withdraw/"), {"amount": "20"}, obj=_self, state_dependent=True),
        _api(
            "earnings.payout_account",
            _f("/api/money/payout-account/set/"),
            {"iban": "NL91ABNA0417164300", "holder_name": "A. Person"},
            obj=_self,
        ),
        _page(
            "earnings.payout_account",
            _f("/money/earnings/payout-account/"),
            {"iban": "NL91ABNA0417164300", "holder_name": "A. Person"},
            obj=_self,
        ),
        _api(
            "payment_request.view",
            lambda w, a: f"/api/money/payment-requests/{w.funding_request.reference}/",
            obj=request,
            method="get",
            reads=True,
        ),
        _page(
            "payment_request.view",
            lambda w, a: f"/money/pay/{w.funding_request.reference}/",
            obj=request,
            method="get",
            reads=True,
        ),
        _api(
            "bank_payment.record",
            _f("/api/money/finance/bank-payments/record/"),
            lambda w, a: {
                "reference": w.funding_request.reference,
                "amount_cents": w.funding_request.amount_cents,
                "received_on": timezone.localdate().isoformat(),
            },
        ),
        _page(
            "bank_payment.record",
            _f("/money/finance/payments/"),
            lambda w, a: {
                "reference": w.funding_request.reference,
                "amount": str(Decimal(w.funding_request.amount_cents) / 100),
                "received_on": timezone.localdate().isoformat(),
            },
        ),
        _api(
            "bank_payment.apply",
            lambda w, a: f"/api/money/finance/bank-payments/{w.suspense.pk}/apply/",
            lambda w, a: {"reference": w.funding_request.reference},
        ),
        _page(
            "bank_payment.apply",
            lambda w, a: f"/money/finance/payments/{w.suspense.pk}/apply/",
            lambda w, a: {"reference": w.funding_request.reference},
        ),
        _api("bank_payment.refund", lambda w, a: f"/api/money/finance/bank-payments/{w.suspense.pk}/refund/"),
        _page("bank_payment.refund", lambda w, a: f"/money/finance/payments/{w.suspense.pk}/refund/"),
        _api(
            "withdrawal.fail",
            lambda w, a: f"/api/money/finance/withdrawals/{w.withdrawal.pk}/fail/",
            {"reason": "Account closed."},
        ),
        _page(
            "withdrawal.fail",
            lambda w, a: f"/money/finance/withdrawals/{w.withdrawal.pk}/fail/",
            {"reason": "Account closed."},
        ),
        _api("withdrawal_batch.create", _f("/api/money/finance/batches/create/")),
        _page(
            "withdrawal_batch.create",
            _f("/money/finance/withdrawals/batch/"),
            # The confirmed form (without "confirmed" the page first shows the totals).
            lambda w, a: {"execution_date": timezone.localdate().isoformat(), "confirmed": "1"},
        ),
        _api("withdrawal_batch.settle", lambda w, a: f"/api/money/finance/batches/{w.batch.pk}/settle/"),
        _page("withdrawal_batch.settle", lambda w, a: f"/money/finance/batches/{w.batch.pk}/settle/"),
        _api("books.view", _f("/api/money/finance/trial-balance/"), method="get", reads=True),
        _page("books.view", _f("/money/finance/books/"), method="get", reads=True),
        _page("books.view", _f("/money/finance/payments/"), method="get", reads=True),
        _api("books.open", _f("/api/money/open-books/"), method="get", reads=True),
        _page("books.open", _f("/money/open-books/"), method="get", reads=True, public_by_rule=True),
        # Members read their own profit shares and the coop's cycles; a former member only their own.
        _page("profit_shares.view", _f("/profit-shares/"), method="get", reads=True, obj=lambda w, a: a),
        _api("profit_shares.view", _f("/api/payout-cycles/mine/"), method="get", reads=True, obj=lambda w, a: a),
        _api("surplus_policy.view", _f("/api/surplus-policy/"), method="get", reads=True, state_dependent=True),
        _api("payout_cycle.view", _f("/api/payout-cycles/"), method="get", reads=True),
        _page("payout_cycle.view", _f("/payouts/cycles/"), method="get", reads=True),
        _api(
            "payout_cycle.open",
            _f("/api/payout-cycles/open/"),
            lambda w, a: {"period_start": w.free_period[0].isoformat(), "period_end": w.free_period[1].isoformat()},
        ),
        _page(
            "payout_cycle.open",
            _f("/payouts/cycles/"),
            lambda w, a: {"period_start": w.free_period[0].isoformat(), "period_end": w.free_period[1].isoformat()},
        ),
        _api("payout_cycle.compute", lambda w, a: f"/api/payout-cycles/{w.cycle_draft.pk}/compute/"),
        _page("payout_cycle.compute", lambda w, a: f"/payouts/cycles/{w.cycle_draft.pk}/compute/"),
        _api(
            "payout_cycle.approve",
            lambda w, a: f"/api/payout-cycles/{w.cycle_computed.pk}/approve/",
            lambda w, a: {"allocation_hash": w.cycle_computed.allocation_hash},
        ),
        _page(
            "payout_cycle.approve",
            lambda w, a: f"/payouts/cycles/{w.cycle_computed.pk}/approve/",
            lambda w, a: {"allocation_hash": w.cycle_computed.allocation_hash},
        ),
        _api("payout_cycle.put_to_vote", lambda w, a: f"/api/payout-cycles/{w.cycle_computed.pk}/vote/"),
        _page("payout_cycle.put_to_vote", lambda w, a: f"/payouts/cycles/{w.cycle_computed.pk}/vote/"),
        _api("payout_cycle.execute", lambda w, a: f"/api/payout-cycles/{w.cycle_approved.pk}/execute/"),
        _page("payout_cycle.execute", lambda w, a: f"/payouts/cycles/{w.cycle_approved.pk}/execute/"),
        _api("earnings_payout.run", _f("/api/earnings-payouts/run/")),
        _page("earnings_payout.run", _f("/payouts/earnings-payouts/")),
    ]


def _invoice_endpoints() -> list[Endpoint]:
    business = {
        "kind": "entity",
        "legal_name": "Matrix B.V.",
        "street": "Damrak 5",
        "postal_code": "1012 LG",
        "city": "Amsterdam",
        "country": "NL",
        "vat_number": "NL853746333B01",
        "vat_scheme": "vat",
    }
    invoice = lambda w, a: w.invoice  # noqa: E731
    return [
        _api("business_details.edit", _f("/api/business-details/"), business),
        _page("business_details.edit", _f("/account/business-details/"), business),
        _api("invoice.view", lambda w, a: f"/api/invoices/{w.invoice.number}/", obj=invoice, method="get", reads=True),
        _page("invoice.view", lambda w, a: f"/invoices/{w.invoice.number}/", obj=invoice, method="get", reads=True),
        _page("invoice.view", lambda w, a: f"/invoices/{w.invoice.number}/pdf/", obj=invoice, method="get", reads=True),
        _api("invoice.list_all", _f("/api/invoices/all/"), method="get", reads=True),
        _page("invoice.list_all", _f("/invoices/all/"), method="get", reads=True),
        _page(
            "milestone.refund_released",
            lambda w, a: f"/milestones/{w.milestone_released.pk}/refund-after-release/",
            {"reason": "Not usable."},
            obj=lambda w, a: w.milestone_released,
        ),
    ]


def _tax_endpoints() -> list[Endpoint]:
    details = {
        "first_name": "Ada",
        "last_name": "Person",
        "date_of_birth": "1990-02-03",
        "tin": "111222333",
        "tin_country": "NL",
    }
    return [
        _page("tax_papers.view", _f("/tax/statements/"), obj=_self, method="get", reads=True),
        _page("tax_papers.view", _f("/tax/reported/"), obj=_self, method="get", reads=True),
        _page("tax_papers.dac7_edit", _f("/tax/details/"), details, obj=_self),
    ]


def _open_books_endpoints() -> list[Endpoint]:
    expense = lambda w, a: w.expense  # noqa: E731
    claim = {"category": "travel", "description": "Train", "spent_on": str(timezone.localdate())}
    invoice = {**claim, "kind": "invoice", "supplier_name": "Groene Servers BV"}
    last_year = timezone.localdate().year - 1
    return [
        _api(
            "expense.submit",
            _f("/api/money/expenses/submit/"),
            lambda w, a: {**claim, "amount_cents": 1_200, "receipt": _receipt()},
            body="multipart",
            state_dependent=True,
        ),
        _page(
            "expense.submit",
            _f("/money/expenses/new/"),
            lambda w, a: {**claim, "amount": "12", "receipt": _receipt()},
            state_dependent=True,
        ),
        _api(
            "expense.invoice",
            _f("/api/money/expenses/submit/"),
            lambda w, a: {**invoice, "amount_cents": 1_200, "receipt": _receipt()},
            body="multipart",
        ),
        _page(
            "expense.invoice",
            _f("/money/expenses/new/"),
            lambda w, a: {**invoice, "amount": "12", "receipt": _receipt()},
            guard="expense.submit",
        ),
        _api(
            "expense.view", lambda w, a: f"/api/money/expenses/{w.expense.pk}/", method="get", reads=True, obj=expense
        ),
        _page("expense.view", lambda w, a: f"/money/expenses/{w.expense.pk}/", method="get", reads=True, obj=expense),
        _page(
            "expense.view",
            lambda w, a: f"/money/expenses/{w.expense.pk}/receipt/",
            method="get",
            reads=True,
            obj=expense,
        ),
        _api("expense.approve", lambda w, a: f"/api/money/expenses/{w.expense.pk}/approve/", obj=expense),
        _page("expense.approve", lambda w, a: f"/money/expenses/{w.expense.pk}/approve/", obj=expense),
        _api(
            "expense.approve",
            lambda w, a: f"/api/money/expenses/{w.expense.pk}/reject/",
            {"reason": "No receipt for the return trip."},
            obj=expense,
        ),
        _page(
            "expense.approve",
            lambda w, a: f"/money/expenses/{w.expense.pk}/reject/",
            {"reason": "No receipt for the return trip."},
            obj=expense,
        ),
        _api("expense.withdraw", lambda w, a: f"/api/money/expenses/{w.expense.pk}/withdraw/", obj=expense),
        _page("expense.withdraw", lambda w, a: f"/money/expenses/{w.expense.pk}/withdraw/", obj=expense),
        _api("accounting_period.close", _f("/api/money/finance/periods/close/"), {"year": last_year}),
        _page("accounting_period.close", _f("/money/finance/periods/"), {"year": str(last_year)}),
    ]


ENDPOINTS = (
    _marketplace_endpoints()
    + _membership_endpoints()
    + _governance_endpoints()
    + _payouts_endpoints()
    + _open_books_endpoints()
    + _tax_endpoints()
    + _invoice_endpoints()
)
CASES = [(endpoint, persona) for endpoint in ENDPOINTS for persona in PERSONAS]


# ---------------------------------------------------------------------------------------------------
# The walk.


def _allowed(actor: Any, action: str, obj: Any) -> bool:
    try:
        authorize(actor if actor is not None else AnonymousUser(), action, obj)
    except Forbidden:
        return False
    return True


def _state(obj: Any) -> Any:
    if obj is None or not hasattr(obj, "_meta"):
        return None
    row = type(obj)._base_manager.filter(pk=obj.pk).first()
    return None if row is None else model_to_dict(row)


def _send(client: Client, endpoint: Endpoint, url: str, data: dict[str, Any]) -> Any:
    if endpoint.method == "get":
        return client.get(url)
    if endpoint.method == "put":
        return client.put(url, data, content_type="application/json")
    if endpoint.body == "json":
        return client.post(url, data, content_type="application/json")
    return client.post(url, data)


def test_every_rule_is_walked() -> None:
    walked = {endpoint.action for endpoint in ENDPOINTS}
    rules = {rule.name for rule in PERMISSIONS.values() if rule.kind in KINDS}
    assert sorted(rules - walked - set(NO_ENDPOINT)) == [], "give each new rule its endpoints in this module"
    assert sorted(walked - rules) == [], "an endpoint names an action the table does not have"
    assert sorted(set(NO_ENDPOINT) & walked) == []


@pytest.mark.parametrize(("endpoint", "persona"), CASES, ids=[f"{e.id}-{p}" for e, p in CASES])
def test_the_table_decides(world: SimpleNamespace, db: Any, endpoint: Endpoint, persona: str) -> None:
    actor = world.people.get(persona)
    if endpoint.setup is not None:
        endpoint.setup(world, actor)
    obj = endpoint.obj(world, actor)
    expected = _allowed(actor, endpoint.action, obj) and (
        endpoint.guard is None or _allowed(actor, endpoint.guard, obj)
    )
    url, data = endpoint.url(world, actor), endpoint.data(world, actor)
    audits, before = AuditEvent.objects.count(), _state(obj)

    with TestCase.captureOnCommitCallbacks(execute=False):
        response = _send(_client(world, persona), endpoint, url, data)

    status = response.status_code
    where = f"{endpoint.method.upper()} {url} as {persona}: {status}"
    if expected:
        ok = 200 <= status < 400 or (endpoint.state_dependent and status in (400, 409))
        assert ok, f"{where}, allowed by the table. {response.content[:400]!r}"
        if "/accounts/login/" in response.get("Location", ""):
            # Only an account deleted just now is sent to log in again; anyone else was refused.
            assert AuditEvent.objects.count() > audits, f"{where}: sent to log in, though allowed"
        if not endpoint.reads and status < 400 and not endpoint.state_dependent:
            assert AuditEvent.objects.count() > audits, f"{where}: allowed, but nothing was done"
        return
    if endpoint.channel == "page" and actor is None and not endpoint.public_by_rule:
        assert status == 302 and "/accounts/login/" in response["Location"], where
    else:
        refusals = (401, 403, 404) if endpoint.channel == "api" else (403, 404)
        assert status in refusals, f"{where}, refused by the table. {response.content[:400]!r}"
        if endpoint.channel == "api":
            assert set(response.json()) == {"code", "message", "detail"}, where
    assert AuditEvent.objects.count() == audits, f"{where}: refused, yet something was written"
    assert _state(obj) == before, f"{where}: refused, yet the object changed"


# The findings of issue 12 (point 3), pinned by name: staff roles never act as a client.
ISSUE_12 = [
    ("job.update", "job_open"),
    ("job.close", "job_open"),
    ("job.cancel", "job_open"),
    ("proposal.accept", "proposal"),
    ("milestone.fund", "milestone_pending"),
    ("milestone.approve", "milestone_submitted"),
    ("timesheet.approve", "timesheet"),
]


@pytest.mark.parametrize(("action", "attribute"), ISSUE_12)
@pytest.mark.parametrize("persona", ["finance", "board", "superuser", "other_client"])
def test_no_staff_role_acts_as_the_client(
    world: SimpleNamespace, db: Any, action: str, attribute: str, persona: str
) -> None:
    assert not _allowed(world.people[persona], action, getattr(world, attribute))
    assert _allowed(world.people["client"], action, getattr(world, attribute))


def test_the_api_names_the_refusal(world: SimpleNamespace, db: Any) -> None:
    """The finance admin editing a client's job: refused with the table's code and message."""
    response = _client(world, "finance").post(
        f"/api/jobs/{world.job_open.pk}/update/", JOB, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json() == {
        "code": "not_job_owner",
        "message": "Only the client who posted this job can change it.",
        "detail": {},
    }

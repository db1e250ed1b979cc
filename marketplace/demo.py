"""Demo profiles, jobs in every state, proposals, an active and a completed contract, and a dispute.

Idempotent: each block checks whether its data exists before making it.
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core.demo import demo_user

FREELANCERS = [
    ("ada@example.org", "Django developer", ["Python", "Django", "PostgreSQL"], 8500, "Dutch, English"),
    ("bram@example.org", "Illustrator and brand designer", ["Illustration", "Branding"], 6000, "Dutch"),
    ("chloe@example.org", "Translator EN/FR/NL", ["Translation", "Copywriting"], 5500, "French, Dutch, English"),
    ("dev@example.org", "Data engineer", ["Python", "Data engineering", "SQL"], 9000, "English"),
    ("eva@example.org", "Accessibility specialist", ["Accessibility", "UX research"], 7500, "Dutch, English"),
    ("farid@example.org", "Mobile developer", ["Kotlin", "Swift"], 8000, "Dutch, Arabic, English"),
]
CLIENTS = [
    ("gemma@example.org", "organisation", "Fietsbieb Utrecht"),
    ("hugo@example.org", "person", ""),
    ("iris@example.org", "organisation", "Stadslab Rotterdam"),
]
# (client, title, description, skills, budget from, budget up to, pricing, final state)
JOBS = [
    (
        "hugo@example.org",
        "Build a booking page for a bike repair shop",
        "A small Django site where customers book repair slots, with email reminders.",
        ["Python", "Django"],
        150000,
        300000,
        "fixed",
        "open",
    ),
    (
        "gemma@example.org",
        "Illustrations for our annual report",
        "Six illustrations in our house style for a printed and online annual report.",
        ["Illustration"],
        80000,
        120000,
        "fixed",
        "open",
    ),
    (
        "gemma@example.org",
        "Accessibility audit of our member portal",
        "WCAG 2.2 AA audit with a prioritised list of fixes.",
        ["Accessibility"],
        200000,
        350000,
        "fixed",
        "closed",
    ),
    (
        "iris@example.org",
        "Translate our website into French",
        "About 12,000 words from Dutch to French, with a glossary.",
        ["Translation"],
        90000,
        140000,
        "fixed",
        "open",
    ),
    (
        "hugo@example.org",
        "Data pipeline for sensor readings",
        "Nightly import of CSV files into PostgreSQL with checks.",
        ["Data engineering", "SQL"],
        250000,
        400000,
        "fixed",
        "draft",
    ),
    (
        "iris@example.org",
        "Logo refresh for a community centre",
        "A lighter version of our logo for signs and social media.",
        ["Branding"],
        40000,
        70000,
        "fixed",
        "cancelled",
    ),
    (
        "gemma@example.org",
        "Weekly newsletter copywriting",
        "Write and edit our Dutch and English newsletter, about four hours a week.",
        ["Copywriting", "Translation"],
        4000,
        6500,
        "hourly",
        "open",
    ),
    # Past work of Bram and Farid, so the proposals on the annual report compare ratings (issue 14).
    (
        "iris@example.org",
        "Poster series for the open studio days",
        "Four posters in one style for the open studio weekend, for print and for social media.",
        ["Illustration"],
        50000,
        90000,
        "fixed",
        "open",
    ),
    (
        "hugo@example.org",
        "Android widget for the repair bookings",
        "A home-screen widget that shows the next free repair slot.",
        ["Kotlin"],
        60000,
        100000,
        "fixed",
        "open",
    ),
    # Open, with an invitation Dev has not answered yet.
    (
        "hugo@example.org",
        "Dashboard for our repair bookings",
        "A simple dashboard of bookings per week and per kind of repair, from our PostgreSQL database.",
        ["Python", "SQL"],
        100000,
        180000,
        "fixed",
        "open",
    ),
]


def _job(title: str) -> Any:
    from marketplace.models import Job

    return Job.objects.get(title=title)


def _fund(milestone: Any, client: Any) -> None:
    from marketplace.models import Milestone
    from marketplace.services.milestones import milestone_fund
    from payouts.payments import bank_payment_record

    if milestone.status != Milestone.Status.PENDING:
        return
    _milestone, request = milestone_fund(milestone_id=milestone.pk, actor=client)
    bank_payment_record(
        reference=request.reference,
        amount_cents=request.amount_cents,
        currency=request.currency,
        received_on=timezone.localdate(),
        actor=demo_user("finance@example.org"),
        note="Demo transfer",
    )


def _hire(*, job_title: str, freelancer_email: str, letter: str, amount: int, days: int, plan: list | None) -> Any:
    """Return the contract for this freelancer on this job, proposing and accepting it on first run."""
    from marketplace.models import Contract, Proposal
    from marketplace.services.proposals import proposal_accept, proposal_submit

    job = _job(job_title)
    freelancer = demo_user(freelancer_email)
    proposal = Proposal.objects.filter(job=job, freelancer=freelancer).first()
    if proposal is None:
        proposal = proposal_submit(
            job_id=job.pk,
            freelancer=freelancer,
            cover_letter=letter,
            amount_cents=amount,
            duration_days=days,
            milestone_plan=plan,
        )
    contract = Contract.objects.filter(proposal=proposal).first()
    return contract or proposal_accept(proposal_id=proposal.pk, actor=job.client)


def _profiles() -> None:
    from marketplace.models import ClientProfile, FreelancerProfile, PortfolioItem
    from marketplace.services.profiles import (
        client_profile_save,
        freelancer_profile_save,
        portfolio_item_add,
    )

    for email, headline, skills, rate, languages in FREELANCERS:
        user = demo_user(email)
        if not FreelancerProfile.objects.filter(user=user).exists():
            freelancer_profile_save(
                user=user,
                headline=headline,
                bio=f"{user.display_name} has freelanced for years and likes clear briefs.",
                skill_names=skills,
                hourly_rate_cents=rate,
                languages=languages,
                location="Utrecht",
            )
    ada = demo_user("ada@example.org")
    if not PortfolioItem.objects.filter(profile__user=ada).exists():
        portfolio_item_add(
            user=ada,
            title="Booking system for a repair café",
            description="Django and PostgreSQL, with reminders by email.",
            url="https://example.org/repair-cafe",
        )
    for email, kind, organisation in CLIENTS:
        user = demo_user(email)
        if not ClientProfile.objects.filter(user=user).exists():
            client_profile_save(user=user, kind=kind, organisation_name=organisation)


def _jobs() -> None:
    from marketplace.models import Job
    from marketplace.services.jobs import job_cancel, job_create

    for email, title, description, skills, low, high, pricing, state in JOBS:
        client = demo_user(email)
        if Job.objects.filter(client=client, title=title).exists():
            continue
        job = job_create(
            client=client,
            title=title,
            description=description,
            skill_names=skills,
            budget_min_cents=low,
            budget_max_cents=high,
            pricing_type=pricing,
            publish=state != "draft",
        )
        if state == "cancelled":
            job_cancel(job_id=job.pk, actor=client)


def _proposals() -> None:
    from marketplace.models import Proposal
    from marketplace.services.invitations import invitation_send
    from marketplace.services.proposals import proposal_revise, proposal_shortlist, proposal_submit

    illustrations = _job("Illustrations for our annual report")
    bram = demo_user("bram@example.org")
    if not Proposal.objects.filter(job=illustrations, freelancer=bram).exists():
        proposal = proposal_submit(
            job_id=illustrations.pk,
            freelancer=bram,
            cover_letter="I drew the annual reports of two housing cooperatives; samples are in my portfolio.",
            amount_cents=95000,
            duration_days=21,
        )
        proposal_shortlist(proposal_id=proposal.pk, actor=illustrations.client)
    farid = demo_user("farid@example.org")
    if not Proposal.objects.filter(job=illustrations, freelancer=farid).exists():
        proposal_submit(
            job_id=illustrations.pk,
            freelancer=farid,
            cover_letter="Not my main field, but I love flat illustration.",
            amount_cents=80000,
            duration_days=30,
        )
    # Eva was invited to the annual report for an accessible online version, and proposed.
    eva = demo_user("eva@example.org")
    invitation_send(
        job_id=illustrations.pk,
        client=illustrations.client,
        freelancer_id=eva.pk,
        message="Our online report must be accessible; would you make the illustrations work for everyone?",
    )
    if not Proposal.objects.filter(job=illustrations, freelancer=eva).exists():
        proposal_submit(
            job_id=illustrations.pk,
            freelancer=eva,
            cover_letter=(
                "I draw simple, high-contrast illustrations and write their alt texts, so the online report "
                "works with screen readers and for people with low vision. I audited your member portal last year."
            ),
            amount_cents=110000,
            duration_days=25,
            milestone_plan=[
                {"title": "Sketches and alt texts", "amount_cents": 40000},
                {"title": "Final illustrations", "amount_cents": 70000},
            ],
        )
    dashboard = _job("Dashboard for our repair bookings")
    invitation_send(
        job_id=dashboard.pk,
        client=dashboard.client,
        freelancer_id=demo_user("dev@example.org").pk,
        message="You know PostgreSQL well; would you send a proposal?",
    )
    newsletter = _job("Weekly newsletter copywriting")
    chloe = demo_user("chloe@example.org")
    if not Proposal.objects.filter(job=newsletter, freelancer=chloe).exists():
        proposal = proposal_submit(
            job_id=newsletter.pk,
            freelancer=chloe,
            cover_letter="I write in Dutch and English and can start next week.",
            amount_cents=6500,
            duration_days=90,
        )
        proposal_revise(
            proposal_id=proposal.pk,
            actor=newsletter.client,
            amount_cents=5800,
            duration_days=90,
            note="Our budget is tight; could you do 58 an hour?",
        )


def _active_contract() -> None:
    from marketplace.models import Milestone
    from marketplace.services.milestones import milestone_submit

    contract = _hire(
        job_title="Build a booking page for a bike repair shop",
        freelancer_email="ada@example.org",
        letter="I built a booking system for a repair café last year; see my portfolio.",
        amount=250000,
        days=30,
        plan=[
            {"title": "Design and data model", "amount_cents": 80000},
            {"title": "Booking flow", "amount_cents": 120000},
            {"title": "Email reminders", "amount_cents": 50000},
        ],
    )
    first, second = list(contract.milestones.order_by("position"))[:2]
    _fund(first, contract.client)
    _fund(second, contract.client)
    first.refresh_from_db()
    if first.status == Milestone.Status.FUNDED:
        milestone_submit(
            milestone_id=first.pk,
            actor=contract.freelancer,
            message="The design and the data model, with notes on the choices.",
        )


def _completed_contract() -> None:
    from marketplace.models import Job, Milestone, Review
    from marketplace.services.jobs import job_close
    from marketplace.services.milestones import milestone_approve, milestone_submit
    from marketplace.services.reviews import review_respond, review_submit

    contract = _hire(
        job_title="Accessibility audit of our member portal",
        freelancer_email="eva@example.org",
        letter="I audit against WCAG 2.2 AA with real assistive technology users.",
        amount=240000,
        days=20,
        plan=None,
    )
    milestone = contract.milestones.get(position=1)
    _fund(milestone, contract.client)
    milestone.refresh_from_db()
    if milestone.status == Milestone.Status.FUNDED:
        milestone_submit(
            milestone_id=milestone.pk, actor=contract.freelancer, message="The audit report and the fix list."
        )
        milestone_approve(milestone_id=milestone.pk, actor=contract.client)
    if contract.job.status == Job.Status.OPEN:
        job_close(job_id=contract.job_id, actor=contract.client)
    if not Review.objects.filter(contract=contract).exists():
        review_submit(
            contract_id=contract.pk,
            actor=contract.client,
            text="Thorough, clear and kind. The fix list was easy to plan with.",
            rating_quality=5,
            rating_communication=5,
            rating_reliability=5,
        )
        review = review_submit(
            contract_id=contract.pk,
            actor=contract.freelancer,
            text="A well-prepared client who answered questions the same day.",
            rating_quality=5,
            rating_communication=5,
            rating_reliability=4,
        )
        review_respond(review_id=review.pk, actor=contract.client, text="Thank you, Eva!")


def _past_work() -> None:
    """Completed and reviewed contracts of Bram and Farid: the ratings on their proposals."""
    from marketplace.models import Job, Milestone, Review
    from marketplace.services.jobs import job_close
    from marketplace.services.milestones import milestone_approve, milestone_submit
    from marketplace.services.reviews import review_submit

    for title, email, letter, amount, ratings, text in (
        (
            "Poster series for the open studio days",
            "bram@example.org",
            "I love drawing for open studios; see my portfolio of festival posters.",
            70000,
            (5, 5, 4),
            "Beautiful posters, delivered a day early.",
        ),
        (
            "Android widget for the repair bookings",
            "farid@example.org",
            "I build small Android widgets in Kotlin and keep them light on the battery.",
            80000,
            (4, 5, 4),
            "Works well; a few rounds of changes, all handled quickly.",
        ),
    ):
        contract = _hire(job_title=title, freelancer_email=email, letter=letter, amount=amount, days=14, plan=None)
        milestone = contract.milestones.get(position=1)
        _fund(milestone, contract.client)
        milestone.refresh_from_db()
        if milestone.status == Milestone.Status.FUNDED:
            milestone_submit(milestone_id=milestone.pk, actor=contract.freelancer, message="The finished work.")
            milestone_approve(milestone_id=milestone.pk, actor=contract.client)
        contract.job.refresh_from_db()
        if contract.job.status == Job.Status.OPEN:
            job_close(job_id=contract.job_id, actor=contract.client)
        if not Review.objects.filter(contract=contract, author=contract.client).exists():
            quality, communication, reliability = ratings
            review_submit(
                contract_id=contract.pk,
                actor=contract.client,
                text=text,
                rating_quality=quality,
                rating_communication=communication,
                rating_reliability=reliability,
            )
            # The second review reveals both (reviews are double-blind).
            review_submit(
                contract_id=contract.pk,
                actor=contract.freelancer,
                text="A clear brief and quick answers.",
                rating_quality=5,
                rating_communication=5,
                rating_reliability=5,
            )


def _dispute() -> None:
    from marketplace.models import Dispute, Milestone
    from marketplace.services.disputes import dispute_open
    from marketplace.services.milestones import milestone_submit

    contract = _hire(
        job_title="Translate our website into French",
        freelancer_email="chloe@example.org",
        letter="Native French speaker; I translate for three Dutch museums.",
        amount=120000,
        days=25,
        plan=None,
    )
    milestone = contract.milestones.get(position=1)
    _fund(milestone, contract.client)
    milestone.refresh_from_db()
    if milestone.status == Milestone.Status.FUNDED:
        milestone_submit(milestone_id=milestone.pk, actor=contract.freelancer, message="The full translation.")
    if not Dispute.objects.filter(milestone=milestone).exists():
        dispute_open(
            milestone_id=milestone.pk,
            actor=contract.client,
            reason=Dispute.Reason.QUALITY,
            statement="Two of the twelve pages were left in Dutch, and the glossary was not used.",
        )


def seed() -> None:
    from marketplace import work_demo
    from marketplace.invoicing import demo as invoicing_demo
    from marketplace.models import FeePolicy
    from marketplace.services.fees import fee_policy_create
    from marketplace.tax import demo as tax_demo

    if not FeePolicy.objects.exists():
        fee_policy_create(
            percent=Decimal("10"),
            actor=demo_user("admin@example.org"),
            effective_from=timezone.now() - timedelta(days=365),
        )
    _profiles()
    _jobs()
    _proposals()
    _active_contract()
    _completed_contract()
    _past_work()
    _dispute()
    # The members' work rules, after the jobs and proposals above (rules are never retroactive).
    work_demo.seed()
    # DAC7 details of the freelancers paid above (one reportable, one below the de-minimis).
    tax_demo.seed()
    # Invoices of the milestones paid above, a credit note, a KOR freelancer, an EU reverse charge.
    invoicing_demo.seed()

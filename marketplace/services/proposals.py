"""Proposals: submit, negotiate (counter-offers with history), withdraw, shortlist, decline, accept.

Lock order everywhere: job, then proposal, then contract, then milestone.
"""

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TypedDict

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from core.exceptions import ApplicationError, Conflict, NotAllowed
from core.notifications import notify
from core.permissions import authorize
from core.services import audit_log
from core.transitions import transition
from marketplace import limits
from marketplace.exceptions import ErrorCode
from marketplace.models import (
    Contract,
    FreelancerProfile,
    Job,
    Proposal,
    ProposalRevision,
    ProposalStatusChange,
)
from marketplace.services._limits import (
    check_amount_ceiling,
    check_due_date,
    check_due_dates_in_order,
    check_text_length,
)
from marketplace.services.work_rules import minimum_rate_check_terms
from membership.models import User

MAX_PLAN_ITEMS = 20
AWAITING_MESSAGE = gettext_noop("This job waits for the members' decision: proposals open once they accept it.")


class PlanItem(TypedDict):
    """One milestone of a proposal's plan, as a proposal stores it (JSON): the due date in ISO form."""

    title: str
    amount_cents: int
    due_date: str | None


def milestone_plan_clean(
    *, plan: Sequence[Mapping[str, object]] | None, amount_cents: int, pricing_type: str
) -> list[PlanItem]:
    """Return the plan in a fixed shape, or refuse it.

    The plan comes from a form, the API or a stored proposal, so each item's values are checked here.

    A fixed-price plan must add up to the price; its due dates are today or later and never go
    back in time from one milestone to the next (milestones without a date are skipped).
    """
    if not plan:
        return []
    if pricing_type == Job.PricingType.HOURLY:
        raise ApplicationError(
            _("Hourly work is paid by weekly timesheets, not milestones."), code=ErrorCode.PLAN_ON_HOURLY
        )
    if len(plan) > MAX_PLAN_ITEMS:
        raise ApplicationError(_("A plan can have at most 20 milestones."), code=ErrorCode.PLAN_TOO_LONG)
    cleaned: list[tuple[str, int, date | None]] = []
    for item in plan:
        title = str(item.get("title", "")).strip()
        amount = item.get("amount_cents")
        if not title or isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise ApplicationError(
                _("Every milestone needs a title and an amount of more than zero."), code=ErrorCode.PLAN_ITEM_INVALID
            )
        given = item.get("due_date") or None
        due: date | None = None
        if given is not None:
            try:
                due = date.fromisoformat(str(given))
            except ValueError:
                raise ApplicationError(
                    _("Milestone due dates are written as YYYY-MM-DD."), code=ErrorCode.PLAN_DUE_DATE_INVALID
                ) from None
            check_due_date(due, field="milestone_plan")
        cleaned.append((title[:200], amount, due))
    check_due_dates_in_order(due for _title, _amount, due in cleaned)
    if sum(amount for _title, amount, _due in cleaned) != amount_cents:
        raise ApplicationError(
            _("The milestones must add up to the total price."),
            code=ErrorCode.PLAN_SUM_MISMATCH,
            detail={"total": amount_cents},
        )
    return [
        {"title": title, "amount_cents": amount, "due_date": due.isoformat() if due else None}
        for title, amount, due in cleaned
    ]


def _check_terms(*, amount_cents: int, duration_days: int, currency: str) -> None:
    if amount_cents <= 0:
        raise ApplicationError(_("The price must be more than zero."), code=ErrorCode.AMOUNT_NOT_POSITIVE)
    check_amount_ceiling(amount_cents, currency=currency)
    if duration_days <= 0 or duration_days > 3650:
        raise ApplicationError(_("The duration must be between 1 and 3650 days."), code=ErrorCode.DURATION_INVALID)


def _url(proposal: Proposal) -> str:
    return reverse("marketplace:proposal-detail", args=[proposal.pk])


@transaction.atomic
def proposal_submit(
    *,
    job_id: int,
    freelancer: User,
    cover_letter: str,
    amount_cents: int,
    duration_days: int,
    milestone_plan: Sequence[Mapping[str, object]] | None = None,
) -> Proposal:
    """Send a proposal on an open job. Proposing is free: no credits, no fee to bid."""
    from marketplace.services.invitations import invitation_mark_proposed
    from marketplace.services.messaging import thread_create_for_proposal

    job = Job.objects.select_for_update().select_related("client").filter(pk=job_id).first()
    if job is not None and job.status == Job.Status.FILLED:
        raise Conflict(
            _("This job has hired everyone it was looking for and takes no more proposals."),
            code=ErrorCode.JOB_FILLED,
        )
    if job is not None and job.status == Job.Status.AWAITING_MEMBERS:
        raise Conflict(_(AWAITING_MESSAGE), code=ErrorCode.JOB_AWAITING_MEMBERS)
    if job is None or job.status != Job.Status.OPEN:
        raise Conflict(_("This job is not taking proposals."), code=ErrorCode.JOB_NOT_OPEN)
    authorize(freelancer, "job.propose", job)
    if job.client_id == freelancer.pk:
        raise NotAllowed(_("You cannot propose on your own job."), code=ErrorCode.OWN_JOB)
    if not FreelancerProfile.objects.filter(user_id=freelancer.pk).exists():
        raise ApplicationError(
            _("Create your freelancer profile before proposing."), code=ErrorCode.NO_FREELANCER_PROFILE
        )
    if not cover_letter.strip():
        raise ApplicationError(_("Write a cover letter."), code=ErrorCode.COVER_LETTER_BLANK)
    check_text_length(cover_letter, limit=limits.COVER_LETTER, field="cover_letter")
    _check_terms(amount_cents=amount_cents, duration_days=duration_days, currency=job.currency)
    plan = milestone_plan_clean(plan=milestone_plan, amount_cents=amount_cents, pricing_type=job.pricing_type)
    minimum_rate_check_terms(job=job, amount_cents=amount_cents, duration_days=duration_days)
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                job=job,
                freelancer=freelancer,
                cover_letter=cover_letter,
                amount_cents=amount_cents,
                currency=job.currency,
                duration_days=duration_days,
                milestone_plan=plan,
            )
    except IntegrityError:
        raise Conflict(_("You have already sent a proposal for this job."), code=ErrorCode.PROPOSAL_EXISTS) from None
    ProposalStatusChange.objects.create(proposal=proposal, to_status=proposal.status, actor=freelancer)
    ProposalRevision.objects.create(
        proposal=proposal,
        author=freelancer,
        party=Proposal.Party.FREELANCER,
        amount_cents=amount_cents,
        duration_days=duration_days,
        milestone_plan=plan,
    )
    thread_create_for_proposal(proposal=proposal)
    invitation_mark_proposed(job_id=job.pk, freelancer_id=freelancer.pk)
    audit_log(actor=freelancer, action="proposal.submitted", target=proposal, data={"job": job.pk})
    notify(
        user=job.client,
        kind="proposal_received",
        data={"freelancer": str(freelancer), "job": job.title},
        url=_url(proposal),
    )
    return proposal


def _lock(*, proposal_id: int) -> tuple[Job, Proposal]:
    job_id = Proposal.objects.filter(pk=proposal_id).values_list("job_id", flat=True).first()
    if job_id is None:
        raise NotAllowed(_("You are not a party to this proposal."), code=ErrorCode.NOT_PARTY)
    job = Job.objects.select_for_update().get(pk=job_id)
    proposal = Proposal.objects.select_for_update().select_related("freelancer").get(pk=proposal_id)
    proposal.job = job
    return job, proposal


def _party(*, proposal: Proposal, job: Job, actor: User, action: str) -> str:
    """Refuse the actor unless the permission table lets them do `action`; return their side."""
    authorize(actor, action, proposal)
    return Proposal.Party.FREELANCER if actor.pk == proposal.freelancer_id else Proposal.Party.CLIENT


def _other(*, proposal: Proposal, job: Job, party: str) -> User:
    return job.client if party == Proposal.Party.FREELANCER else proposal.freelancer


@transaction.atomic
def proposal_revise(
    *,
    proposal_id: int,
    actor: User,
    amount_cents: int,
    duration_days: int,
    milestone_plan: Sequence[Mapping[str, object]] | None = None,
    note: str = "",
) -> Proposal:
    """Put new terms on the table (a counter-offer when the client does it); history is kept."""
    job, proposal = _lock(proposal_id=proposal_id)
    party = _party(proposal=proposal, job=job, actor=actor, action="proposal.revise")
    if not proposal.is_live:
        raise Conflict(
            _("Only proposals still under consideration can be negotiated."), code=ErrorCode.PROPOSAL_NOT_LIVE
        )
    _check_terms(amount_cents=amount_cents, duration_days=duration_days, currency=proposal.currency)
    plan = milestone_plan_clean(plan=milestone_plan, amount_cents=amount_cents, pricing_type=job.pricing_type)
    minimum_rate_check_terms(job=job, amount_cents=amount_cents, duration_days=duration_days)
    proposal.amount_cents = amount_cents
    proposal.duration_days = duration_days
    proposal.milestone_plan = plan
    proposal.terms_by = party
    proposal.save(update_fields=["amount_cents", "duration_days", "milestone_plan", "terms_by", "updated_at"])
    ProposalRevision.objects.create(
        proposal=proposal,
        author=actor,
        party=party,
        amount_cents=amount_cents,
        duration_days=duration_days,
        milestone_plan=plan,
        note=note,
    )
    audit_log(
        actor=actor, action="proposal.revised", target=proposal, data={"party": party, "amount_cents": amount_cents}
    )
    notify(
        user=_other(proposal=proposal, job=job, party=party),
        kind="proposal_revised",
        data={"job": job.title},
        url=_url(proposal),
    )
    return proposal


@transaction.atomic
def proposal_agree(*, proposal_id: int, actor: User) -> Proposal:
    """The freelancer takes the client's counter-offer as it stands, so the client can accept it."""
    job, proposal = _lock(proposal_id=proposal_id)
    _party(proposal=proposal, job=job, actor=actor, action="proposal.agree")
    if not proposal.is_live:
        raise Conflict(
            _("Only proposals still under consideration can be negotiated."), code=ErrorCode.PROPOSAL_NOT_LIVE
        )
    if proposal.terms_by != Proposal.Party.CLIENT:
        raise Conflict(_("There is no counter-offer to agree to."), code=ErrorCode.NO_COUNTER_OFFER)
    proposal.terms_by = Proposal.Party.FREELANCER
    proposal.save(update_fields=["terms_by", "updated_at"])
    ProposalRevision.objects.create(
        proposal=proposal,
        author=actor,
        party=Proposal.Party.FREELANCER,
        amount_cents=proposal.amount_cents,
        duration_days=proposal.duration_days,
        milestone_plan=proposal.milestone_plan,
        note=_("Agreed to the counter-offer."),
    )
    audit_log(actor=actor, action="proposal.agreed", target=proposal)
    notify(user=job.client, kind="proposal_revised", data={"job": job.title}, url=_url(proposal))
    return proposal


def _move(*, proposal: Proposal, to_status: str, actor: User) -> None:
    transition(proposal, to_status, actor=actor)


@transaction.atomic
def proposal_withdraw(*, proposal_id: int, actor: User) -> Proposal:
    job, proposal = _lock(proposal_id=proposal_id)
    _party(proposal=proposal, job=job, actor=actor, action="proposal.withdraw")
    _move(proposal=proposal, to_status=Proposal.Status.WITHDRAWN, actor=actor)
    notify(
        user=job.client,
        kind="proposal_withdrawn",
        data={"freelancer": str(actor), "job": job.title},
        url=_url(proposal),
    )
    return proposal


def _client_move(*, proposal_id: int, actor: User, to_status: str, kind: str, action: str) -> Proposal:
    job, proposal = _lock(proposal_id=proposal_id)
    _party(proposal=proposal, job=job, actor=actor, action=action)
    _move(proposal=proposal, to_status=to_status, actor=actor)
    notify(user=proposal.freelancer, kind=kind, data={"job": job.title}, url=_url(proposal))
    return proposal


@transaction.atomic
def proposal_shortlist(*, proposal_id: int, actor: User) -> Proposal:
    return _client_move(
        proposal_id=proposal_id,
        actor=actor,
        to_status=Proposal.Status.SHORTLISTED,
        kind="proposal_shortlisted",
        action="proposal.shortlist",
    )


@transaction.atomic
def proposal_decline(*, proposal_id: int, actor: User) -> Proposal:
    return _client_move(
        proposal_id=proposal_id,
        actor=actor,
        to_status=Proposal.Status.DECLINED,
        kind="proposal_declined",
        action="proposal.decline",
    )


@transaction.atomic
def proposal_accept(*, proposal_id: int, actor: User) -> Contract:
    """Accept the terms on the table and start a contract under the fee policy in force now."""
    from marketplace.services.contracts import contract_create_from_proposal

    job, proposal = _lock(proposal_id=proposal_id)
    _party(proposal=proposal, job=job, actor=actor, action="proposal.accept")
    if job.status == Job.Status.CANCELLED:
        raise Conflict(_("This job was cancelled."), code=ErrorCode.JOB_CANCELLED)
    if job.status == Job.Status.AWAITING_MEMBERS:
        raise Conflict(_(AWAITING_MESSAGE), code=ErrorCode.JOB_AWAITING_MEMBERS)
    # Terms put on the table before a minimum rate applied are accepted only if they meet it now.
    minimum_rate_check_terms(job=job, amount_cents=proposal.amount_cents, duration_days=proposal.duration_days)
    if proposal.is_live and proposal.terms_by == Proposal.Party.CLIENT:
        raise Conflict(
            _("The freelancer has not agreed to your counter-offer yet."), code=ErrorCode.AWAITING_FREELANCER_AGREEMENT
        )
    # The job lock taken above makes a second acceptance, even one racing the first, wait and
    # then count the hire it made; a job never hires more people than it asked for.
    hires = Contract.objects.filter(job=job).exclude(status=Contract.Status.CANCELLED).count()
    if job.status == Job.Status.FILLED or hires >= job.hires_wanted:
        raise Conflict(job_filled_message(job.hires_wanted), code=ErrorCode.JOB_FILLED)
    _move(proposal=proposal, to_status=Proposal.Status.ACCEPTED, actor=actor)
    contract = contract_create_from_proposal(proposal=proposal, job=job, actor=actor)
    if hires + 1 >= job.hires_wanted:
        from marketplace.services.jobs import job_mark_filled

        # The job leaves search, and the other freelancers hear at once rather than wait on a dead proposal.
        job_mark_filled(job=job, actor=actor)
    notify(
        user=proposal.freelancer,
        kind="proposal_accepted",
        data={"job": job.title},
        url=reverse("marketplace:contract-detail", args=[contract.pk]),
    )
    return contract


def job_filled_message(hires_wanted: int) -> str:
    return ngettext(
        "Someone was already hired for this job.",
        "All %(count)d people this job asked for are already hired.",
        hires_wanted,
    ) % {"count": hires_wanted}


def proposals_decline_for_job(*, job: Job, actor: User, kind: str = "proposal_declined") -> int:
    """Decline every live proposal on a job that is filled, closed or cancelled (the caller locks the job).

    Each freelancer gets a notice of `kind`, which says why.
    """
    count = 0
    for proposal in (
        Proposal.objects.select_for_update()
        .select_related("freelancer")
        .filter(job=job, status__in=[Proposal.Status.SUBMITTED, Proposal.Status.SHORTLISTED])
        .order_by("pk")
    ):
        _move(proposal=proposal, to_status=Proposal.Status.DECLINED, actor=actor)
        notify(user=proposal.freelancer, kind=kind, data={"job": job.title}, url=_url(proposal))
        count += 1
    return count

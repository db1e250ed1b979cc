"""Contracts: created on acceptance with the fee policy in force, completed or ended later."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import Conflict, NotAllowed
from core.notifications import notify
from core.permissions import authorize
from core.services import audit_log
from core.transitions import transition
from marketplace.exceptions import ErrorCode
from marketplace.models import (
    MILESTONE_CLOSED,
    Contract,
    ContractStatusChange,
    Job,
    Milestone,
    MilestoneStatusChange,
    Proposal,
    Thread,
)
from marketplace.services.fees import fee_policy_in_force
from membership.models import User

DEFAULT_AUTO_RELEASE_DAYS = 14


def auto_release_days() -> int:
    """The coop's policy: days after delivery before an unanswered milestone pays out by itself."""
    return int(getattr(settings, "MARKETPLACE_AUTO_RELEASE_DAYS", DEFAULT_AUTO_RELEASE_DAYS))


def contract_url(contract: Contract) -> str:
    return reverse("marketplace:contract-detail", args=[contract.pk])


def contract_create_from_proposal(*, proposal: Proposal, job: Job, actor: User) -> Contract:
    """Start the contract for an accepted proposal; the caller holds the job and proposal locks."""
    policy = fee_policy_in_force()
    if policy is None:
        raise Conflict(_("No fee policy is in force, so no contract can start."), code=ErrorCode.NO_FEE_POLICY)
    contract = Contract.objects.create(
        proposal=proposal,
        job=job,
        client_id=job.client_id,
        freelancer_id=proposal.freelancer_id,
        title=job.title,
        pricing_type=job.pricing_type,
        amount_cents=proposal.amount_cents,
        currency=proposal.currency,
        fee_policy=policy,
        fee_percent=policy.percent,
        fee_min_cents=policy.min_cents,
        fee_max_cents=policy.max_cents,
        auto_release_days=auto_release_days(),
    )
    ContractStatusChange.objects.create(contract=contract, to_status=contract.status, actor=actor)
    if job.pricing_type == Job.PricingType.FIXED:
        plan = proposal.milestone_plan or [
            {"title": job.title, "amount_cents": proposal.amount_cents, "due_date": None}
        ]
        for position, item in enumerate(plan, start=1):
            milestone = Milestone.objects.create(
                contract=contract,
                position=position,
                title=item["title"],
                amount_cents=item["amount_cents"],
                due_date=item.get("due_date") or None,
            )
            MilestoneStatusChange.objects.create(milestone=milestone, to_status=milestone.status, actor=actor)
    Thread.objects.filter(proposal=proposal).update(contract=contract, subject=job.title)
    audit_log(
        actor=actor,
        action="contract.created",
        target=contract,
        data={"proposal": proposal.pk, "fee_policy": policy.pk, "fee_percent": str(policy.percent)},
    )
    return contract


def lock_contract(*, contract_id: int) -> Contract:
    contract = Contract.objects.select_for_update().filter(pk=contract_id).first()
    if contract is None:
        raise NotAllowed(_("You are not a party to this contract."), code=ErrorCode.NOT_PARTY)
    return contract


def contract_complete_if_done(*, contract: Contract, actor: User | None) -> bool:
    """Complete a fixed-price contract once every milestone is paid, settled, refunded or cancelled."""
    if contract.status != Contract.Status.ACTIVE or contract.is_hourly:
        return False
    statuses = list(Milestone.objects.filter(contract=contract).values_list("status", flat=True))
    if not statuses or any(status not in MILESTONE_CLOSED for status in statuses):
        return False
    _finish(contract=contract, to_status=Contract.Status.COMPLETED, actor=actor)
    return True


def _finish(*, contract: Contract, to_status: str, actor: User | None) -> None:
    contract.completed_at = timezone.now()
    transition(contract, to_status, actor=actor, update_fields=("completed_at",))
    from marketplace.services.jobs import job_close_if_finished

    # A filled job whose last contract has ended is done: it closes.
    job_close_if_finished(job_id=contract.job_id, actor=actor)
    if to_status == Contract.Status.COMPLETED:
        for user in (contract.client, contract.freelancer):
            notify(user=user, kind="contract_completed", data={"contract": contract.title}, url=contract_url(contract))


@transaction.atomic
def contract_end_by_party(*, contract_id: int, actor: User) -> Contract:
    """End an active contract at the word of either party, whatever of its plan is left undone.

    Refused while money is in escrow or on its way, or a timesheet awaits the client. Milestones
    never funded lapse (cancelled); the contract is completed if any milestone was paid out,
    cancelled if none was.
    """
    contract = lock_contract(contract_id=contract_id)
    authorize(actor, "contract.end", contract)
    if contract.status != Contract.Status.ACTIVE:
        raise Conflict(_("This contract has already ended."), code=ErrorCode.CONTRACT_NOT_ACTIVE)
    milestones = list(Milestone.objects.select_for_update().filter(contract=contract).order_by("pk"))
    if any(m.status not in MILESTONE_CLOSED and m.status != Milestone.Status.PENDING for m in milestones):
        raise Conflict(
            _("Money for this contract is still in escrow or on its way: settle those milestones first."),
            code=ErrorCode.MONEY_IN_FLIGHT,
        )
    if contract.timesheets.filter(status="submitted").exists():
        raise Conflict(_("A timesheet still awaits the client's decision."), code=ErrorCode.TIMESHEET_PENDING)
    for milestone in milestones:
        if milestone.status == Milestone.Status.PENDING:
            transition(milestone, Milestone.Status.CANCELLED, actor=actor)
    paid = any(m.status in {Milestone.Status.RELEASED, Milestone.Status.SETTLED} for m in milestones)
    _finish(contract=contract, to_status=Contract.Status.COMPLETED if paid else Contract.Status.CANCELLED, actor=actor)
    return contract

"""Every write of the marketplace API: one documented APIView per operation, each calling one service."""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request

from core.permissions import HasVerifiedEmail
from marketplace.api import inputs as i
from marketplace.api import serializers as o
from marketplace.api._base import action_api
from marketplace.services import (
    disputes,
    fees,
    jobs,
    mediators,
    messaging,
    milestones,
    notifications,
    profiles,
    proposals,
    reviews,
    searches,
    timesheets,
)
from marketplace.services.contracts import contract_end

VERIFIED = (IsAuthenticated, HasVerifiedEmail)


def _skills(names: list[str]) -> list[Any]:
    return [profiles.skill_get_or_create(name=name) for name in dict.fromkeys(names)]


def _with_skills(run: Callable[[Request, dict, dict], Any]) -> Callable[[Request, dict, dict], Any]:
    """Run `run` in one transaction with the skills it creates before calling its service.

    Without it, a job or profile the service refuses would still leave its new skills behind,
    and bad input must change nothing.
    """

    def run_atomically(request: Request, data: dict, kw: dict) -> Any:
        with transaction.atomic():
            return run(request, data, kw)

    return run_atomically


def _job_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in data.items() if k not in {"skills", "publish"}}
    fields["skills"] = _skills(data["skills"])
    return fields


def _plan(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {**item, "due_date": item["due_date"].isoformat() if item.get("due_date") else None}
        for item in data.get("milestone_plan", [])
    ]


def _fund(request: Request, data: dict, kw: dict) -> dict[str, Any]:
    milestone, payment_request = milestones.milestone_fund(
        milestone_id=kw["milestone_id"], actor=request.user, provider=data["provider"]
    )
    return {
        "milestone": milestone,
        "payment_reference": payment_request.reference,
        "amount_cents": payment_request.amount_cents,
        "currency": payment_request.currency,
        "provider": payment_request.provider,
    }


def _delivery(delivery: Any) -> dict[str, Any]:
    return {
        "id": delivery.pk,
        "milestone_id": delivery.milestone_id,
        "message": delivery.message,
        "files": [f.name for f in delivery.files.all()],
    }


JobCreateApi = action_api(
    "job_create",
    run=_with_skills(lambda r, d, kw: jobs.job_create(client=r.user, publish=d["publish"], **_job_fields(d))),
    input=i.JobCreateInput,
    output=o.JobOut,
    summary="Post a job, as a draft or published at once (needs a verified email).",
    tag="jobs",
    permissions=VERIFIED,
    created=True,
)
JobUpdateApi = action_api(
    "job_update",
    run=_with_skills(lambda r, d, kw: jobs.job_update(job_id=kw["job_id"], actor=r.user, **_job_fields(d))),
    input=i.JobInput,
    output=o.JobOut,
    summary="Edit a draft or open job (its client only).",
    tag="jobs",
    permissions=VERIFIED,
)
JobPublishApi = action_api(
    "job_publish",
    run=lambda r, d, kw: jobs.job_publish(job_id=kw["job_id"], actor=r.user),
    output=o.JobOut,
    summary="Publish a draft job.",
    tag="jobs",
    permissions=VERIFIED,
)
JobCloseApi = action_api(
    "job_close",
    run=lambda r, d, kw: jobs.job_close(job_id=kw["job_id"], actor=r.user),
    output=o.JobOut,
    summary="Close a job to new proposals.",
    tag="jobs",
)
JobReopenApi = action_api(
    "job_reopen",
    run=lambda r, d, kw: jobs.job_reopen(job_id=kw["job_id"], actor=r.user),
    output=o.JobOut,
    summary="Reopen a closed job.",
    tag="jobs",
)
JobCancelApi = action_api(
    "job_cancel",
    run=lambda r, d, kw: jobs.job_cancel(job_id=kw["job_id"], actor=r.user),
    output=o.JobOut,
    summary="Cancel a job; its live proposals are declined.",
    tag="jobs",
)
JobAttachmentApi = action_api(
    "job_attachment_add",
    run=lambda r, d, kw: jobs.job_attachment_add(job_id=kw["job_id"], actor=r.user, file=d["file"]).job,
    input=i.FileInput,
    output=o.JobOut,
    summary="Attach a file to a job (multipart).",
    tag="jobs",
    multipart=True,
    created=True,
)
ProposalSubmitApi = action_api(
    "proposal_submit",
    run=lambda r, d, kw: proposals.proposal_submit(
        job_id=kw["job_id"],
        freelancer=r.user,
        cover_letter=d["cover_letter"],
        amount_cents=d["amount_cents"],
        duration_days=d["duration_days"],
        milestone_plan=_plan(d),
    ),
    input=i.ProposalInput,
    output=o.ProposalOut,
    summary="Send a proposal on an open job; free, one per freelancer per job (needs a verified email).",
    tag="proposals",
    permissions=VERIFIED,
    created=True,
)
ProposalReviseApi = action_api(
    "proposal_revise",
    run=lambda r, d, kw: proposals.proposal_revise(
        proposal_id=kw["proposal_id"],
        actor=r.user,
        amount_cents=d["amount_cents"],
        duration_days=d["duration_days"],
        milestone_plan=_plan(d),
        note=d["note"],
    ),
    input=i.ReviseInput,
    output=o.ProposalDetailOut,
    summary="Put new terms on the table (the client's are a counter-offer); the history is kept.",
    tag="proposals",
)
ProposalAgreeApi = action_api(
    "proposal_agree",
    run=lambda r, d, kw: proposals.proposal_agree(proposal_id=kw["proposal_id"], actor=r.user),
    output=o.ProposalDetailOut,
    summary="The freelancer agrees to the client's counter-offer.",
    tag="proposals",
)
ProposalWithdrawApi = action_api(
    "proposal_withdraw",
    run=lambda r, d, kw: proposals.proposal_withdraw(proposal_id=kw["proposal_id"], actor=r.user),
    output=o.ProposalOut,
    summary="The freelancer withdraws the proposal.",
    tag="proposals",
)
ProposalShortlistApi = action_api(
    "proposal_shortlist",
    run=lambda r, d, kw: proposals.proposal_shortlist(proposal_id=kw["proposal_id"], actor=r.user),
    output=o.ProposalOut,
    summary="The client shortlists a proposal.",
    tag="proposals",
)
ProposalDeclineApi = action_api(
    "proposal_decline",
    run=lambda r, d, kw: proposals.proposal_decline(proposal_id=kw["proposal_id"], actor=r.user),
    output=o.ProposalOut,
    summary="The client declines a proposal.",
    tag="proposals",
)
ProposalAcceptApi = action_api(
    "proposal_accept",
    run=lambda r, d, kw: proposals.proposal_accept(proposal_id=kw["proposal_id"], actor=r.user),
    output=o.ContractOut,
    summary="The client accepts the terms on the table: a contract starts under the fee policy in force.",
    tag="proposals",
    created=True,
)
MilestoneAddApi = action_api(
    "milestone_add",
    run=lambda r, d, kw: milestones.milestone_add(contract_id=kw["contract_id"], actor=r.user, **d),
    input=i.MilestoneInput,
    output=o.MilestoneOut,
    summary="The client adds a milestone to a fixed-price contract.",
    tag="contracts",
    created=True,
)
ContractEndApi = action_api(
    "contract_end",
    run=lambda r, d, kw: contract_end(contract_id=kw["contract_id"], actor=r.user),
    output=o.ContractOut,
    summary="End a contract once no money is in escrow or on its way.",
    tag="contracts",
)
MilestoneFundApi = action_api(
    "milestone_fund",
    run=_fund,
    input=i.FundInput,
    output=o.FundOut,
    summary="The client asks to fund a milestone into escrow; returns the payment reference to pay with.",
    tag="milestones",
)
MilestoneDeliverApi = action_api(
    "milestone_deliver",
    run=lambda r, d, kw: _delivery(
        milestones.milestone_submit(
            milestone_id=kw["milestone_id"], actor=r.user, message=d["message"], files=d["files"]
        )
    ),
    input=i.DeliveryInput,
    output=o.DeliveryOut,
    summary="The freelancer delivers work: a message and files (multipart for files).",
    tag="milestones",
    created=True,
)
MilestoneApproveApi = action_api(
    "milestone_approve",
    run=lambda r, d, kw: milestones.milestone_approve(milestone_id=kw["milestone_id"], actor=r.user),
    output=o.MilestoneOut,
    summary="The client approves the work: escrow pays the freelancer, minus the fee.",
    tag="milestones",
)
MilestoneChangesApi = action_api(
    "milestone_request_changes",
    run=lambda r, d, kw: milestones.milestone_request_changes(
        milestone_id=kw["milestone_id"], actor=r.user, note=d["note"]
    ),
    input=i.NoteInput,
    output=o.MilestoneOut,
    summary="The client asks for changes to delivered work; the auto-release timer stops.",
    tag="milestones",
)
MilestoneRefundApi = action_api(
    "milestone_refund",
    run=lambda r, d, kw: milestones.milestone_refund(milestone_id=kw["milestone_id"], actor=r.user),
    output=o.MilestoneOut,
    summary="The freelancer gives a funded milestone's money back to the client.",
    tag="milestones",
)
MilestoneCancelApi = action_api(
    "milestone_cancel",
    run=lambda r, d, kw: milestones.milestone_cancel(milestone_id=kw["milestone_id"], actor=r.user),
    output=o.MilestoneOut,
    summary="The client cancels a milestone that was never funded.",
    tag="milestones",
)
TimesheetSubmitApi = action_api(
    "timesheet_submit",
    run=lambda r, d, kw: timesheets.timesheet_submit(contract_id=kw["contract_id"], actor=r.user, **d),
    input=i.TimesheetInput,
    output=o.TimesheetOut,
    summary="The freelancer sends a week's hours on an hourly contract (no screenshots, no tracking).",
    tag="timesheets",
    created=True,
)
TimesheetApproveApi = action_api(
    "timesheet_approve",
    run=lambda r, d, kw: timesheets.timesheet_approve(timesheet_id=kw["timesheet_id"], actor=r.user),
    output=o.TimesheetOut,
    summary="The client approves a week: a payment request is made; once paid it is released.",
    tag="timesheets",
)
TimesheetRejectApi = action_api(
    "timesheet_reject",
    run=lambda r, d, kw: timesheets.timesheet_reject(timesheet_id=kw["timesheet_id"], actor=r.user, note=d["note"]),
    input=i.NoteInput,
    output=o.TimesheetOut,
    summary="The client sends a week back with a note.",
    tag="timesheets",
)
ReviewSubmitApi = action_api(
    "review_submit",
    run=lambda r, d, kw: reviews.review_submit(contract_id=kw["contract_id"], actor=r.user, **d),
    input=i.ReviewInput,
    output=o.ReviewOut,
    summary="Review the other side of a completed contract; hidden until both reviewed or 14 days passed.",
    tag="reviews",
    created=True,
)
ReviewRespondApi = action_api(
    "review_respond",
    run=lambda r, d, kw: reviews.review_respond(review_id=kw["review_id"], actor=r.user, text=d["text"]).review,
    input=i.TextInput,
    output=o.ReviewOut,
    summary="The reviewed party responds to a visible review, once.",
    tag="reviews",
    created=True,
)
DisputeOpenApi = action_api(
    "dispute_open",
    run=lambda r, d, kw: disputes.dispute_open(milestone_id=kw["milestone_id"], actor=r.user, **d),
    input=i.DisputeInput,
    output=o.DisputeOut,
    summary="Open a dispute on a milestone with money in escrow, with a reason and evidence.",
    tag="disputes",
    created=True,
)
DisputeRespondApi = action_api(
    "dispute_respond",
    run=lambda r, d, kw: disputes.dispute_respond(dispute_id=kw["dispute_id"], actor=r.user, **d),
    input=i.DisputeResponseInput,
    output=o.DisputeOut,
    summary="The other party responds to a dispute before its deadline.",
    tag="disputes",
)
DisputeEvidenceApi = action_api(
    "dispute_evidence_add",
    run=lambda r, d, kw: disputes.dispute_evidence_add(dispute_id=kw["dispute_id"], actor=r.user, files=d["files"]),
    input=i.FilesInput,
    output=o.DisputeOut,
    summary="A party adds evidence files (multipart).",
    tag="disputes",
    multipart=True,
)
DisputeResolveApi = action_api(
    "dispute_resolve",
    run=lambda r, d, kw: disputes.dispute_resolve(dispute_id=kw["dispute_id"], actor=r.user, **d),
    input=i.ResolveInput,
    output=o.DisputeOut,
    summary="A mediator (staff, not a party) splits the escrow between release and refund.",
    tag="disputes",
)


def _mediator_appoint(request: Request, data: dict, kw: dict) -> Any:
    from django.contrib.auth import get_user_model

    from core.exceptions import ApplicationError, NotAllowed
    from marketplace.models import Mediator

    if not request.user.is_staff:
        raise NotAllowed(_("Only the board appoints mediators directly."), code="not_board")
    user = get_user_model().objects.filter(pk=data["user_id"]).first()
    if user is None:
        raise ApplicationError(_("Only an active member can be appointed as mediator."), code="mediator_not_member")
    return mediators.mediator_appoint(user=user, actor=request.user, source=Mediator.Source.BOARD)


MediatorAppointApi = action_api(
    "mediator_appoint",
    run=_mediator_appoint,
    input=i.MediatorAppointInput,
    output=o.MediatorOut,
    summary="The board (staff) appoints an active member as dispute mediator.",
    tag="disputes",
    created=True,
)
MessageSendApi = action_api(
    "message_send",
    run=lambda r, d, kw: messaging.message_send(
        thread_id=kw["thread_id"], sender=r.user, body=d["body"], files=d["files"]
    ),
    input=i.MessageInput,
    output=o.MessageOut,
    summary="Send a message, with attachments (multipart), to the other party of a thread.",
    tag="messages",
    created=True,
)
NotificationsReadApi = action_api(
    "notifications_mark_read",
    run=lambda r, d, kw: notifications.notifications_mark_read(user=r.user, notification_ids=d["ids"]) and None,
    input=i.NotificationReadInput,
    output=None,
    summary="Mark notifications read (all of them when no ids are given).",
    tag="notifications",
)
NotificationPreferenceApi = action_api(
    "notification_preferences_save",
    run=lambda r, d, kw: notifications.notification_preference_save(user=r.user, actor=r.user, **d),
    input=i.NotificationPreferenceInput,
    output=i.NotificationPreferenceInput,
    summary="Choose which marketplace events you get by email.",
    tag="notifications",
)
FreelancerProfileSaveApi = action_api(
    "freelancer_profile_save",
    run=_with_skills(
        lambda r, d, kw: profiles.freelancer_profile_save(
            user=r.user,
            headline=d["headline"],
            bio=d["bio"],
            skills=_skills(d["skills"]),
            hourly_rate_cents=d["hourly_rate_cents"],
            availability=d["availability"],
            location=d["location"],
            remote=d["remote"],
            languages=d["languages"],
            privacy={flag: d[flag] for flag in profiles.PRIVACY_FLAGS},
        )
    ),
    input=i.FreelancerProfileInput,
    output=o.FreelancerProfileOut,
    summary="Create or update your freelancer profile and what of it is public.",
    tag="profiles",
)
ClientProfileSaveApi = action_api(
    "client_profile_save",
    run=lambda r, d, kw: profiles.client_profile_save(user=r.user, **d),
    input=i.ClientProfileInput,
    output=o.ClientProfileOut,
    summary="Create or update your client profile.",
    tag="profiles",
)
PortfolioAddApi = action_api(
    "portfolio_item_add",
    run=lambda r, d, kw: profiles.portfolio_item_add(user=r.user, **d),
    input=i.PortfolioInput,
    output=o.PortfolioItemOut,
    summary="Add a portfolio item with a link or a file (multipart for files).",
    tag="profiles",
    created=True,
)
PortfolioDeleteApi = action_api(
    "portfolio_item_delete",
    run=lambda r, d, kw: profiles.portfolio_item_delete(item_id=kw["item_id"], actor=r.user),
    output=None,
    summary="Remove one of your portfolio items.",
    tag="profiles",
)
SavedSearchCreateApi = action_api(
    "saved_search_create",
    run=lambda r, d, kw: searches.saved_search_create(user=r.user, **d),
    input=i.SavedSearchInput,
    output=o.SavedSearchOut,
    summary="Save a job search, optionally with email alerts for new matches.",
    tag="search",
    created=True,
)
SavedSearchDeleteApi = action_api(
    "saved_search_delete",
    run=lambda r, d, kw: searches.saved_search_delete(saved_search_id=kw["saved_search_id"], actor=r.user),
    output=None,
    summary="Delete one of your saved searches.",
    tag="search",
)
FeePolicyBootstrapApi = action_api(
    "fee_policy_bootstrap",
    run=lambda r, d, kw: fees.fee_policy_bootstrap(actor=r.user, **d),
    input=i.FeePolicyInput,
    output=o.FeePolicyOut,
    summary="An admin sets the first fee policy; later changes go through a members' decision.",
    tag="fees",
    created=True,
)

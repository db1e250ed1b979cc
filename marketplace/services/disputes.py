"""Disputes: a party opens one on a milestone in escrow, the other responds by a deadline, a mediator decides.

Lock order: contract, milestone, dispute. Every step is in the audit log.
"""

from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, Conflict, NotAllowed
from core.notifications import notify
from core.permissions import authorize
from core.services import audit_log
from core.transitions import transition
from marketplace.exceptions import ErrorCode
from marketplace.models import (
    MILESTONE_IN_ESCROW,
    Contract,
    Dispute,
    DisputeEvidence,
    DisputeStatusChange,
    Milestone,
)
from marketplace.services import escrow
from marketplace.services.contracts import contract_complete_if_done, lock_contract
from marketplace.validators import check_upload
from membership.models import User

DEFAULT_RESPONSE_DAYS = 7
MAX_EVIDENCE_FILES = 10


def response_days() -> int:
    return int(getattr(settings, "MARKETPLACE_DISPUTE_RESPONSE_DAYS", DEFAULT_RESPONSE_DAYS))


def _url(dispute: Dispute) -> str:
    return reverse("marketplace:dispute-detail", args=[dispute.pk])


def _store_evidence(*, dispute: Dispute, actor: User, files: Sequence[UploadedFile[bytes]]) -> None:
    if dispute.evidence.count() + len(files) > MAX_EVIDENCE_FILES:
        raise ApplicationError(_("A dispute can hold at most 10 files of evidence."), code=ErrorCode.TOO_MANY_FILES)
    names = [check_upload(file) for file in files]
    for file, name in zip(files, names, strict=True):
        evidence = DisputeEvidence(dispute=dispute, author=actor, name=name[:200])
        evidence.file.save(name, file, save=False)
        evidence.save()


def _lock_dispute(*, dispute_id: int) -> tuple[Contract, Milestone, Dispute]:
    row = Dispute.objects.filter(pk=dispute_id).values_list("milestone_id", "milestone__contract_id").first()
    if row is None:
        raise NotAllowed(_("You are not a party to this dispute."), code=ErrorCode.NOT_PARTY)
    contract = lock_contract(contract_id=row[1])
    milestone = Milestone.objects.select_for_update().get(pk=row[0])
    dispute = Dispute.objects.select_for_update().get(pk=dispute_id)
    milestone.contract = contract
    dispute.milestone = milestone
    return contract, milestone, dispute


@transaction.atomic
def dispute_open(
    *, milestone_id: int, actor: User, reason: str, statement: str, files: Sequence[UploadedFile[bytes]] = ()
) -> Dispute:
    contract_id = Milestone.objects.filter(pk=milestone_id).values_list("contract_id", flat=True).first()
    if contract_id is None:
        raise NotAllowed(_("You are not a party to this contract."), code=ErrorCode.NOT_PARTY)
    contract = lock_contract(contract_id=contract_id)
    milestone = Milestone.objects.select_for_update().get(pk=milestone_id)
    milestone.contract = contract
    authorize(actor, "milestone.dispute", milestone)
    side = contract.party_of(actor.pk)
    if milestone.status not in MILESTONE_IN_ESCROW:
        raise Conflict(
            _("Only a milestone with money in escrow can be disputed."), code=ErrorCode.MILESTONE_NOT_IN_ESCROW
        )
    if reason not in Dispute.Reason.values:
        raise ApplicationError(_("Choose a reason."), code=ErrorCode.REASON_INVALID)
    if not statement.strip():
        raise ApplicationError(_("Explain what went wrong."), code=ErrorCode.STATEMENT_BLANK)
    milestone.auto_release_at = None
    transition(milestone, Milestone.Status.DISPUTED, actor=actor, update_fields=("auto_release_at",))
    dispute = Dispute.objects.create(
        milestone=milestone,
        opened_by=actor,
        reason=reason,
        statement=statement.strip(),
        respond_by=timezone.now() + timedelta(days=response_days()),
    )
    DisputeStatusChange.objects.create(dispute=dispute, to_status=dispute.status, actor=actor)
    _store_evidence(dispute=dispute, actor=actor, files=files)
    audit_log(actor=actor, action="dispute.opened", target=dispute, data={"milestone": milestone.pk, "reason": reason})
    other = contract.client if side == "freelancer" else contract.freelancer
    notify(user=other, kind="dispute_opened", data={"milestone": milestone.title}, url=_url(dispute))
    return dispute


@transaction.atomic
def dispute_respond(
    *, dispute_id: int, actor: User, response: str, files: Sequence[UploadedFile[bytes]] = ()
) -> Dispute:
    _contract, milestone, dispute = _lock_dispute(dispute_id=dispute_id)
    authorize(actor, "dispute.respond", dispute)
    if dispute.status != Dispute.Status.OPEN:
        raise Conflict(_("This dispute has already been answered."), code=ErrorCode.DISPUTE_NOT_OPEN)
    if timezone.now() > dispute.respond_by:
        raise Conflict(_("The time to respond has passed; the mediator will decide."), code=ErrorCode.RESPONSE_LATE)
    if not response.strip():
        raise ApplicationError(_("Write your side of the story."), code=ErrorCode.RESPONSE_BLANK)
    dispute.response = response.strip()
    dispute.responded_at = timezone.now()
    transition(dispute, Dispute.Status.RESPONDED, actor=actor, update_fields=("response", "responded_at"))
    _store_evidence(dispute=dispute, actor=actor, files=files)
    notify(user=dispute.opened_by, kind="dispute_responded", data={"milestone": milestone.title}, url=_url(dispute))
    return dispute


@transaction.atomic
def dispute_evidence_add(*, dispute_id: int, actor: User, files: Sequence[UploadedFile[bytes]]) -> Dispute:
    _contract, _milestone, dispute = _lock_dispute(dispute_id=dispute_id)
    authorize(actor, "dispute.add_evidence", dispute)
    if dispute.status == Dispute.Status.RESOLVED:
        raise Conflict(_("This dispute is closed."), code=ErrorCode.DISPUTE_RESOLVED)
    if not files:
        raise ApplicationError(_("Attach at least one file."), code=ErrorCode.FILES_MISSING)
    _store_evidence(dispute=dispute, actor=actor, files=files)
    audit_log(actor=actor, action="dispute.evidence_added", target=dispute, data={"files": len(files)})
    return dispute


@transaction.atomic
def dispute_resolve(*, dispute_id: int, actor: User, release_cents: int, decision: str) -> Dispute:
    """A mediator splits the escrow between release (to the freelancer, minus the fee) and refund.

    A mediator is staff or an appointed member (marketplace.Mediator), never a party to the contract.
    """
    contract, milestone, dispute = _lock_dispute(dispute_id=dispute_id)
    authorize(actor, "dispute.resolve", dispute)
    if contract.party_of(actor.pk) is not None:
        raise NotAllowed(_("A party cannot mediate their own dispute."), code=ErrorCode.MEDIATOR_IS_PARTY)
    if dispute.status == Dispute.Status.OPEN and timezone.now() <= dispute.respond_by:
        raise Conflict(_("The other side still has time to respond."), code=ErrorCode.AWAITING_RESPONSE)
    if (
        isinstance(release_cents, bool)
        or not isinstance(release_cents, int)
        or not 0 <= release_cents <= milestone.amount_cents
    ):
        raise ApplicationError(
            _("The amount to release must be between 0 and the milestone's amount."),
            code=ErrorCode.SPLIT_INVALID,
            detail={"max": milestone.amount_cents},
        )
    if not decision.strip():
        raise ApplicationError(_("Explain the decision."), code=ErrorCode.DECISION_BLANK)
    refund_cents = milestone.amount_cents - release_cents
    dispute.mediator = actor
    dispute.decision = decision.strip()
    dispute.release_cents = release_cents
    dispute.refund_cents = refund_cents
    dispute.resolved_at = timezone.now()
    transition(
        dispute,
        Dispute.Status.RESOLVED,
        actor=actor,
        update_fields=("mediator", "decision", "release_cents", "refund_cents", "resolved_at"),
        audit_data={"release_cents": release_cents, "refund_cents": refund_cents},
    )
    transition(milestone, Milestone.Status.SETTLED, actor=actor, history_data={"note": dispute.decision})
    escrow.settle(
        milestone=milestone, contract=contract, release_cents=release_cents, refund_cents=refund_cents, actor=actor
    )
    for user in (contract.client, contract.freelancer):
        notify(user=user, kind="dispute_resolved", data={"milestone": milestone.title}, url=_url(dispute))
    contract_complete_if_done(contract=contract, actor=actor)
    return dispute

"""Mediators: members appointed to decide disputes, by the board or by the members' decision.

Lock order: the user row first, then the mediator rows, so that two appointments of the same
member queue behind each other instead of both passing the "already active" check.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, NotAllowed
from core.models import AuditEvent
from core.permissions import authorize
from core.services import audit_log
from marketplace.exceptions import ErrorCode
from marketplace.models import Mediator
from membership.models import User
from membership.selectors.members import user_is_active_member


def _lock_user(user: User) -> None:
    User.objects.select_for_update().filter(pk=user.pk).first()


def _check_source(*, actor: User | None, source: str, decision_id: int | None, action: str) -> None:
    if source not in Mediator.Source.values:
        raise ApplicationError(_("Choose who appoints the mediator."), code=ErrorCode.SOURCE_INVALID)
    if source == Mediator.Source.BOARD:
        # The board itself: the platform (actor None) carries out only the members' decisions.
        if actor is None:
            raise NotAllowed(_("Only the board appoints mediators directly."), code=ErrorCode.NOT_BOARD)
        authorize(actor, action)
    if source == Mediator.Source.DECISION and decision_id is None:
        raise ApplicationError(
            _("Name the members' decision that chose the mediator."), code=ErrorCode.DECISION_MISSING
        )


@transaction.atomic
def mediator_appoint(*, user: User, actor: User | None, source: str, decision_id: int | None = None) -> Mediator:
    """Appoint an active member as mediator; appointing someone already active returns their appointment."""
    _check_source(actor=actor, source=source, decision_id=decision_id, action="mediator.appoint")
    _lock_user(user)
    if not user_is_active_member(user):
        raise ApplicationError(
            _("Only an active member can be appointed as mediator."), code=ErrorCode.MEDIATOR_NOT_MEMBER
        )
    current = Mediator.objects.select_for_update().filter(user_id=user.pk, ended_at__isnull=True).first()
    if current is not None:
        return current
    mediator = Mediator.objects.create(
        user=user,
        appointed_at=timezone.now(),
        appointed_by=actor,
        source=source,
        decision_id=decision_id if source == Mediator.Source.DECISION else None,
    )
    audit_log(
        actor=actor,
        action="mediator.appointed",
        target=mediator,
        subject=user,
        data={"source": source, "decision_id": mediator.decision_id},
    )
    return mediator


@transaction.atomic
def mediator_end(*, user: User, actor: User | None, source: str, decision_id: int | None = None) -> Mediator | None:
    """End the member's active appointment; return it, or None when they were not a mediator."""
    _check_source(actor=actor, source=source, decision_id=decision_id, action="mediator.end")
    _lock_user(user)
    current = Mediator.objects.select_for_update().filter(user_id=user.pk, ended_at__isnull=True).first()
    if current is None:
        return None
    current.ended_at = timezone.now()
    current.save(update_fields=["ended_at", "updated_at"])
    audit_log(
        actor=actor,
        action="mediator.ended",
        target=current,
        subject=user,
        data={"source": source, "decision_id": decision_id},
    )
    return current


@transaction.atomic
def mediators_apply_decision(*, appoint: list[int], end: list[int], proposal_id: int, actor: User | None) -> None:
    """Carry out a members' decision on mediators; running the same decision again changes nothing."""
    users = User.objects.in_bulk(sorted({*appoint, *end}))
    for user_id in sorted(set(end)):
        # The audit row is the record that this decision already ended the appointment.
        done = AuditEvent.objects.filter(action="mediator.ended", subject_id=user_id, data__decision_id=proposal_id)
        if user_id in users and not done.exists():
            mediator_end(user=users[user_id], actor=actor, source=Mediator.Source.DECISION, decision_id=proposal_id)
    for user_id in sorted(set(appoint)):
        if Mediator.objects.filter(user_id=user_id, source=Mediator.Source.DECISION, decision_id=proposal_id).exists():
            continue
        mediator_appoint(user=users[user_id], actor=actor, source=Mediator.Source.DECISION, decision_id=proposal_id)

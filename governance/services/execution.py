"""Carrying out a passed decision: exactly once, audited, and visibly when it fails."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.decisions import decision_type
from core.exceptions import Conflict
from core.permissions import authorize
from core.services import audit_log
from core.transitions import transition
from governance.exceptions import ErrorCode
from governance.models import Execution, Proposal
from governance.services import notices
from membership.models import User

logger = logging.getLogger(__name__)

ERROR_MAX = 2000


@transaction.atomic
def decision_execute(*, proposal_id: int, actor: User | None = None) -> Execution:
    """Run the effect of a passed proposal. Safe to call again: an effect that succeeded never reruns.

    The handler runs inside this transaction, so its effect and the "done" mark commit together or
    not at all; the row lock on the execution makes a second worker wait and then see it done.
    """
    authorize(actor, "motion.execute")
    proposal = Proposal.objects.select_for_update().get(pk=proposal_id)
    execution = Execution.objects.select_for_update().filter(proposal=proposal).first()
    if execution is None:
        raise Conflict(_("This decision has no effect to carry out."), code=ErrorCode.NOTHING_TO_EXECUTE)
    if execution.status == Execution.Status.SUCCEEDED:
        return execution
    if proposal.status != Proposal.Status.PASSED:
        raise Conflict(_("Only a passed decision can be carried out."), code=ErrorCode.NOT_PASSED)
    handler = decision_type(proposal.decision_key).execute
    if handler is None:
        raise Conflict(_("This decision has no effect to carry out."), code=ErrorCode.NOTHING_TO_EXECUTE)
    execution.attempts += 1
    execution.last_attempt_at = timezone.now()
    try:
        with transaction.atomic():
            handler(payload=proposal.payload, proposal_id=proposal.pk, actor=actor)
    except Exception as exc:  # any failure of another app's handler must be recorded, not lost
        logger.exception("Decision %s (%s) failed to execute", proposal.pk, proposal.decision_key)
        execution.last_error = f"{exc.__class__.__name__}: {exc}"[:ERROR_MAX]
        transition(
            execution,
            Execution.Status.FAILED,
            actor=actor,
            update_fields=("attempts", "last_attempt_at", "last_error"),
            history_data={"error": execution.last_error},
        )
        audit_log(
            actor=actor,
            action="decision.execution_failed",
            target=proposal,
            data={"attempt": execution.attempts, "error": execution.last_error},
        )
        return execution
    execution.succeeded_at = execution.last_attempt_at
    execution.last_error = ""
    transition(
        execution,
        Execution.Status.SUCCEEDED,
        actor=actor,
        update_fields=("attempts", "last_attempt_at", "last_error", "succeeded_at"),
    )
    audit_log(
        actor=actor,
        action="decision.executed",
        target=proposal,
        data={"decision": proposal.decision_key, "attempt": execution.attempts, "payload": proposal.payload},
    )
    transition(proposal, Proposal.Status.EXECUTED, actor=actor)
    notices.decision_carried_out_notify(proposal=proposal)
    return execution

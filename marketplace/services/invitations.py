"""Invitations: a client asks a freelancer to propose on one of their open jobs.

Only people whose profile others may find (their privacy settings' audience is everyone or everyone
signed in) can be invited; anyone else is "not found", so an invitation reveals nobody. Inviting the
same person to the same job twice is one invitation and one notice.
"""

from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import Conflict, NotAllowed
from core.notifications import notify
from core.permissions import authorize
from core.services import audit_log
from core.transitions import transition
from marketplace import limits
from marketplace.exceptions import ErrorCode
from marketplace.models import FreelancerProfile, Invitation, Job, Proposal
from marketplace.selectors.freelancers import findable_by_signed_in
from marketplace.services._limits import check_text_length
from membership.models import User


def freelancer_findable(*, user_id: int) -> bool:
    """Return whether a signed-in person may find (and so invite) this freelancer, by their privacy settings.

    The same rule as the freelancer directory (`findable_by`), asked about one person.
    """
    return FreelancerProfile.objects.filter(
        findable_by_signed_in(), user_id=user_id, user__is_active=True, user__erased_at__isnull=True
    ).exists()


@transaction.atomic
def invitation_send(*, job_id: int, client: User, freelancer_id: int, message: str = "") -> tuple[Invitation, bool]:
    """Invite a freelancer to propose on the client's open job; return the invitation and whether it is new."""
    job = Job.objects.select_for_update().filter(pk=job_id).first()
    if job is None:
        raise Http404
    authorize(client, "job.update", job)
    if job.status != Job.Status.OPEN:
        raise Conflict(_("Only open jobs take invitations."), code=ErrorCode.JOB_NOT_OPEN)
    if freelancer_id == client.pk:
        raise NotAllowed(_("You cannot invite yourself to your own job."), code=ErrorCode.OWN_JOB)
    if not freelancer_findable(user_id=freelancer_id):
        raise Http404
    message = message.strip()
    check_text_length(message, limit=limits.INVITATION, field="message")
    existing = Invitation.objects.filter(job=job, freelancer_id=freelancer_id).first()
    if existing is not None:
        return existing, False
    if Proposal.objects.filter(job=job, freelancer_id=freelancer_id).exists():
        raise Conflict(_("This freelancer has already sent a proposal for this job."), code=ErrorCode.PROPOSAL_EXISTS)
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                job=job, freelancer_id=freelancer_id, invited_by=client, message=message
            )
    except IntegrityError:  # a double click that won the race
        return Invitation.objects.get(job=job, freelancer_id=freelancer_id), False
    audit_log(actor=client, action="invitation.sent", target=invitation, data={"job": job.pk})
    notify(
        user=invitation.freelancer,
        kind="job_invitation",
        data={"client": str(client), "job": job.title},
        url=reverse("marketplace:my-invitations"),
    )
    return invitation, True


@transaction.atomic
def invitation_decline(*, invitation_id: int, freelancer: User) -> Invitation:
    """The invited freelancer says no; the client's job is not told more than that it was declined."""
    invitation = Invitation.objects.select_for_update().filter(pk=invitation_id, freelancer_id=freelancer.pk).first()
    if invitation is None:
        raise Http404
    if invitation.status != Invitation.Status.SENT:
        raise Conflict(_("You have already answered this invitation."), code=ErrorCode.INVITATION_ANSWERED)
    invitation.answered_at = timezone.now()
    transition(invitation, Invitation.Status.DECLINED, actor=freelancer, update_fields=("answered_at",))
    job = invitation.job
    notify(
        user=invitation.invited_by,
        kind="job_invitation_declined",
        data={"freelancer": str(freelancer), "job": job.title},
        url=reverse("marketplace:job-detail", args=[job.pk]),
    )
    return invitation


def invitation_mark_proposed(*, job_id: int, freelancer_id: int) -> None:
    """Called when the freelancer proposes on the job: an open invitation to it is answered."""
    invitation = (
        Invitation.objects.select_for_update()
        .filter(job_id=job_id, freelancer_id=freelancer_id, status=Invitation.Status.SENT)
        .first()
    )
    if invitation is not None:
        invitation.answered_at = timezone.now()
        transition(invitation, Invitation.Status.PROPOSED, actor=invitation.freelancer, update_fields=("answered_at",))

"""Jobs: create, edit, attach files and move through their statuses."""

from collections.abc import Iterable
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, NotAllowed
from core.money import default_currency
from core.permissions import authorize
from core.services import audit_log
from core.transitions import transition
from marketplace.exceptions import ErrorCode
from marketplace.models import Job, JobAttachment, JobStatusChange, Skill
from marketplace.services._limits import check_amount_ceiling
from marketplace.services.profiles import client_profile_ensure, skills_get_or_create
from marketplace.validators import check_upload
from membership.models import User


def _check_terms(
    *, title: str, description: str, budget_min_cents: int, budget_max_cents: int, pricing_type: str, currency: str
) -> None:
    if not title.strip():
        raise ApplicationError(_("Give the job a title."), code=ErrorCode.TITLE_BLANK)
    if not description.strip():
        raise ApplicationError(_("Describe the job."), code=ErrorCode.DESCRIPTION_BLANK)
    if budget_min_cents <= 0 or budget_max_cents < budget_min_cents:
        raise ApplicationError(
            _("The budget must be more than zero, and its upper end at least its lower end."),
            code=ErrorCode.BUDGET_INVALID,
        )
    check_amount_ceiling(budget_max_cents, currency=currency, field="budget_max")
    if pricing_type not in Job.PricingType.values:
        raise ApplicationError(_("Choose fixed price or hourly."), code=ErrorCode.PRICING_TYPE_INVALID)


def _check_deadline(deadline: date | None) -> None:
    if deadline is not None and deadline < timezone.localdate():
        raise ApplicationError(_("The deadline cannot be in the past."), code=ErrorCode.DEADLINE_PAST)


def _skill_text(skills: list[Skill]) -> str:
    return " ".join(sorted(skill.name for skill in skills))[:1000]


@transaction.atomic
def job_create(
    *,
    client: User,
    title: str,
    description: str,
    budget_min_cents: int,
    budget_max_cents: int,
    currency: str | None = None,
    pricing_type: str = Job.PricingType.FIXED,
    skill_names: Iterable[str] = (),
    remote: bool = True,
    location: str = "",
    deadline: date | None = None,
    publish: bool = False,
    attachments: Iterable[UploadedFile[bytes]] = (),
) -> Job:
    """Create a job as a draft, or publish it at once, with its attachments; missing skills are created.

    One transaction: a refused attachment leaves no job behind.
    """
    authorize(client, "job.create")
    currency = currency or default_currency()
    _check_terms(
        title=title,
        description=description,
        budget_min_cents=budget_min_cents,
        budget_max_cents=budget_max_cents,
        pricing_type=pricing_type,
        currency=currency,
    )
    _check_deadline(deadline)
    client_profile_ensure(user=client)
    skill_list = skills_get_or_create(names=skill_names)
    job = Job.objects.create(
        client=client,
        title=title.strip(),
        description=description,
        budget_min_cents=budget_min_cents,
        budget_max_cents=budget_max_cents,
        currency=currency,
        pricing_type=pricing_type,
        remote=remote,
        location=location,
        deadline=deadline,
        skill_text=_skill_text(skill_list),
    )
    job.skills.set(skill_list)
    JobStatusChange.objects.create(job=job, to_status=job.status, actor=client)
    audit_log(actor=client, action="job.created", target=job)
    if publish:
        job = job_publish(job_id=job.pk, actor=client)
    for file in attachments:
        _attachment_add(job=job, actor=client, file=file)
    return job


def _lock_own_job(*, job_id: int, actor: User, action: str) -> Job:
    job = Job.objects.select_for_update().filter(pk=job_id).first()
    if job is None:
        # Said as for someone else's job, so that trying ids tells nobody which jobs exist.
        raise NotAllowed(_("Only the client who posted this job can change it."), code=ErrorCode.NOT_JOB_OWNER)
    authorize(actor, action, job)
    return job


@transaction.atomic
def job_update(
    *,
    job_id: int,
    actor: User,
    title: str,
    description: str,
    budget_min_cents: int,
    budget_max_cents: int,
    pricing_type: str,
    skill_names: Iterable[str] = (),
    remote: bool = True,
    location: str = "",
    deadline: date | None = None,
    attachments: Iterable[UploadedFile[bytes]] = (),
) -> Job:
    """Edit a draft or open job and add attachments to it; closed and cancelled jobs stay as they were.

    One transaction: a refused attachment leaves the job as it was.
    """
    job = _lock_own_job(job_id=job_id, actor=actor, action="job.update")
    if job.status not in {Job.Status.DRAFT, Job.Status.OPEN}:
        raise ApplicationError(
            _("Only draft and open jobs can be edited."), code=ErrorCode.JOB_NOT_EDITABLE, status_code=409
        )
    _check_terms(
        title=title,
        description=description,
        budget_min_cents=budget_min_cents,
        budget_max_cents=budget_max_cents,
        pricing_type=pricing_type,
        currency=job.currency,
    )
    if deadline != job.deadline:
        # A deadline that has since passed may stay while the rest of the job is edited.
        _check_deadline(deadline)
    skill_list = skills_get_or_create(names=skill_names)
    job.title = title.strip()
    job.description = description
    job.budget_min_cents = budget_min_cents
    job.budget_max_cents = budget_max_cents
    job.pricing_type = pricing_type
    job.remote = remote
    job.location = location
    job.deadline = deadline
    job.skill_text = _skill_text(skill_list)
    job.save()
    job.skills.set(skill_list)
    audit_log(actor=actor, action="job.updated", target=job)
    for file in attachments:
        _attachment_add(job=job, actor=actor, file=file)
    return job


def _job_move(*, job_id: int, to_status: str, actor: User, action: str) -> Job:
    job = _lock_own_job(job_id=job_id, actor=actor, action=action)
    fields: tuple[str, ...] = ()
    if to_status == Job.Status.OPEN and job.published_at is None:
        job.published_at = timezone.now()
        fields = ("published_at",)
    transition(job, to_status, actor=actor, update_fields=fields)
    return job


@transaction.atomic
def job_publish(*, job_id: int, actor: User) -> Job:
    return _job_move(job_id=job_id, to_status=Job.Status.OPEN, actor=actor, action="job.publish")


@transaction.atomic
def job_close(*, job_id: int, actor: User) -> Job:
    """Stop taking proposals; live proposals stay as they are and can still be accepted."""
    return _job_move(job_id=job_id, to_status=Job.Status.CLOSED, actor=actor, action="job.close")


@transaction.atomic
def job_reopen(*, job_id: int, actor: User) -> Job:
    return _job_move(job_id=job_id, to_status=Job.Status.OPEN, actor=actor, action="job.reopen")


@transaction.atomic
def job_cancel(*, job_id: int, actor: User) -> Job:
    """Cancel the job and decline every live proposal on it."""
    from marketplace.services.proposals import proposals_decline_for_job

    job = _job_move(job_id=job_id, to_status=Job.Status.CANCELLED, actor=actor, action="job.cancel")
    proposals_decline_for_job(job=job, actor=actor)
    return job


@transaction.atomic
def job_attachment_add(*, job_id: int, actor: User, file: UploadedFile[bytes]) -> JobAttachment:
    """Attach a file to a job that is not cancelled, up to 10 a job."""
    return _attachment_add(job=_lock_own_job(job_id=job_id, actor=actor, action="job.attach"), actor=actor, file=file)


def _attachment_add(*, job: Job, actor: User, file: UploadedFile[bytes]) -> JobAttachment:
    """Attach a file to a job the caller has locked (or just created)."""
    if job.status == Job.Status.CANCELLED:
        raise ApplicationError(
            _("A cancelled job takes no attachments."), code=ErrorCode.JOB_CANCELLED, status_code=409
        )
    if job.attachments.count() >= 10:
        raise ApplicationError(_("A job can have at most 10 attachments."), code=ErrorCode.TOO_MANY_ATTACHMENTS)
    name = check_upload(file)
    attachment = JobAttachment(job=job, name=name[:200])
    attachment.file.save(name, file, save=False)
    attachment.save()
    audit_log(actor=actor, action="job.attachment_added", target=job, data={"name": attachment.name})
    return attachment

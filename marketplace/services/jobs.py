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
from marketplace import limits
from marketplace.exceptions import ErrorCode
from marketplace.models import Job, JobAttachment, JobStatusChange, Skill
from marketplace.models.jobs import MAX_HIRES, SECTOR_KEYS
from marketplace.services._limits import check_amount_ceiling, check_text_length
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
    check_text_length(title, limit=limits.JOB_TITLE, field="title")
    check_text_length(description, limit=limits.JOB_DESCRIPTION, field="description")
    if budget_min_cents <= 0 or budget_max_cents < budget_min_cents:
        raise ApplicationError(
            _("The budget must be more than zero, and its upper end at least its lower end."),
            code=ErrorCode.BUDGET_INVALID,
        )
    check_amount_ceiling(budget_max_cents, currency=currency, field="budget_max")
    if pricing_type not in Job.PricingType.values:
        raise ApplicationError(_("Choose fixed price or hourly."), code=ErrorCode.PRICING_TYPE_INVALID)


def _check_hires_wanted(hires_wanted: int) -> None:
    if not 1 <= hires_wanted <= MAX_HIRES:
        raise ApplicationError(
            _("A job hires from 1 to %(max)d people.") % {"max": MAX_HIRES}, code=ErrorCode.HIRES_WANTED_INVALID
        )


def _check_deadline(deadline: date | None) -> None:
    if deadline is not None and deadline < timezone.localdate():
        raise ApplicationError(_("The deadline cannot be in the past."), code=ErrorCode.DEADLINE_PAST)


def _check_sector(sector: str) -> None:
    if sector and sector not in SECTOR_KEYS:
        raise ApplicationError(_("Choose a sector from the list."), code=ErrorCode.SECTOR_INVALID)


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
    hires_wanted: int = 1,
    sector: str = "",
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
    _check_hires_wanted(hires_wanted)
    _check_sector(sector)
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
        hires_wanted=hires_wanted,
        sector=sector,
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
    hires_wanted: int | None = None,
    sector: str | None = None,
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
    if hires_wanted is not None and hires_wanted != job.hires_wanted:
        _check_hires_wanted(hires_wanted)
        if hires_wanted < job_hires(job):
            raise ApplicationError(
                _("More people are already hired on this job than that."), code=ErrorCode.HIRES_WANTED_INVALID
            )
        job.hires_wanted = hires_wanted
    if sector is not None and sector != job.sector:
        if job.status != Job.Status.DRAFT:
            # The members' rules read the sector when the job is published; it is fixed from then on.
            raise ApplicationError(
                _("The sector can be changed only while the job is a draft."), code=ErrorCode.SECTOR_INVALID
            )
        _check_sector(sector)
        job.sector = sector
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
    if job.status == Job.Status.OPEN and job_hires(job) >= job.hires_wanted:
        job_mark_filled(job=job, actor=actor)
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
    """Publish a draft, unless the members' project acceptance rules decline it or put it to their vote."""
    from marketplace.services.project_acceptance import job_submit_to_rules
    from marketplace.services.work_rules import acceptance_verdict

    job = _lock_own_job(job_id=job_id, actor=actor, action="job.publish")
    if job.status == Job.Status.DRAFT and job_submit_to_rules(job=job, verdict=acceptance_verdict(job), actor=actor):
        return job
    return _job_move(job_id=job_id, to_status=Job.Status.OPEN, actor=actor, action="job.publish")


@transaction.atomic
def job_close(*, job_id: int, actor: User) -> Job:
    """Stop taking proposals for good: live proposals are declined, each freelancer told why.

    Contracts already started go on; the client can reopen the job later.
    """
    from marketplace.services.proposals import proposals_decline_for_job

    job = _job_move(job_id=job_id, to_status=Job.Status.CLOSED, actor=actor, action="job.close")
    proposals_decline_for_job(job=job, actor=actor, kind="proposal_declined_job_closed")
    return job


def job_hires(job: Job) -> int:
    """The people hired on a job: its contracts that were not cancelled."""
    from marketplace.models import Contract

    return Contract.objects.filter(job=job).exclude(status=Contract.Status.CANCELLED).count()


@transaction.atomic
def job_reopen(*, job_id: int, actor: User, hires_wanted: int | None = None) -> Job:
    """Open a filled or closed job again, for more hires when `hires_wanted` is raised."""
    job = _lock_own_job(job_id=job_id, actor=actor, action="job.reopen")
    if hires_wanted is not None:
        _check_hires_wanted(hires_wanted)
        job.hires_wanted = hires_wanted
    if job_hires(job) >= job.hires_wanted:
        raise ApplicationError(
            _("Everyone this job asked for is hired: raise the number of people to hire to reopen it."),
            code=ErrorCode.JOB_FILLED,
            status_code=409,
        )
    transition(job, Job.Status.OPEN, actor=actor, update_fields=("hires_wanted",))
    return job


def job_mark_filled(*, job: Job, actor: User) -> None:
    """The job has as many hires as it asked for (the caller locks it): out of search, proposals declined."""
    from marketplace.services.proposals import proposals_decline_for_job

    if job.status == Job.Status.OPEN:
        transition(job, Job.Status.FILLED, actor=actor)
    proposals_decline_for_job(job=job, actor=actor, kind="proposal_declined_job_filled")


def job_close_if_finished(*, job_id: int, actor: User | None) -> bool:
    """Close a filled job once its last contract has ended (the caller is in a transaction)."""
    from marketplace.models import Contract

    job = Job.objects.select_for_update().get(pk=job_id)
    if job.status != Job.Status.FILLED or Contract.objects.filter(job=job, status=Contract.Status.ACTIVE).exists():
        return False
    transition(job, Job.Status.CLOSED, actor=actor)
    return True


@transaction.atomic
def job_cancel(*, job_id: int, actor: User) -> Job:
    """Cancel the job and decline every live proposal on it; a members' decision it awaits is withdrawn.

    Lock order as when a vote closes (ballot, proposal, then the job): the decision is withdrawn
    before the job is locked, so a vote closing at the same moment either decides first (the job is
    then open or declined) or finds its ballot cancelled.
    """
    from core.decisions import decision_withdraw
    from marketplace.services.proposals import proposals_decline_for_job

    waiting = Job.objects.filter(pk=job_id, status=Job.Status.AWAITING_MEMBERS).first()
    if waiting is not None and waiting.members_decision_id is not None:
        authorize(actor, "job.cancel", waiting)
        decision_withdraw(
            proposal_id=waiting.members_decision_id,
            reason="the client withdrew the job",
            actor=actor,
        )
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

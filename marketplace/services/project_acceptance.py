"""Binding project acceptance: a job the members' rules name waits for their vote, which publishes or declines it.

Publishing a draft asks the rules in force (marketplace.services.work_rules.acceptance_verdict): an
excluded sector declines the job at once with the reason; a condition met puts it "awaiting members"
and opens a project acceptance decision through governance (core.decisions.decision_put_to_vote);
otherwise it opens as before. The decision's result moves the job once: carried out when it passes,
declined when it does not (core.decisions.DecisionType.on_not_passed). The client is told each time.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.decisions import decision_put_to_vote
from core.money import Money
from core.notifications import notify
from core.services import audit_log
from core.transitions import transition
from marketplace.decisions import PROJECT_ACCEPTANCE_KEY
from marketplace.models import Job
from marketplace.services.work_rules import AcceptanceVerdict, excluded_reason, sector_label
from membership.models import User


def _url(job: Job) -> str:
    return reverse("marketplace:job-detail", args=[job.pk])


def job_summary(job: Job, reasons: list[str]) -> str:
    """The job in a few lines for the members' decision, with why the rules ask for their vote."""
    budget = Money(job.budget_max_cents, job.currency).format()
    parts = [
        _("Client: %(client)s.") % {"client": job.client.display_name or _("a client")},
        _("Budget up to %(amount)s (%(pricing)s).") % {"amount": budget, "pricing": job.get_pricing_type_display()},
    ]
    if job.sector:
        parts.append(_("Sector: %(sector)s.") % {"sector": sector_label(job.sector)})
    if reasons:
        parts.append(_("The members' approval is needed because %(reasons)s.") % {"reasons": "; ".join(reasons)})
    return " ".join(parts)


def job_submit_to_rules(*, job: Job, verdict: AcceptanceVerdict, actor: User) -> bool:
    """Decline or hold a locked draft as the rules say; return False when the job may open as usual."""
    if verdict.excluded_sector and verdict.policy is not None:
        job.declined_reason = excluded_reason(sector=verdict.excluded_sector, policy=verdict.policy)
        transition(
            job,
            Job.Status.DECLINED,
            actor=actor,
            update_fields=("declined_reason",),
            audit_data={"excluded_sector": verdict.excluded_sector, "rules_version": verdict.policy.version},
        )
        notify(user=job.client, kind="job_refused_sector", data={"job": job.title}, url=_url(job))
        return True
    if not verdict.needs_vote or verdict.policy is None:
        return False
    proposal = decision_put_to_vote(
        key=PROJECT_ACCEPTANCE_KEY,
        payload={"job_id": job.pk, "summary": job_summary(job, verdict.reasons)[:1000]},
        title=(_("Accept the project “%(job)s”") % {"job": job.title})[:200],
        author=job.client,
        body=job.description[:5000],
    )
    job.members_decision_id = proposal.pk
    transition(
        job,
        Job.Status.AWAITING_MEMBERS,
        actor=actor,
        update_fields=("members_decision_id",),
        audit_data={"decision": proposal.pk, "rules_version": verdict.policy.version},
    )
    notify(user=job.client, kind="job_awaiting_members", data={"job": job.title}, url=_url(job))
    return True


def job_decide_by_members(*, job_id: int, proposal_id: int, accepted: bool, actor: User | None) -> Job | None:
    """Publish or decline the job that waited for this decision; the caller is in a transaction.

    Exactly once: only a job awaiting this very decision moves, so carrying the decision out again,
    or a decision on another job's number, changes nothing (it is audited as recorded only).
    """
    job = Job.objects.select_for_update().select_related("client").filter(pk=job_id).first()
    if job is None:
        return None
    if job.status != Job.Status.AWAITING_MEMBERS or job.members_decision_id != proposal_id:
        audit_log(
            actor=actor,
            action="job.members_decision_recorded",
            target=job,
            data={"decision": proposal_id, "accepted": accepted, "status": job.status},
        )
        return job
    if accepted:
        job.published_at = timezone.now()
        transition(
            job, Job.Status.OPEN, actor=actor, update_fields=("published_at",), audit_data={"decision": proposal_id}
        )
        notify(user=job.client, kind="job_accepted_by_members", data={"job": job.title}, url=_url(job))
    else:
        job.declined_reason = _("The members voted not to take on this project (decision %(id)d).") % {
            "id": proposal_id
        }
        transition(
            job,
            Job.Status.DECLINED,
            actor=actor,
            update_fields=("declined_reason",),
            audit_data={"decision": proposal_id},
        )
        notify(user=job.client, kind="job_declined_by_members", data={"job": job.title}, url=_url(job))
    return job

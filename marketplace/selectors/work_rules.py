"""The work rules in force, in the reader's words, for the pages clients and freelancers read."""

from typing import Any

from marketplace.models import Job, WorkPolicy
from marketplace.services.work_rules import work_policy_in_force


def work_rules_in_force() -> dict[str, Any]:
    """The project acceptance rules and the minimum rates in force, with their versions and decisions."""
    from marketplace.work_decisions import acceptance_terms_words, minimum_rates_terms_words

    acceptance = work_policy_in_force(kind=WorkPolicy.Kind.ACCEPTANCE)
    rates = work_policy_in_force(kind=WorkPolicy.Kind.MINIMUM_RATES)
    return {
        "acceptance": acceptance,
        "acceptance_words": acceptance_terms_words(acceptance.terms) if acceptance else "",
        "rates": rates,
        "rates_words": minimum_rates_terms_words(rates.terms) if rates else "",
    }


def minimum_rates_note() -> str:
    """One sentence for the job form: the floors in force now, or "" when there are none."""
    from django.utils.translation import gettext as _

    from marketplace.work_decisions import minimum_rates_terms_words

    rates = work_policy_in_force(kind=WorkPolicy.Kind.MINIMUM_RATES)
    if rates is None:
        return ""
    return _("The members' minimum rates: %(rates)s.") % {"rates": minimum_rates_terms_words(rates.terms)}


def job_declined_words(job: Job) -> str:
    """Why the job was declined, in the reader's language: the members' vote, or the sector the rules exclude."""
    from django.utils.translation import gettext as _

    from marketplace.services.work_rules import excluded_reason

    if job.status != Job.Status.DECLINED:
        return ""
    if job.members_decision_id:
        return _("The members voted not to take on this project (decision %(id)d).") % {"id": job.members_decision_id}
    policy = work_policy_in_force(kind=WorkPolicy.Kind.ACCEPTANCE, at=job.updated_at)
    if policy is None or not job.sector:
        return job.declined_reason
    return excluded_reason(sector=job.sector, policy=policy)

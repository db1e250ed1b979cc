"""Sentences stating how a ballot ran when it left the ordinary course: the urgent procedure, an early close.

The decision page, the minutes and the rules page say them in the reader's language, so that a
shortened window is on the record wherever the decision is.
"""

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.decisions import UnknownDecisionType, decision_type
from governance.models import Ballot, BallotResult, RuleSet

register = template.Library()


def _authority(ruleset: RuleSet) -> str:
    if ruleset.urgent_article:
        return _("under article %(article)s of the bylaws") % {"article": ruleset.urgent_article}
    return _("under the rules for %(label)s, version %(version)d") % {
        "label": ruleset.label,
        "version": ruleset.version,
    }


@register.simple_tag
def urgent_statement(ballot: Ballot | None) -> str:
    """Return "Urgent procedure: notice shortened to 1 day and voting to 3 days under article 9 ...", or ""."""
    if ballot is None or not ballot.urgent:
        return ""
    rules = ballot.ruleset
    notice = ngettext(
        "notice shortened to %(days)d day (usually %(usual)d)",
        "notice shortened to %(days)d days (usually %(usual)d)",
        rules.urgent_notice_days,
    ) % {"days": rules.urgent_notice_days, "usual": rules.notice_days}
    voting = ngettext(
        "voting to %(days)d day (usually %(usual)d)",
        "voting to %(days)d days (usually %(usual)d)",
        rules.urgent_voting_days,
    ) % {"days": rules.urgent_voting_days, "usual": rules.voting_days}
    return _("Urgent procedure: %(notice)s and %(voting)s, %(authority)s.") % {
        "notice": notice,
        "voting": voting,
        "authority": _authority(rules),
    }


@register.simple_tag
def early_close_statement(result: BallotResult | None) -> str:
    """Return "Voting closed early on ...: everyone on the voter roll had voted.", or ""."""
    if result is None or not result.closed_early:
        return ""
    return _("Voting closed early, on %(when)s: everyone on the voter roll had voted.") % {
        "when": date_format(timezone.localtime(result.closed_at), "j F Y, H:i")
    }


@register.filter
def decision_labels(keys: list[str]) -> str:
    """Return the names of decision types, for a list of their keys."""
    labels = []
    for key in keys:
        try:
            labels.append(str(decision_type(key).label))
        except UnknownDecisionType:
            labels.append(key)
    return ", ".join(labels)

"""A closed motion's result in words, for the decision page and the minutes alike (governance.results)."""

from collections.abc import Mapping

from django import template
from django.template import Context

from governance.models import BallotResult, Proposal
from governance.results import MotionResultText, class_labels, motion_result_text

register = template.Library()


@register.simple_tag
def motion_result(result: BallotResult | None, complete: bool = False) -> MotionResultText | None:
    """Return how the motion was decided: quorum, threshold and the classes where the rules use them.

    `complete` (the minutes) lists every class's counts even where the rules do not use classes.
    """
    return motion_result_text(result=result, complete=complete) if result is not None else None


@register.simple_tag(takes_context=True)
def class_names(context: Context, slugs: list[str] | str | None) -> str:
    """Name member classes given by slug (one, or a list) in the reader's language.

    A page that names many (the rules page) puts `class_name_map` in its context, read in one query;
    elsewhere the classes are read when named.
    """
    wanted = [slugs] if isinstance(slugs, str) else list(slugs or [])
    names: Mapping[str, str] | None = context.get("class_name_map")
    if not names:
        names = class_labels(wanted)
    return ", ".join(names.get(slug, slug) for slug in wanted)


@register.filter
def summary_in(proposal: Proposal, language: str) -> str:
    """The proposal's decision in words in the reader's language, as written with its payload."""
    return proposal.summary_in(language or "en")

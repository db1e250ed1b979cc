"""A closed motion's result in words, for the decision page and the minutes alike (governance.results)."""

from django import template

from governance.models import BallotResult
from governance.results import MotionResultText, motion_result_text

register = template.Library()


@register.simple_tag
def motion_result(result: BallotResult | None, complete: bool = False) -> MotionResultText | None:
    """Return how the motion was decided: quorum, threshold and the classes where the rules use them.

    `complete` (the minutes) lists every class's counts even where the rules do not use classes.
    """
    return motion_result_text(result=result, complete=complete) if result is not None else None

"""How long each text people type into the marketplace may be, sized to what the text is for.

Models, forms and API inputs take their max_length from here, so a limit is the same everywhere;
the pages show the count as the person types (static/marketplace/marketplace.js).
"""

from django import forms
from django.utils.translation import gettext_lazy

JOB_TITLE = 200
JOB_DESCRIPTION = 10_000
COVER_LETTER = 5_000
PROPOSAL_NOTE = 1_000
MESSAGE = 10_000
DELIVERY_MESSAGE = 5_000
CHANGES_NOTE = 2_000
TIMESHEET_DESCRIPTION = 2_000
REVIEW = 2_000
REVIEW_RESPONSE = 2_000
DISPUTE_TEXT = 5_000
BIO = 3_000
CLIENT_ABOUT = 3_000
PORTFOLIO_DESCRIPTION = 2_000
INVITATION = 1_000


def counted(rows: int) -> forms.Textarea:
    """A text box whose length is counted as the person types (the script reads the wording from it)."""
    # {count} and {max} are filled in by the script; the wording is translated when the page renders.
    return forms.Textarea(attrs={"rows": rows, "data-count-text": gettext_lazy("{count} of {max} characters")})

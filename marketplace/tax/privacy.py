"""DAC7 details and report lines as personal data (core.privacy): exported with the person's data;
on deletion the details go, while what was reported stays, as the law requires."""

from django.utils.translation import gettext_lazy as _

from core.privacy import ACCOUNTABILITY, DELETE, KEEP, register_personal_data

REPORTED = _(
    "It is what the coop reported to the tax authority about you under DAC7, and the law requires the coop "
    "to keep it for years after the report (Council Directive (EU) 2021/514: five to ten years)."
)


def register() -> None:
    from marketplace.models import Dac7Details, Dac7Report, Dac7ReportLine

    register_personal_data(
        Dac7Details,
        "user",
        erase=DELETE,
        purpose=_(
            "Your tax identification number, the country that issued it, your name and date of birth: "
            "the details EU law (DAC7) asks us to collect before we pay you out."
        ),
    )
    register_personal_data(
        Dac7ReportLine,
        "seller",
        erase=KEEP,
        purpose=_("What the coop reported about you to the tax authority under DAC7, year by year."),
        keep_reason=REPORTED,
    )
    register_personal_data(
        Dac7Report,
        "run_by",
        erase=KEEP,
        purpose=_("The DAC7 reports you wrote for the coop, as finance."),
        keep_reason=ACCOUNTABILITY,
    )

"""The rows of the permission table for yearly statements and DAC7, registered from the marketplace's ready().

A person reads their own statement and what was reported about them, and gives their own DAC7
details; finance (or the platform, from the command line) writes the yearly DAC7 report.
"""

from django.utils.translation import gettext_lazy

from core.permissions import Relation, register_kind, register_rule


def register() -> None:
    register_kind(
        "tax_papers",
        "yearly statement and tax details (one's own)",
        {"self": Relation("their owner", lambda user, person: bool(person.pk == user.pk))},
    )
    register_rule("tax_papers", "view", "see the yearly statement and what was reported", relations={"self"})
    register_rule("tax_papers", "dac7_edit", "give the DAC7 tax details", relations={"self"})
    register_kind("dac7_report", "DAC7 report")
    register_rule(
        "dac7_report",
        "run",
        "write the yearly report",
        roles={"finance"},
        system=True,
        message=gettext_lazy("Only finance can do this."),
    )

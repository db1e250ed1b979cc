"""Write the yearly DAC7 report (DPI XML), checked against the OECD DPI schema, and record what it said."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from core.exceptions import ApplicationError
from marketplace.services.dac7 import dac7_report_run


class Command(BaseCommand):
    help = (
        "Write the DAC7 report of YEAR as DPI XML to --out: every seller paid for work through the coop "
        "that year, except those below the de-minimis (fewer than 30 paid milestones and less than "
        "EUR 2,000 after fees), with consideration, fees and number of activities per quarter. The file "
        "is checked against the DPI schema first and nothing is written if it fails. Each run is "
        "recorded, so a seller's page shows what was sent about them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("--out", required=True, help="Where to write the XML file.")
        parser.add_argument(
            "--by",
            default="",
            help="The email address of the finance person running it (recorded and checked against the rules).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from membership.models import User

        actor = None
        if options["by"]:
            actor = User.objects.filter(email__iexact=options["by"]).first()
            if actor is None:
                raise CommandError(f"No account has the email address {options['by']}.")
        out = Path(options["out"])
        if not out.parent.exists():
            raise CommandError(f"The folder {out.parent} does not exist.")
        try:
            # One transaction around the run and the file: a file that cannot be written leaves no
            # record of a report that was never sent.
            with transaction.atomic():
                report, document, plan = dac7_report_run(year=options["year"], actor=actor)
                out.write_bytes(document)
        except ApplicationError as error:
            raise CommandError(error.message) from None
        except OSError as error:
            raise CommandError(f"Could not write {out}: {error}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"DAC7 report {report.message_ref_id} for {report.year} written to {out}: "
                f"{len(plan.reportable)} reportable sellers, {len(plan.excluded)} below the de-minimis left out; "
                "valid against the DPI schema."
            )
        )

"""Run a cycle's computation or execution in this process, as a worker would (and resume it)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from payouts.cycles.models import PayoutCycle
from payouts.cycles.services import cycle_compute, cycle_execute


class Command(BaseCommand):
    help = "Compute or execute a payout cycle now, in this process; safe to run again after a crash."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("cycle_id", type=int)
        parser.add_argument("phase", choices=["compute", "execute"])
        parser.add_argument("--batch-size", type=int, default=None, help="Members per committed batch.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] is not None:
            if options["batch_size"] < 1:
                raise CommandError("--batch-size must be at least 1.")
            settings.PAYOUT_CYCLES_BATCH_SIZE = options["batch_size"]
        if not PayoutCycle.objects.filter(pk=options["cycle_id"]).exists():
            raise CommandError(f"There is no payout cycle {options['cycle_id']}.")
        run = cycle_compute if options["phase"] == "compute" else cycle_execute
        cycle = run(cycle_id=options["cycle_id"])
        self.stdout.write(f"Cycle {cycle.pk}: {cycle.status} ({cycle.progress_done}/{cycle.progress_total})")

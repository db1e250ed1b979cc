"""manage.py invoices_export --from YYYY-MM-DD --to YYYY-MM-DD --out DIR [--language en|nl]"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from marketplace.invoicing.export import invoices_export


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = "Write a period's invoices and credit notes as <number>.xml (EN 16931 UBL), <number>.pdf and index.csv."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="first issue date, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last issue date, YYYY-MM-DD (inclusive)")
        parser.add_argument("--out", required=True, help="folder to write into (created if missing)")
        parser.add_argument("--language", default="en", choices=["en", "nl"], help="language of the PDFs")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("--to is before --from")
        result = invoices_export(start=start, end=end, folder=Path(options["out"]), language=options["language"])
        self.stdout.write(f"{result.documents} documents written to {result.folder}")

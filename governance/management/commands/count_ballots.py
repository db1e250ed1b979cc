"""Count a BLT (or JSON) ballot file with the same code the app uses, so anyone can check a result."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from governance.counting import METHODS, CountingError, CountResult, count_election, read_blt_file, read_json_file
from governance.counting.types import as_text


class Command(BaseCommand):
    help = (
        "Count ballots from a BLT file (or a JSON file, needed for approval ballots) and print the winners "
        "in order of election and every round. Seats default to the number in the file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a .blt file, or a .json file with candidates, seats and ballots")
        parser.add_argument("--method", required=True, choices=METHODS, help="the counting rule")
        parser.add_argument("--seats", type=int, help="number of seats (default: as given in the file)")
        parser.add_argument("--json", action="store_true", help='print {"winners": [...], "rounds": [...], ...}')
        parser.add_argument(
            "--lot-seed",
            "--seed",
            dest="lot_seed",
            help="seed for the lot that breaks ties, as the election's result page shows it (default: derived from "
            "the ballots)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        seats = options["seats"]
        if seats is not None and seats < 1:
            raise CommandError(f"--seats must be at least 1, not {seats}.")
        try:
            election = read_json_file(path) if _is_json(path) else read_blt_file(path)
            result = count_election(options["method"], election, seats=seats, lot_seed=options["lot_seed"])
        except CountingError as error:
            raise CommandError(f"{path}: {error.message}") from error
        if options["json"]:
            self.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(_summary(result))


def _is_json(path: Path) -> bool:
    if path.suffix.lower() == ".json":
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
    except OSError:
        return False


def _summary(result: CountResult) -> str:
    lines = [f"Method: {result.method}   Seats: {result.seats}   Valid ballots: {result.valid_ballots}"]
    if result.quota is not None:
        lines.append(f"Quota: {result.quota}")
    for round_ in result.rounds:
        lines.append(f"Round {round_.number}:")
        for name, value in sorted(round_.tallies.items(), key=lambda item: -item[1]):
            lines.append(f"    {as_text(value):>16}  {name}")
        if round_.elected:
            lines.append(f"  elected: {', '.join(round_.elected)}")
        if round_.excluded:
            lines.append(f"  excluded: {', '.join(round_.excluded)}")
        if round_.transfer is not None:
            lines.append(f"  transfer of {round_.transfer.kind} from {round_.transfer.source}")
        for note in round_.notes:
            if note.get("kind") == "tie":
                lines.append(
                    f"  tie ({note['purpose']}) among {', '.join(note['tied'])}: {note['chosen']} by {note['by']}"
                )
    lines.append(f"Winners (in order of election): {', '.join(result.winners)}")
    return "\n".join(lines)

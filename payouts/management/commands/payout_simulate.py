"""Print the allocation a surplus policy would produce, with the engine real payout cycles use."""

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from payouts.allocation import InvalidPolicy, allocate_surplus, parse_surplus_policy


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a policy can use")


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # The json module keeps the last of two equal keys without a word; in a weights object that
    # would silently drop a member's basis.
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f'the key "{key}" appears twice in one object')
        result[key] = value
    return result


def read_policy_json(path: Path) -> Any:
    """Return the decoded JSON of a policy file, with decimals kept exact, or raise CommandError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise CommandError(f"{path} is a directory, not a policy file.") from None
    except PermissionError:
        raise CommandError(f"{path}: permission denied.") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path} is not UTF-8 text.") from None
    except OSError as error:
        raise CommandError(f"{path} cannot be read: {error.strerror}.") from None
    try:
        return json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_refuse_constant,
            object_pairs_hook=_refuse_duplicates,
        )
    except json.JSONDecodeError as error:
        raise CommandError(
            f"{path} is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})."
        ) from None
    except (ValueError, RecursionError) as error:
        # ValueError: a duplicate key, NaN or Infinity, or an integer too long to parse;
        # RecursionError: nesting deeper than any policy needs.
        reason = str(error) if isinstance(error, ValueError) else "it is nested too deeply"
        raise CommandError(f"{path} is not a usable policy file: {reason}.") from None


class Command(BaseCommand):
    help = (
        "Print the allocation of a surplus policy (issue 7's POLICY.json) as JSON: funds, patronage pool, "
        "classes and members in cents. --statements adds each member's computation step by step."
    )
    # The simulation reads one file and touches no database, so it runs before migrations exist.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("policy", type=Path, help="the policy file, for example policy.json")
        parser.add_argument(
            "--statements",
            action="store_true",
            help="add a statement per member: class pots, weights, exact fractions, rounding and the cash rule",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["policy"]
        try:
            allocation = allocate_surplus(parse_surplus_policy(read_policy_json(path)))
        except InvalidPolicy as error:
            raise CommandError(f"{path}: {error.message}") from None
        output = allocation.as_dict()
        if options["statements"]:
            output["statements"] = allocation.statements_as_dict()
        # One-space indentation, the layout of the shared reference files, so that the output of a
        # reference policy can be compared with its expected file by `diff`.
        self.stdout.write(json.dumps(output, indent=1, ensure_ascii=False))

"""Governance's refusal codes come from one enumeration, governance.exceptions.ErrorCode."""

import re
from pathlib import Path

from django.conf import settings

from governance.exceptions import ErrorCode

# The counting engine is a library of its own with its own CountingError codes.
SKIP = {"migrations", "counting"}


def sources() -> list[Path]:
    root = Path(settings.BASE_DIR) / "governance"
    return sorted(p for p in root.rglob("*.py") if not SKIP.intersection(p.relative_to(root).parts))


def test_no_refusal_spells_its_code_as_a_string() -> None:
    literal = re.compile(r"\bcode\s*=\s*[\"']")
    found = [
        f"{p}:{n}" for p in sources() for n, line in enumerate(p.read_text().splitlines(), 1) if literal.search(line)
    ]
    assert found == []


def test_every_code_in_the_enumeration_is_raised_somewhere() -> None:
    text = "\n".join(p.read_text() for p in sources())
    unused = [code.name for code in ErrorCode if f"ErrorCode.{code.name}" not in text]
    assert unused == []


def test_the_api_codes_are_the_strings_clients_know() -> None:
    assert ErrorCode.MEMBERS_ONLY == "members_only"
    assert ErrorCode.NOT_ON_VOTER_ROLL.value == "not_on_voter_roll"
    assert len({code.value for code in ErrorCode}) == len(ErrorCode)

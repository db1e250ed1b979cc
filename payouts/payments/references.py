"""Human payment references with a check character: COOP-7KQ3-9XW2.

Seven characters from a 31-symbol alphabet without look-alikes (no 0/O, 1/I/L) and a check
character: the position-weighted sum of the symbols modulo 31. As 31 is prime and the weights 1..7
differ, any one mistyped character and any two swapped neighbours change the check.
"""

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PREFIX = "COOP"
_PATTERN = re.compile(rf"^{PREFIX}-?([{ALPHABET}]{{4}})-?([{ALPHABET}]{{3}})([{ALPHABET}])$")


def check_character(body: str) -> str:
    """Return the check character of a reference body."""
    total = sum(weight * ALPHABET.index(char) for weight, char in enumerate(body, start=1))
    return ALPHABET[total % len(ALPHABET)]


def new_reference() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(7))
    full = body + check_character(body)
    return f"{PREFIX}-{full[:4]}-{full[4:]}"


def normalize_reference(text: str) -> str | None:
    """Return the canonical reference found in free text as typed by a payer, or None.

    Accepts lower case, spaces and missing dashes; refuses a reference whose check character does
    not match.
    """
    compact = re.sub(r"[\s.]", "", text.upper())
    for candidate in re.finditer(rf"{PREFIX}-?[{ALPHABET}]{{4}}-?[{ALPHABET}]{{4}}", compact):
        match = _PATTERN.match(candidate.group(0))
        if match is None:
            continue
        body = match.group(1) + match.group(2)
        if check_character(body) == match.group(3):
            full = body + match.group(3)
            return f"{PREFIX}-{full[:4]}-{full[4:]}"
    return None

"""Money at the edges: no float arithmetic on amounts in application code, and exact conversions.

The scan reads the code as Python (ast), not as text, so a rule written in a docstring or a
message ("ceil(allocated_cents * min_cash_percent / 100)") is not mistaken for arithmetic.
"""

import ast
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from core.money import MAX_AMOUNT_CENTS, cents_to_major, default_currency, major_to_cents, percent_share

ROOT = Path(settings.BASE_DIR)

# Not application code: tests, benchmarks, migrations, the virtualenv and anything hidden.
SKIPPED_DIRS = {"tests", "benchmarks", "migrations", "node_modules", "staticfiles", "media", "__pycache__"}

# A name that holds an amount of money.
AMOUNT_NAME = re.compile(r"cents|amount|price|budget|balance", re.IGNORECASE)

EXACT_TYPES = {"Fraction", "Decimal"}


def application_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts[:-1]
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in parts):
            continue
        yield path


def _names_an_amount(node: ast.AST) -> bool:
    for child in ast.walk(node):
        name = None
        if isinstance(child, ast.Name):
            name = child.id
        elif isinstance(child, ast.Attribute):
            name = child.attr
        elif isinstance(child, ast.Constant) and isinstance(child.value, str):
            # A subscript key: item["amount_cents"].
            name = child.value if child.value.isidentifier() else None
        if name is not None and AMOUNT_NAME.search(name):
            return True
    return False


def _is_float_constant(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, float)


def _is_exact(node: ast.AST) -> bool:
    """Whether the arithmetic is in Fraction or Decimal: `cents * Fraction(percent) / 100` is exact."""
    return any(
        isinstance(child, ast.Call) and isinstance(child.func, ast.Name) and child.func.id in EXACT_TYPES
        for child in ast.walk(node)
    )


def float_money_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield (line, what) for each float operation on an amount in one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and _names_an_amount(node):
            if _is_exact(node):
                continue
            yield node.lineno, "true division (/) of an amount"
        elif (
            isinstance(node, ast.BinOp)
            and (_is_float_constant(node.left) or _is_float_constant(node.right))
            and _names_an_amount(node)
        ):
            yield node.lineno, "an amount combined with a float constant"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "float"
            and any(_names_an_amount(arg) for arg in node.args)
        ):
            yield node.lineno, "float() of an amount"


def float_money_findings(root: Path) -> list[str]:
    return [
        f"{path.relative_to(root)}:{line}: {what}"
        for path in application_files(root)
        for line, what in sorted(float_money_lines(path))
    ]


def test_application_code_does_no_float_arithmetic_on_amounts() -> None:
    findings = float_money_findings(ROOT)
    assert not findings, "Float arithmetic on money; use core.money instead:\n" + "\n".join(findings)


@pytest.mark.parametrize(
    "source",
    [
        "initial = {'budget_min': job.budget_min_cents / 100}",
        "text = f\"{item['amount_cents'] / 100:.2f}\"",
        "fee = amount_cents * 0.1",
        "value = float(proposal.amount_cents)",
        "share = round(amount * 100 / base)",
        "half = {'release': dispute.milestone.amount_cents / 200}",
    ],
)
def test_the_scan_names_the_file_and_line_of_float_money(tmp_path: Path, source: str) -> None:
    (tmp_path / "views.py").write_text("x = 1\n" + source + "\n")
    [finding] = float_money_findings(tmp_path)
    assert finding.startswith("views.py:2: ")


def test_the_scan_passes_integer_money_and_text_about_it(tmp_path: Path) -> None:
    (tmp_path / "ok.py").write_text(
        '"""Cash is ceil(allocated_cents * min_cash_percent / 100)."""\n'
        "hosting = sum(amounts) // 100\n"
        "half = total_cents // 2\n"
        "ratio = minutes / 60\n"
        "pot = pool_cents * Fraction(percent) / HUNDRED\n"
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("x = amount_cents / 100\n")
    assert float_money_findings(tmp_path) == []


def test_cents_to_major_is_exact_by_the_currency_precision() -> None:
    assert cents_to_major(1250, "EUR") == Decimal("12.50")
    assert str(cents_to_major(1250, "EUR")) == "12.50"
    assert str(cents_to_major(MAX_AMOUNT_CENTS, "EUR")) == "999999.99"
    assert str(cents_to_major(1250, "JPY")) == "1250"
    assert str(cents_to_major(1250, "KWD")) == "1.250"
    assert cents_to_major(1, None) == Decimal("0.01")
    assert default_currency() == settings.COOP_CURRENCY


def test_major_to_cents_is_exact_and_refuses_sub_cent_amounts() -> None:
    assert major_to_cents(Decimal("0.1") + Decimal("0.2")) == 30
    assert major_to_cents("999999.99", "EUR") == MAX_AMOUNT_CENTS
    assert major_to_cents(cents_to_major(123_456_789)) == 123_456_789
    with pytest.raises(ValueError, match="more decimals than EUR allows"):
        major_to_cents("0.001", "EUR")


def test_percent_share_is_exact_and_rounds_ties_to_even() -> None:
    assert percent_share(1, 3) == 33
    assert percent_share(2, 3) == 67
    assert percent_share(1, 8) == 12  # 12.5
    assert percent_share(3, 8) == 38  # 37.5
    assert percent_share(5, 0) == 0

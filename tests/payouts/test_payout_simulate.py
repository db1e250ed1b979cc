"""`manage.py payout_simulate POLICY.json`: the allocation as JSON, or a clear refusal."""

import json
import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from tests.data import PAYOUTS

CASES = PAYOUTS
POLICY = {
    "currency": "EUR",
    "distributable_cents": 1001,
    "funds": [{"name": "reserve", "percent": "30"}],
    "classes": [{"name": "hours", "percent": "100", "weights": {"7": 1.5, "9": 1}}],
    "min_cash_percent": "20",
}


def simulate(*args: str) -> str:
    out = StringIO()
    call_command("payout_simulate", *args, stdout=out)
    return out.getvalue()


def write(tmp_path: Path, text: str | bytes) -> str:
    path = tmp_path / "policy.json"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("name", ["mondragon_10_20_70", "two_funds_three_classes"])
def test_a_shared_policy_prints_exactly_its_expected_file(name: str) -> None:
    expected = (CASES / f"{name}.expected.json").read_text(encoding="utf-8")

    assert simulate(str(CASES / f"{name}.policy.json")) == expected + "\n"


def test_decimal_weights_in_the_file_are_read_exactly(tmp_path: Path) -> None:
    output = json.loads(simulate(write(tmp_path, json.dumps(POLICY))))

    # 700.7 cents at 1.5 : 1 is 420.42 and 280.28, so no leftover cent moves.
    assert output == {
        "funds": {"reserve": 300},
        "patronage_pool": 701,
        "classes": {"hours": 701},
        "members": {
            "7": {"allocated": 421, "cash": 85, "retained": 336},
            "9": {"allocated": 280, "cash": 56, "retained": 224},
        },
    }


def test_statements_add_each_members_steps(tmp_path: Path) -> None:
    output = json.loads(simulate(write(tmp_path, json.dumps(POLICY)), "--statements"), parse_float=Decimal)

    assert set(output["statements"]) == {"7", "9"}
    (step,) = output["statements"]["7"]["classes"]
    assert (step["basis_weight"], step["fraction"], step["exact_cents"]) == ("1.5", "3/5", "2103/5")
    assert (step["floor_cents"], step["rounding_cents"], step["allocated_cents"]) == (420, 1, 421)
    assert output["statements"]["7"]["cash_cents"] == 85


def test_without_statements_the_output_has_only_the_allocation(tmp_path: Path) -> None:
    output = json.loads(simulate(write(tmp_path, json.dumps(POLICY))))

    assert list(output) == ["funds", "patronage_pool", "classes", "members"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"currency": "EUR",',
            "is not valid JSON: Expecting property name enclosed in double quotes (line 1, column 20).",
        ),
        (b"\xff\xfe{}", "is not UTF-8 text."),
        (
            '{"currency": "EUR", "currency": "USD"}',
            'is not a usable policy file: the key "currency" appears twice in one object.',
        ),
        (
            json.dumps({**POLICY, "min_cash_percent": 0}).replace("0}", "NaN}"),
            "is not a usable policy file: NaN is not a number a policy can use.",
        ),
        ("[" * 100000 + "]" * 100000, "is not a usable policy file: it is nested too deeply."),
        ("[]", ": the policy must be a JSON object."),
        (json.dumps({**POLICY, "min_cash_percent": "120"}), ": min_cash_percent must be between 0 and 100, got 120."),
        (
            json.dumps({**POLICY, "classes": [{**POLICY["classes"][0], "percent": "90"}]}),
            ": The class percentages must add up to 100; they add up to 90.",
        ),
    ],
)
def test_a_bad_policy_file_is_refused_with_a_clear_message(tmp_path: Path, content: str | bytes, message: str) -> None:
    path = write(tmp_path, content)

    with pytest.raises(CommandError) as refused:
        simulate(path)

    assert str(refused.value) == path + (message if message.startswith(":") else " " + message)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"policy\.json: no such file\.$"):
        simulate(str(tmp_path / "policy.json"))


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"is a directory, not a policy file\.$"):
        simulate(str(tmp_path))


def run_manage(*args: str) -> subprocess.CompletedProcess[Any]:
    return subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "payout_simulate", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_from_the_shell_a_bad_file_exits_non_zero_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, json.dumps({**POLICY, "currency": "euro"}))

    result = run_manage(path)

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == f"CommandError: {path}: The currency must be an ISO 4217 code such as EUR, got 'euro'.\n"


def test_from_the_shell_a_good_file_exits_zero_with_the_json(tmp_path: Path) -> None:
    result = run_manage(str(CASES / "mondragon_10_20_70.policy.json"))

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads((CASES / "mondragon_10_20_70.expected.json").read_text())

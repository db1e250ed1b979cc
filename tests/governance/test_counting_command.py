"""`manage.py count_ballots`: JSON and text output, seats from the file or --seats, clear errors, no tracebacks."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

BOARD_BLT = '4 2\n4 1 2 0\n3 3 0\n2 4 3 0\n1 2 0\n0\n"Ann"\n"Bo"\n"Cy"\n"Di"\n"Board"\n'


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("count_ballots", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def board(tmp_path: Path) -> Path:
    path = tmp_path / "board.blt"
    path.write_text(BOARD_BLT, encoding="utf-8")
    return path


def test_json_output_gives_winners_in_order_of_election_and_the_rounds(board: Path) -> None:
    result = json.loads(run(str(board), "--method", "stv-scottish", "--json"))
    assert result["winners"] == ["Ann", "Cy"]
    assert result["seats"] == 2
    assert result["quota"] == "4.00000"
    assert result["rounds"][0]["tallies"] == {"Ann": "4.00000", "Bo": "1.00000", "Cy": "3.00000", "Di": "2.00000"}
    assert result["rounds"][0]["elected"] == ["Ann"]
    assert all(isinstance(value, str) for value in result["final_tallies"].values())


def test_seats_default_to_the_file_and_can_be_overridden(board: Path) -> None:
    assert len(json.loads(run(str(board), "--method", "stv-meek", "--json"))["winners"]) == 2
    assert json.loads(run(str(board), "--method", "stv-scottish", "--seats", "1", "--json"))["winners"] == ["Cy"]


def test_text_output_lists_rounds_and_winners(board: Path) -> None:
    text = run(str(board), "--method", "stv-scottish")
    assert "Quota: 4.00000" in text
    assert "Round 1:" in text
    assert text.strip().endswith("Winners (in order of election): Ann, Cy")


def test_a_lot_seed_is_reported_and_used(board: Path) -> None:
    result = json.loads(run(str(board), "--method", "irv", "--seats", "1", "--json", "--lot-seed", "public-draw-42"))
    assert result["lot_seed"] == "public-draw-42"


def test_approval_ballots_are_read_from_json(tmp_path: Path) -> None:
    path = tmp_path / "approval.json"
    path.write_text(
        json.dumps(
            {
                "candidates": ["c1", "c2", "c3"],
                "seats": 2,
                "ballots": [{"approved": ["c1", "c2"], "count": 26}, {"approved": ["c2", "c3"], "count": 23}],
            }
        ),
        encoding="utf-8",
    )
    result = json.loads(run(str(path), "--method", "approval", "--json"))
    assert result["winners"] == ["c2", "c1"]
    assert result["rounds"][0]["tallies"] == {"c2": 49, "c1": 26, "c3": 23}


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ('2 1\n1 1 2\n0\n"A"\n"B"\n', ["--method", "irv"], "line 2: a ballot must end with 0"),
        (BOARD_BLT, ["--method", "irv"], "IRV elects one seat, not 2; use stv-scottish or stv-meek for several."),
        (BOARD_BLT, ["--method", "irv", "--seats", "0"], "--seats must be at least 1, not 0."),
        ('2 1\n0\n"A"\n"B"\n', ["--method", "schulze"], "There are no valid ballots to count."),
        ('{"candidates": ["A"], "seats": 1, "ballots": 3}', ["--method", "irv"], "'ballots' must be a list."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(tmp_path: Path, content: str, args: list[str], message: str) -> None:
    path = tmp_path / ("case.json" if content.startswith("{") else "case.blt")
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run(str(path), *args)
    if message.startswith("--seats"):
        assert str(caught.value) == message
    else:
        assert str(caught.value) == f"{path}: {message}"


def test_a_missing_file_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.blt"
    with pytest.raises(CommandError, match=rf"^{path}: Cannot read {path}: No such file or directory\.$"):
        run(str(path), "--method", "irv")


def test_an_error_exits_non_zero_without_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "broken.blt"
    path.write_text('3 1\n1 1 2\n0\n"a"\n"b"\n"c"\n', encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "manage.py", "count_ballots", str(path), "--method", "irv", "--json"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    assert completed.stderr.strip() == f"CommandError: {path}: line 2: a ballot must end with 0"
    assert completed.stdout == ""

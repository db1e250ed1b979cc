"""`count_ballots` reproduces every case in tests/data/voting/: winners, and round values where given.

Each case is counted through the management command (the way an outside recount would run it) and
its JSON output is compared with the case file. Set VOTING_TESTDATA to point elsewhere.
"""

import io
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from governance.counting import read_blt_file, read_json_file
from tests.data import VOTING

TESTDATA = Path(os.environ.get("VOTING_TESTDATA", VOTING))
# Cases that are not ranked or approval counts: motions are tallied by governance's ballot code.
NOT_COUNTING_CASES = {"motion_quorum_majority"}
METHOD_FOR_CASE = {
    "irv": "irv",
    "schulze": "schulze",
    "stv_scottish": "stv-scottish",
    "stv_droop_gregory": "stv-scottish",
    "approval": "approval",
}
EVENT_KEYS = {"elected", "excluded", "then"}


def case_paths() -> list[Path]:
    return sorted(TESTDATA.glob("*.json")) if TESTDATA.is_dir() else []


def counting_cases() -> list[Path]:
    return [path for path in case_paths() if load(path)["method"] not in NOT_COUNTING_CASES]


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def count_file(path: Path, method: str, *extra: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("count_ballots", str(path), "--method", method, "--json", *extra, stdout=out)
    return json.loads(out.getvalue())


def source_file(path: Path) -> Path:
    """Count from the .blt file when the case ships one (approval only exists as JSON)."""
    blt = path.with_suffix(".blt")
    return blt if blt.exists() else path


def test_shared_testdata_is_present() -> None:
    assert TESTDATA.is_dir(), f"the voting reference cases are not at {TESTDATA}"
    assert case_paths(), f"no cases in {TESTDATA}"


def test_every_shared_case_is_covered_by_a_counting_method() -> None:
    assert TESTDATA.is_dir(), f"the voting reference cases are not at {TESTDATA}"
    for path in case_paths():
        method = load(path)["method"]
        assert method in METHOD_FOR_CASE or method in NOT_COUNTING_CASES, f"{path.name}: no test for {method!r}"


@pytest.mark.parametrize("path", counting_cases(), ids=lambda path: path.stem)
def test_count_ballots_reproduces_the_case(path: Path) -> None:
    case = load(path)
    method = METHOD_FOR_CASE[case["method"]]
    result = count_file(source_file(path), method)

    if case["method"] == "stv_scottish":
        # This case lists its winners in candidate (file) order, not order of election.
        assert sorted(result["winners"]) == sorted(case["expected_winners"])
    else:
        assert result["winners"] == case["expected_winners"]
    if "expected_quota" in case:
        assert Decimal(result["quota"]) == Decimal(case["expected_quota"])
    for name, votes in case.get("expected_final_votes", {}).items():
        assert result["final_tallies"][name] == votes
    for name, votes in case.get("expected_tallies", {}).items():
        assert result["rounds"][-1]["tallies"][name] == votes
    if "expected_ranking" in case:
        assert result["rounds"][0]["detail"]["ranking"] == case["expected_ranking"]
    for pair, votes in case.get("expected_pairwise", {}).items():
        winner, loser = pair.split(">")
        assert result["rounds"][0]["detail"]["pairwise"][winner][loser] == votes
    if "expected_rounds" in case:
        assert_rounds(result["rounds"], case["expected_rounds"])


def assert_rounds(rounds: list[dict[str, Any]], expected_rounds: list[dict[str, Any]]) -> None:
    """Compare round by round: tallies, and the elections and exclusions where the case records them.

    A case that records no events (IRV) lists exactly the candidates still in the count; one that does
    (STV) leaves out candidates already elected, so only the listed ones are compared.
    """
    assert len(rounds) == len(expected_rounds)
    with_events = any(EVENT_KEYS & set(expected) for expected in expected_rounds)
    for number, (mine, expected) in enumerate(zip(rounds, expected_rounds, strict=True), start=1):
        tallies = {name: Decimal(votes) for name, votes in expected.items() if name not in EVENT_KEYS}
        mine_tallies = {name: Decimal(votes) for name, votes in mine["tallies"].items()}
        if not with_events:
            assert mine_tallies == tallies, f"round {number}"
            continue
        assert {name: mine_tallies[name] for name in tallies} == tallies, f"round {number}"
        assert mine["excluded"] == ([expected["excluded"]] if "excluded" in expected else []), f"round {number}"
        expected_elected = [expected["elected"]] if "elected" in expected else []
        if "then" in expected:
            expected_elected.append(expected["then"].split(" elected")[0])
        assert mine["elected"] == expected_elected, f"round {number}"


def test_blt_and_json_forms_of_each_case_hold_the_same_ballots() -> None:
    assert TESTDATA.is_dir(), f"the voting reference cases are not at {TESTDATA}"
    checked = 0
    for path in case_paths():
        blt = path.with_suffix(".blt")
        if not blt.exists():
            continue
        from_blt, from_json = read_blt_file(blt), read_json_file(path)
        assert from_blt.candidates == from_json.candidates
        assert from_blt.seats == from_json.seats
        assert from_blt.ballots == from_json.ballots
        checked += 1
    assert checked >= 4


def test_the_tennessee_ballots_give_each_method_its_own_winner() -> None:
    path = TESTDATA / "irv_tennessee_capital.json"
    case = load(path)
    blt = path.with_suffix(".blt")
    assert count_file(blt, "irv")["winners"] == ["Knoxville"]
    assert count_file(blt, "schulze")["winners"] == case["also_expected"]["schulze"]
    assert count_file(blt, "schulze")["winners"] == case["also_expected"]["condorcet_winner"]


def test_food_election_elects_the_same_three_under_meek() -> None:
    path = TESTDATA / "stv_wikipedia_food.blt"
    assert sorted(count_file(path, "stv-meek")["winners"]) == ["Chocolate", "Orange", "Strawberry"]


def test_gpus_steering_committee_differs_between_scottish_and_meek() -> None:
    """The case's note: Meek elects Kristen Olsen where Scottish STV elects Tom Sevigny."""
    path = TESTDATA / "stv_scottish_gpus_2005.blt"
    scottish = count_file(path, "stv-scottish")["winners"]
    meek = count_file(path, "stv-meek")["winners"]
    assert "Tom Sevigny" in scottish and "Kristen Olsen" not in scottish
    assert "Kristen Olsen" in meek and "Tom Sevigny" not in meek

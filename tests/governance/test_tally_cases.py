"""The motion tally reproduces the hand-computed quorum and majority cases in tests/data/voting/."""

import json
from fractions import Fraction

import pytest

from governance.tally import Counts, motion_outcome, quorum_needed
from tests.data import VOTING

CASES_FILE = VOTING / "motion_quorum_majority_cases.json"
CASES = json.loads(CASES_FILE.read_text())["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_motion_case_is_reproduced(case: dict) -> None:
    by_class = {slug: Counts(**counts) for slug, counts in case.get("tally_by_class", {}).items()}
    outcome = motion_outcome(
        case["rule"], electorate=case["electorate"], tally=Counts(**case["tally"]), by_class=by_class
    )
    expected = case["expected"]
    assert outcome.quorum_met == expected["quorum_met"]
    assert outcome.threshold_met == expected["threshold_met"]
    assert outcome.passed == expected["passed"]
    if "quorum_needed" in expected:
        assert outcome.quorum_needed == expected["quorum_needed"]
    if "patron_majority" in expected:
        assert outcome.class_majorities["patron"] == expected["patron_majority"]


def test_no_quorum_rule_needs_no_votes() -> None:
    assert quorum_needed(None, electorate=10, members_total=10) == 0


def test_a_capped_class_cannot_carry_more_than_its_share() -> None:
    rule = {
        "threshold": {"fraction": "1/2", "of": "yes_plus_no", "strict": True},
        "class_weights": {"investor": {"weight": "1", "cap": "1/4"}},
    }
    # Investors 30 yes, workers 10 yes / 15 no: capped at a quarter of the weighted votes, the
    # investors count as 25/3 (a third of the workers' 25), so yes is 55/3 against 15 no.
    outcome = motion_outcome(
        rule,
        electorate=100,
        tally=Counts(yes=40, no=15),
        by_class={"investor": Counts(yes=30), "worker": Counts(yes=10, no=15)},
    )
    assert outcome.weighted_yes == Fraction(25, 3) + 10
    assert outcome.weighted_no == 15
    assert outcome.passed is True
    outcome = motion_outcome(
        rule,
        electorate=100,
        tally=Counts(yes=33, no=20),
        by_class={"investor": Counts(yes=30), "worker": Counts(yes=3, no=20)},
    )
    # Investors capped at 1/4: 23/3 yes from them, 3 yes and 20 no from workers: 32/3 < 20.
    assert outcome.passed is False


def test_class_weight_multiplies_a_class_votes() -> None:
    rule = {"threshold": {"fraction": "1/2", "of": "yes_plus_no"}, "class_weights": {"worker": {"weight": "2"}}}
    outcome = motion_outcome(
        rule, electorate=10, tally=Counts(yes=3, no=4), by_class={"worker": Counts(yes=3), "client": Counts(no=4)}
    )
    assert (outcome.weighted_yes, outcome.weighted_no) == (6, 4)
    assert outcome.passed is True


def test_classes_that_must_agree_block_a_motion_the_whole_passes() -> None:
    rule = {"threshold": {"fraction": "2/3", "of": "yes_plus_no", "strict": False}, "classes_must_agree": ["worker"]}
    outcome = motion_outcome(
        rule,
        electorate=30,
        tally=Counts(yes=20, no=5),
        by_class={"worker": Counts(yes=4, no=5), "client": Counts(yes=16)},
    )
    assert outcome.class_majorities == {"worker": False}
    assert outcome.passed is False

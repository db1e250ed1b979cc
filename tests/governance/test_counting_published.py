"""Counts checked against published results, each cited where it is asserted.

Sources:
- Droop (github.com/jklundell/droop), Jonathan Lundell's STV counter, whose reference reports
  test/ref/report/<election>-scotland-fixed-p5-d5.txt (Scottish STV, 5-place fixed point) and
  <election>-meek-prf-o6-fixed-p9-d9.txt (PR Foundation Meek reference: 9 places, omega 10^-6) give
  every stage's values. Ballot files: test/blt/42.blt, 513.blt and SC.blt (the Green Party of the US
  Steering Committee election of 2005-07-24, 94 ballots, 13 candidates, 4 seats).
- Wikipedia, "Schulze method", Example section (45 voters, 5 candidates): the d[*,*] and p[*,*] tables.
- Wikipedia, "Single transferable vote", Example (the food election) and "Instant-runoff voting"
  (the Tennessee capital example).
The ballot files are embedded so these tests do not depend on ../shared.
"""

from decimal import Decimal
from typing import Any

from governance.counting import CountResult, Round, count_election, read_blt

GPUS_2005_BLT = """\
13 4
19 7 8 9 11 12 0
1 13 7 5 4 2 1 0
1 5 13 2 7 4 1 0
1 13 4 1 2 0
1 4 2 13 1 3 0
1 4 13 2 7 0
1 7 8 12 1 13 9 2 4 11 5 0
1 1 13 3 4 7 5 2 0
2 4 1 13 7 3 5 2 0
1 1 4 13 2 7 5 3 9 8 12 11 0
2 7 1 8 9 13 3 2 4 12 5 11 0
1 5 1 13 3 2 4 7 0
1 7 8 9 3 12 2 13 5 1 4 0
2 3 13 1 2 0
1 4 7 13 5 0
1 4 5 13 3 2 1 0
1 7 9 8 12 11 2 13 0
3 4 3 13 1 0
1 13 3 4 1 7 2 5 0
1 3 13 4 1 7 2 5 0
1 13 3 4 1 2 5 7 0
1 13 1 4 2 5 3 7 0
1 13 4 3 1 2 5 0
1 3 13 1 4 2 7 5 0
1 4 3 13 8 0
2 1 4 13 7 0
1 7 3 4 13 1 5 0
1 9 11 8 7 0
1 13 3 5 2 0
1 4 5 2 3 13 0
1 13 5 2 4 1 3 7 0
1 13 5 2 1 7 3 8 0
1 7 8 9 12 11 0
1 7 8 4 9 12 0
1 13 4 7 2 8 0
1 4 13 2 7 1 8 0
1 7 8 11 9 12 0
1 8 4 7 11 13 9 0
1 7 4 2 13 0
1 13 1 7 4 0
1 4 1 2 13 9 5 0
1 1 4 13 5 3 2 0
1 7 5 4 8 11 2 13 1 3 9 12 0
1 4 8 7 5 13 2 1 3 9 0
1 3 4 7 2 12 13 8 1 5 0
2 7 8 11 9 0
1 13 2 4 7 5 1 0
1 7 8 9 11 0
1 2 7 8 12 13 11 1 5 9 0
1 4 7 8 2 0
1 4 13 5 2 1 3 0
1 13 4 7 3 1 5 8 2 9 0
1 4 3 13 1 7 0
1 13 4 1 3 0
1 4 1 13 3 2 7 8 0
1 2 4 13 5 0
1 2 3 4 1 13 7 0
1 3 1 4 13 0
1 4 3 1 2 11 0
1 3 1 4 13 2 7 0
1 4 1 2 8 3 0
2 4 1 5 13 2 3 0
1 13 7 3 2 5 4 1 0
1 13 5 7 2 4 1 0
1 1 13 3 7 2 4 5 0
2 13 1 2 7 4 5 3 0
1 3 1 4 2 13 7 9 5 8 0
0
"Budd Dickinson"
"Kirit Mookerjee"
"Tom Sevigny"
"Pat LaMarche"
"Michael Piacsek"
"Write-In 2"
"Rebecca Rotzler"
"Kristen Olsen"
"Jason Jones"
"Write-In 1"
"Steve Greenfield"
"Jimmy Leas"
"Steve Kramer"
"stv_scottish"
"""

SCHULZE_WIKIPEDIA_BLT = """\
5 1
5 1 3 2 5 4 0
5 1 4 5 3 2 0
8 2 5 4 1 3 0
3 3 1 2 5 4 0
7 3 1 5 2 4 0
2 3 2 1 4 5 0
7 4 3 5 2 1 0
8 5 2 1 4 3 0
0
"A"
"B"
"C"
"D"
"E"
"schulze"
"""

CASTOR_42_BLT = '3 2\n4 1 2 0\n2 3 0\n0\n"Castor"\n"Pollux"\n"Helen"\n"Pollux and Helen should tie"\n'
CASTOR_513_BLT = '3 2\n5 1 2 0\n1 2 0\n3 3 0\n0\n"Castor"\n"Pollux"\n"Helen"\n"Pollux and Helen should tie"\n'
FOOD_BLT = (
    "5 3\n4 1 0\n2 2 1 0\n8 3 4 0\n4 3 5 0\n1 4 0\n1 5 0\n0\n"
    '"Orange"\n"Pear"\n"Chocolate"\n"Strawberry"\n"Hamburger"\n""\n'
)
TENNESSEE_BLT = (
    "4 1\n42 1 2 3 4 0\n26 2 3 4 1 0\n15 3 4 2 1 0\n17 4 3 2 1 0\n0\n"
    '"Memphis"\n"Nashville"\n"Chattanooga"\n"Knoxville"\n""\n'
)


def count_blt(method: str, text: str) -> CountResult:
    return count_election(method, read_blt(text))


def values(mapping: Any) -> dict[str, str]:
    return {name: format(value, "f") for name, value in mapping.items()}


def round_where(result: CountResult, *, elected: str | None = None, excluded: str | None = None) -> Round:
    for round_ in result.rounds:
        if (elected and elected in round_.elected) or (excluded and excluded in round_.excluded):
            return round_
    raise AssertionError(f"no round electing {elected!r} or excluding {excluded!r}")


def test_scottish_stv_matches_droop_report_for_the_gpus_2005_election() -> None:
    """droop test/ref/report/SC-scotland-fixed-p5-d5.txt, stage by stage."""
    result = count_blt("stv-scottish", GPUS_2005_BLT)
    assert result.quota == Decimal("19.00000")
    assert result.winners == ("Rebecca Rotzler", "Pat LaMarche", "Steve Kramer", "Tom Sevigny")

    first = result.rounds[0]
    assert first.elected == ("Rebecca Rotzler", "Pat LaMarche")
    assert first.transfer is not None and first.transfer.source == "Rebecca Rotzler"
    assert first.transfer.transfer_values == (Decimal("0.42424"),)
    assert first.transfer.rounding_loss == Decimal("0.00008")
    second = result.rounds[1]
    assert values(second.tallies)["Budd Dickinson"] == "6.84848"
    assert values(second.tallies)["Kristen Olsen"] == "12.45448"
    assert second.transfer is not None and second.transfer.transfer_values == (Decimal("0.13636"),)
    third = result.rounds[2]
    assert {k: values(third.tallies)[k] for k in ("Budd Dickinson", "Tom Sevigny", "Steve Kramer")} == {
        "Budd Dickinson": "7.80300",
        "Tom Sevigny": "9.24240",
        "Steve Kramer": "18.54544",
    }

    kramer = round_where(result, elected="Steve Kramer")
    assert {k: values(kramer.tallies)[k] for k in ("Steve Kramer", "Budd Dickinson", "Kristen Olsen")} == {
        "Steve Kramer": "19.68180",
        "Budd Dickinson": "8.80300",
        "Kristen Olsen": "14.57568",
    }
    assert kramer.transfer.transfer_values == (Decimal("0.03464"), Decimal("0.00472"))

    kirit = round_where(result, excluded="Kirit Mookerjee")
    assert {k: values(kirit.tallies)[k] for k in ("Budd Dickinson", "Kirit Mookerjee", "Tom Sevigny")} == {
        "Budd Dickinson": "9.01084",
        "Kirit Mookerjee": "3.95360",
        "Tom Sevigny": "9.45496",
    }
    assert kirit.non_transferable == Decimal("0.00472")
    assert kirit.detail["rounding_loss"] == Decimal("0.00020")

    budd = round_where(result, excluded="Budd Dickinson")
    assert {k: values(budd.tallies)[k] for k in ("Budd Dickinson", "Tom Sevigny", "Kristen Olsen")} == {
        "Budd Dickinson": "9.36448",
        "Tom Sevigny": "10.59132",
        "Kristen Olsen": "15.61032",
    }
    assert budd.non_transferable == Decimal("1.43368")

    last = result.rounds[-1]
    assert last.excluded == ("Kristen Olsen",) and last.elected == ("Tom Sevigny",)
    assert values(last.tallies)["Tom Sevigny"] == "16.62204"
    assert values(last.tallies)["Kristen Olsen"] == "16.59988"
    assert last.transfer is not None and last.transfer.informational
    assert values(result.final_tallies)["Tom Sevigny"] == "18.59172"
    assert last.non_transferable + last.transfer.non_transferable == Decimal("18.40808")


def test_scottish_stv_accounts_for_every_vote_in_every_round() -> None:
    result = count_blt("stv-scottish", GPUS_2005_BLT)
    for round_ in result.rounds:
        held = sum(round_.tallies.values(), Decimal(0))
        assert held + round_.non_transferable + round_.detail["rounding_loss"] == Decimal(94), round_.number


def test_meek_matches_droop_prf_reference_for_the_gpus_2005_election() -> None:
    """droop test/ref/report/SC-meek-prf-o6-fixed-p9-d9.txt."""
    result = count_blt("stv-meek", GPUS_2005_BLT)
    assert result.winners == ("Rebecca Rotzler", "Pat LaMarche", "Steve Kramer", "Kristen Olsen")
    first_exclusion = result.rounds[1]
    assert first_exclusion.quota == Decimal("18.800000001")
    assert first_exclusion.detail["surplus"] == Decimal("0.000000906")
    assert {k: values(first_exclusion.tallies)[k] for k in ("Kristen Olsen", "Steve Kramer", "Pat LaMarche")} == {
        "Kristen Olsen": "13.000470959",
        "Steve Kramer": "18.556796080",
        "Pat LaMarche": "18.800000609",
    }
    kramer = round_where(result, elected="Steve Kramer")
    assert values(kramer.tallies)["Steve Kramer"] == "19.718851196"
    assert values(kramer.tallies)["Kristen Olsen"] == "14.506945584"
    kirit = round_where(result, excluded="Kirit Mookerjee")
    assert kirit.quota == Decimal("18.799133306")
    assert values(kirit.tallies)["Kirit Mookerjee"] == "3.730149807"
    budd = round_where(result, excluded="Budd Dickinson")
    assert budd.quota == Decimal("18.789719295")
    assert values(budd.tallies)["Tom Sevigny"] == "11.498644230"
    last = result.rounds[-1]
    assert last.elected == ("Kristen Olsen",)
    assert last.quota == Decimal("18.586296861")
    assert last.non_transferable == Decimal("1.068515700")
    assert values(last.tallies) == {
        "Tom Sevigny": "16.482212783",
        "Pat LaMarche": "19.087429756",
        "Rebecca Rotzler": "19.073682122",
        "Kristen Olsen": "19.085721549",
        "Steve Kramer": "19.202438090",
    }


def test_scottish_stv_matches_droop_for_the_castor_pollux_helen_elections() -> None:
    """droop test/ref/report/42-scotland-fixed-p5-d5.txt and 513-scotland-fixed-p5-d5.txt."""
    result = count_blt("stv-scottish", CASTOR_42_BLT)
    assert result.quota == Decimal("3.00000")
    assert [values(r.tallies) for r in result.rounds] == [
        {"Castor": "4.00000", "Pollux": "0.00000", "Helen": "2.00000"},
        {"Castor": "3.00000", "Pollux": "1.00000", "Helen": "2.00000"},
    ]
    assert result.rounds[1].excluded == ("Pollux",)
    assert result.winners == ("Castor", "Helen")
    assert result.rounds[1].transfer.non_transferable == Decimal("1.00000")

    result = count_blt("stv-scottish", CASTOR_513_BLT)
    assert result.quota == Decimal("4.00000")
    assert values(result.rounds[1].tallies) == {"Castor": "4.00000", "Pollux": "2.00000", "Helen": "3.00000"}
    assert result.winners == ("Castor", "Helen")


def test_meek_matches_droop_for_the_castor_pollux_helen_elections() -> None:
    """droop test/ref/report/42-meek-prf-o6-fixed-p9-d9.txt and 513-meek-prf-o6-fixed-p9-d9.txt."""
    result = count_blt("stv-meek", CASTOR_42_BLT)
    assert result.rounds[1].quota == Decimal("2.000000001")
    assert values(result.rounds[1].tallies) == {
        "Castor": "2.000000004",
        "Pollux": "1.999999996",
        "Helen": "2.000000000",
    }
    assert result.rounds[1].excluded == ("Pollux",)
    assert result.winners == ("Castor", "Helen")

    result = count_blt("stv-meek", CASTOR_513_BLT)
    assert values(result.rounds[1].tallies) == {
        "Castor": "3.000000005",
        "Pollux": "2.999999995",
        "Helen": "3.000000000",
    }
    assert result.winners == ("Castor", "Helen")


def test_schulze_matches_the_wikipedia_example_tables() -> None:
    """Wikipedia "Schulze method", Example: d[*,*], p[*,*] and the ranking E > A > C > B > D."""
    result = count_blt("schulze", SCHULZE_WIKIPEDIA_BLT)
    detail = result.rounds[0].detail
    assert detail["pairwise"]["A"] == {"B": 20, "C": 26, "D": 30, "E": 22}
    assert detail["pairwise"]["E"] == {"A": 23, "B": 27, "C": 21, "D": 31}
    assert detail["strongest_paths"] == {
        "A": {"B": 28, "C": 28, "D": 30, "E": 24},
        "B": {"A": 25, "C": 28, "D": 33, "E": 24},
        "C": {"A": 25, "B": 29, "D": 29, "E": 24},
        "D": {"A": 25, "B": 28, "C": 28, "E": 24},
        "E": {"A": 25, "B": 28, "C": 28, "D": 31},
    }
    assert detail["ranking"] == ["E", "A", "C", "B", "D"]
    assert result.winners == ("E",)
    assert count_election("schulze", read_blt(SCHULZE_WIKIPEDIA_BLT), seats=3).winners == ("E", "A", "C")


def test_the_wikipedia_food_election_elects_chocolate_orange_strawberry() -> None:
    """Wikipedia "Single transferable vote", Example: quota 6; Chocolate, Orange, then Strawberry."""
    result = count_blt("stv-scottish", FOOD_BLT)
    assert result.quota == Decimal("6.00000")
    assert result.winners == ("Chocolate", "Orange", "Strawberry")
    assert [r.excluded for r in result.rounds if r.excluded] == [("Pear",), ("Hamburger",)]


def test_the_tennessee_capital_vote_goes_to_knoxville_by_irv_and_nashville_by_schulze() -> None:
    """Wikipedia "Instant-runoff voting" and "Schulze method", Tennessee example (percentages as votes)."""
    irv = count_blt("irv", TENNESSEE_BLT)
    assert irv.winners == ("Knoxville",)
    assert [dict(r.tallies) for r in irv.rounds] == [
        {"Memphis": 42, "Nashville": 26, "Chattanooga": 15, "Knoxville": 17},
        {"Memphis": 42, "Nashville": 26, "Knoxville": 32},
        {"Memphis": 42, "Knoxville": 58},
    ]
    assert count_blt("schulze", TENNESSEE_BLT).winners == ("Nashville",)

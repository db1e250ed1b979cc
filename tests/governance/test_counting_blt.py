"""BLT files: the standard format is read and written; malformed files are refused with the line at fault."""

from pathlib import Path

import pytest

from governance.counting import Ballot, BltError, CountingError, Election, count_election, read_blt, write_blt
from governance.counting.blt import read_blt_file

GOOD = """\
# A board election, exported for recount
4 2
-4
3 1 2 0
2 3 0

1 2 3 1 0
1 0
0
"Alice"  "Bob"
"Carol \\"CJ\\" Jones"
"Dan"
"Board election 2026"
"""


def test_a_standard_file_is_read_with_withdrawals_blank_ballots_comments_and_title() -> None:
    election = read_blt(GOOD)
    assert election.candidates == ("Alice", "Bob", 'Carol "CJ" Jones', "Dan")
    assert election.seats == 2
    assert election.withdrawn == ("Dan",)
    assert election.title == "Board election 2026"
    assert election.ballots == (
        Ballot(("Alice", "Bob"), 3),
        Ballot(('Carol "CJ" Jones',), 2),
        Ballot(("Bob", 'Carol "CJ" Jones', "Alice"), 1),
        Ballot((), 1),
    )


def test_a_byte_order_mark_and_a_missing_title_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.blt"
    path.write_bytes('\ufeff2 1\n1 1 0\n0\n"X"\n"Y"\n'.encode())
    election = read_blt_file(path)
    assert election.candidates == ("X", "Y")
    assert election.title == ""


def test_a_blank_ballot_is_read_but_not_counted_as_a_valid_vote() -> None:
    result = count_election("irv", read_blt('2 1\n1 1 0\n5 0\n0\n"X"\n"Y"\n""\n'))
    assert result.valid_ballots == 1
    assert result.winners == ("X",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "line 1: the file is empty; it must start with a line 'candidates seats', e.g. '4 2'"),
        ("4\n", "line 1: expected 'candidates seats' (two whole numbers, e.g. '4 2'), found '4'"),
        ("two 1\n", "line 1: expected 'candidates seats' (two whole numbers, e.g. '4 2'), found 'two 1'"),
        ("0 1\n0\n", "line 1: there must be at least one candidate"),
        ('2 0\n0\n"A"\n"B"\n', "line 1: there must be at least one seat"),
        ('2 1\n-3\n0\n"A"\n"B"\n', "line 2: withdrawn candidates are written -1 to -2, found '-3'"),
        ('2 1\n1 1 2\n0\n"A"\n"B"\n', "line 2: a ballot must end with 0"),
        ('2 1\n1 1 3 0\n0\n"A"\n"B"\n', "line 2: candidate 3 does not exist (there are 2)"),
        ('2 1\n\n1 2 2 0\n0\n"A"\n"B"\n', "line 3: candidate 2 is ranked twice"),
        ('2 1\n1 1 x 0\n0\n"A"\n"B"\n', "line 2: a ballot holds whole numbers only, found 'x'"),
        ('2 1\n1 1=2 0\n0\n"A"\n"B"\n', "line 2: equal preferences ('=') are not supported"),
        ('2 1\n0 1 2 0\n0\n"A"\n"B"\n', "line 2: a ballot's weight must be at least 1"),
        ('2 1\n1 1 0 2 0\n0\n"A"\n"B"\n', "line 2: 0 may only close a ballot, not appear inside it"),
        (
            '2 1\n1 1 0\n"A"\n"B"\n',
            "line 3: found a name where a ballot was expected: is the line '0' ending the ballots missing?",
        ),
        ("2 1\n1 1 0\n1 2 0\n", "line 3: the ballots must end with a line holding a single 0"),
        ('2 1\n1 1 0\n0\n"A"\n', "line 4: expected 2 candidate names, found 1"),
        ('2 1\n1 1 0\n0\n"A"\n"B"\n"Title"\n"Extra"\n', "line 7: unexpected text after the title: 'Extra'"),
        ('2 1\n1 1 0\n0\n"A"\n"A"\n', "line 5: candidate name 'A' is used twice"),
        ('2 1\n1 1 0\n0\n"A"\nB\n', "line 5: expected a name in double quotes, found 'B'"),
        ('2 1\n1 1 0\n0\n"A"\n"  "\n', "line 5: candidate 2 has an empty name"),
    ],
)
def test_a_malformed_file_is_refused_with_its_line_number(text: str, message: str) -> None:
    with pytest.raises(BltError) as caught:
        read_blt(text)
    assert str(caught.value) == message
    assert caught.value.code == "bad_blt"


def test_a_file_that_is_not_utf8_is_refused_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.blt"
    path.write_bytes('2 1\n1 1 0\n0\n"Jos\xe9"\n"B"\n'.encode("latin-1"))
    with pytest.raises(BltError, match=r"^line 4: the file is not UTF-8 text$"):
        read_blt_file(path)


def test_a_missing_file_is_reported_by_name(tmp_path: Path) -> None:
    with pytest.raises(CountingError, match=r"^Cannot read .*missing\.blt: No such file or directory\.$"):
        read_blt_file(tmp_path / "missing.blt")


def test_export_merges_identical_ballots_and_hides_the_order_they_were_cast_in() -> None:
    election = Election(
        candidates=("Alice", "Bob", "Carol"),
        seats=1,
        ballots=(Ballot(("Bob",)), Ballot(("Alice", "Bob")), Ballot(("Bob",)), Ballot(("Alice", "Bob"), 2)),
        title="Chair",
    )
    assert write_blt(election) == '3 1\n3 1 2 0\n2 2 0\n0\n"Alice"\n"Bob"\n"Carol"\n"Chair"\n'


def test_export_writes_withdrawals_and_escapes_only_names_that_need_it() -> None:
    election = Election(
        candidates=("Plain", 'Say "hi"', "Back\\slash"),
        seats=2,
        ballots=(Ballot(("Plain", 'Say "hi"')),),
        withdrawn=("Back\\slash",),
    )
    text = write_blt(election, aggregate=False)
    assert text == '3 2\n-3\n1 1 2 0\n0\n"Plain"\n"Say \\"hi\\""\n"Back\\\\slash"\n""\n'
    assert read_blt(text) == election


def test_export_refuses_a_name_with_a_line_break() -> None:
    election = Election(candidates=("A\nB",), seats=1, ballots=())
    with pytest.raises(CountingError, match="cannot contain a line break"):
        write_blt(election)

"""Results that explain themselves: every round in words, every tie with its rule, motions with quorum and threshold."""

import json
import re
from datetime import timedelta
from html import unescape
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from governance.models import Ballot, Election
from governance.results import number
from governance.services.ballots import ballot_close, ballot_open
from governance.services.elections import candidate_nominate, candidate_withdraw, election_create, election_vote_cast
from governance.services.votes import vote_cast
from tests.factories import MemberClassFactory, MemberFactory
from tests.governance.conftest import close_now

pytestmark = pytest.mark.django_db

SEED = re.compile(r"--lot-seed ([0-9a-f]{64})")


def _member_client() -> Client:
    """A signed-in member: by the default rules, only members see the counts (visitors see nothing)."""
    client = Client()
    client.force_login(MemberFactory().user)
    return client


def _open(election: Election) -> None:
    now = timezone.now()
    Ballot.objects.filter(pk=election.ballot_id).update(
        opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=1)
    )
    ballot_open(ballot_id=election.ballot_id)


def _close(election: Election) -> None:
    Ballot.objects.filter(pk=election.ballot_id).update(closes_at=timezone.now() - timedelta(seconds=1))
    ballot_close(ballot_id=election.ballot_id)


@pytest.fixture
def tied_election(staff: Any, members: list[Any]) -> Election:
    """An IRV election whose first round ties for the fewest votes, and a candidate who withdrew.

    Ann 2, Bo 1, Cy 1: nobody has a majority, Bo and Cy tie for exclusion with no earlier round to
    look back to, so the lot decides. Dee's withdrawal means the BLT file lists a candidate the
    count at close left out, so only the seed shown on the page recounts to the same lot.
    """
    election = election_create(title="Chair 2026", seats=1, method="irv", actor=staff)
    ann, bo, cy, _dee = (
        candidate_nominate(election_id=election.pk, actor=m.user, statement="I care.") for m in members[:4]
    )
    candidate_withdraw(election_id=election.pk, actor=members[3].user)
    _open(election)
    for member, ranking in zip(members, [[ann.pk], [ann.pk], [bo.pk], [cy.pk]], strict=False):
        election_vote_cast(election_id=election.pk, actor=member.user, ranking=ranking)
    _close(election)
    election.refresh_from_db()
    return election


def test_an_election_page_states_a_first_round_tie_and_the_lot_that_broke_it(tied_election: Election) -> None:
    count = tied_election.ballot.result.details["election"]
    tie = count["rounds"][0]["notes"][0]
    names = {f"#{c.pk}": str(c.member.user) for c in tied_election.candidates.all()}

    html = unescape(_member_client().get(tied_election.get_absolute_url()).content.decode())

    tied = [names[label] for label in tie["tied"]]
    assert f"{tied[0]} and {tied[1]} were tied with 1 vote each, which had to decide who is excluded." in html
    assert "There is no earlier round to look back to, so the lot decided:" in html
    assert f"{names[tie['chosen']]} is excluded." in html
    assert f'Seed: <code class="gov-seed">{count["lot_seed"]}</code>' in html
    assert "The count had 1 tie;" in html
    winner = names[count["winners"][0]]
    assert f"{winner} has more than half of the votes still in play (2 of 3) and is elected." in html


def test_count_ballots_with_the_seed_the_page_shows_reproduces_the_recorded_count(
    tied_election: Election, tmp_path: Path
) -> None:
    client = _member_client()
    html = client.get(tied_election.get_absolute_url()).content.decode()
    seed = SEED.search(html)
    assert seed is not None, "the page shows no recount command with a seed"
    blt = tmp_path / f"election-{tied_election.pk}.blt"
    blt.write_bytes(client.get(reverse("governance:election_blt", args=[tied_election.pk])).content)

    out = StringIO()
    call_command("count_ballots", str(blt), "--method", "irv", "--seed", seed.group(1), "--json", stdout=out)

    recount = json.loads(out.getvalue())
    recorded = tied_election.ballot.result.details["election"]
    assert recount["winners"] == recorded["winners"]
    assert recount["rounds"] == recorded["rounds"]


def test_without_the_shown_seed_a_recount_of_a_file_with_a_withdrawal_draws_another_seed(
    tied_election: Election, tmp_path: Path
) -> None:
    blt = tmp_path / "election.blt"
    blt.write_bytes(_member_client().get(reverse("governance:election_blt", args=[tied_election.pk])).content)
    out = StringIO()
    call_command("count_ballots", str(blt), "--method", "irv", "--json", stdout=out)
    assert json.loads(out.getvalue())["lot_seed"] != tied_election.ballot.result.details["election"]["lot_seed"]


def test_the_demo_election_is_decided_by_a_tie_the_page_explains_and_the_seed_reproduces(tmp_path: Path) -> None:
    from core import demo as core_demo
    from governance import demo
    from membership import demo as membership_demo

    core_demo.seed()
    membership_demo.seed()
    demo.seed()
    election = Election.objects.get(title=demo.ELECTION_TITLE)
    recorded = election.ballot.result.details["election"]
    ties = [note for r in recorded["rounds"] for note in r["notes"] if note["kind"] == "tie"]
    assert [(tie["purpose"], tie["by"]) for tie in ties] == [("exclusion", "lot")]

    client = _member_client()
    html = client.get(election.get_absolute_url()).content.decode()
    assert "They had equal votes in every earlier round too, so the lot decided:" in html
    assert "Chloé Martin and Dev Patel were tied with 2.5 votes each" in html
    assert "+0.5" in html and "2.50000" not in html

    blt = tmp_path / "demo.blt"
    blt.write_bytes(client.get(reverse("governance:election_blt", args=[election.pk])).content)
    out = StringIO()
    call_command(
        "count_ballots",
        str(blt),
        "--method",
        "stv-scottish",
        "--seed",
        SEED.search(html).group(1),
        "--json",
        stdout=out,
    )
    assert json.loads(out.getvalue())["rounds"] == recorded["rounds"]


def test_an_election_page_shows_votes_in_the_readers_language(tied_election: Election) -> None:
    client = _member_client()
    client.cookies["django_language"] = "nl"
    html = client.get(tied_election.get_absolute_url()).content.decode()
    assert "stonden gelijk" in html and "het lot" in html


def test_vote_values_read_as_plain_numbers() -> None:
    assert number("3.00000") == "3"
    assert number("2.50000") == "2.5"
    assert number("1.333333334") == "1.33"
    assert number(1234) == "1,234"


def test_a_motion_result_states_quorum_and_threshold_in_words(
    open_proposal: Any, members: list[Any], rules: Any
) -> None:
    rules(
        quorum_numerator=1, quorum_denominator=2, threshold_numerator=2, threshold_denominator=3, threshold_strict=False
    )
    proposal = open_proposal()
    for member, choice in zip(members[:4], ["yes", "yes", "no", "abstain"], strict=True):
        vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice=choice, reason="")
    close_now(proposal)

    html = _member_client().get(proposal.get_absolute_url()).content.decode()

    assert (
        "Quorum reached: 4 of the 5 members on the voter roll voted, and 3 were needed "
        "(at least half of the members on the voter roll)." in html
    )
    assert (
        "Threshold met: 2 of the 3 votes for or against were yes (66.7%); at least two thirds of the votes for or "
        "against (abstentions not counted) was needed." in html
    )


def test_a_motion_that_misses_its_quorum_says_by_how_much(open_proposal: Any, members: list[Any], rules: Any) -> None:
    rules(quorum_numerator=3, quorum_denominator=4)
    proposal = open_proposal()
    vote_cast(ballot_id=proposal.ballot_id, actor=members[0].user, choice="yes", reason="")
    close_now(proposal)

    html = _member_client().get(proposal.get_absolute_url()).content.decode()

    assert "Quorum not reached: 1 of the 5 members on the voter roll voted, and 4 were needed" in html
    assert "(at least three quarters of the members on the voter roll)" in html


def test_a_motion_under_class_rules_shows_each_class_by_name(
    open_proposal: Any, members: list[Any], rules: Any, worker_class: Any
) -> None:
    clients = MemberClassFactory(slug="client", name="Client members")
    buyer = MemberFactory(member_class=clients)
    rules(double_majority_class_slugs=["worker", "client"])
    proposal = open_proposal()
    for member, choice in [(members[0], "yes"), (members[1], "yes"), (buyer, "no")]:
        vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice=choice, reason="")
    close_now(proposal)

    html = _member_client().get(proposal.get_absolute_url()).content.decode()

    assert "The same threshold must also be met within each of these classes: Worker and Client members." in html
    assert '<th scope="row">Client members</th>' in html and '<th scope="row">Worker</th>' in html
    assert "did not agree" in html and ">client<" not in html


@pytest.mark.parametrize("method", ["irv", "stv-scottish", "stv-meek", "schulze", "approval"])
def test_every_counting_method_reads_in_words_with_its_ties(method: str) -> None:
    from governance.counting import Ballot as Paper
    from governance.counting import count
    from governance.models import BallotResult
    from governance.results import election_result_text

    seats = 1 if method == "irv" else 2
    papers = [Paper(("A", "B")), Paper(("B", "A")), Paper(("C", "D")), Paper(("D", "C")), Paper(("A", "C"), weight=2)]
    data = count(method, papers, ["A", "B", "C", "D"], seats, lot_seed="fixed").to_dict()
    result = BallotResult(details={"election": data, "candidate_ids": {}})

    text = election_result_text(election=Election(pk=7, seats=seats), result=result, candidates=[])

    assert text.winners == data["winners"]
    assert all(round_.events for round_ in text.rounds)
    notes = [note for r in data["rounds"] for note in r["notes"] if note["kind"] == "tie"]
    assert text.ties == len(notes)
    assert notes or method == "stv-meek"
    assert all(tie.what and tie.rule and tie.outcome for round_ in text.rounds for tie in round_.ties)
    assert text.recount_command.endswith(f"--method {method} --lot-seed fixed")
    if method == "stv-meek":
        assert any(row.rounded and "." in row.exact for round_ in text.rounds for row in round_.rows)

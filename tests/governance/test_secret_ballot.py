"""Secret ballots: nothing in the ballot papers links a vote to a member, by column or by time."""

from typing import Any

import pytest
from django.db import connection, models

from core.exceptions import Conflict
from governance.exceptions import ErrorCode
from governance.models import Ballot, BallotPaper, Participation, Vote
from governance.selectors import ballot_view
from governance.services.votes import vote_cast
from tests.governance.conftest import close_now
from tests.services import need_postgres

pytestmark = pytest.mark.django_db


def test_the_paper_model_has_no_member_reference_no_time_and_a_random_key() -> None:
    fields = {field.name: field for field in BallotPaper._meta.get_fields()}
    relations = [f for f in fields.values() if f.is_relation]
    assert [f.related_model for f in relations] == [Ballot]
    assert not [f for f in fields.values() if isinstance(f, models.DateTimeField | models.TimeField)]
    assert isinstance(fields["id"], models.UUIDField)
    assert not isinstance(fields["id"], models.AutoField)
    participation_fields = Participation._meta.get_fields()
    assert not [f for f in participation_fields if isinstance(f, models.DateTimeField | models.AutoField)]


def test_stored_papers_hold_nothing_that_names_or_orders_the_voters(
    open_proposal: Any, members: list[Any], rules: Any
) -> None:
    rules("general", secret=True)
    proposal = open_proposal()
    for member, choice in zip(members, ["yes", "no", "yes"], strict=False):
        assert vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice=choice) is None
    assert not Vote.objects.filter(ballot=proposal.ballot).exists()
    identifying = set()
    for member in members:
        identifying |= {str(member.pk), str(member.user_id), member.user.email, str(member.member_number)}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {BallotPaper._meta.db_table}")
        columns = [c[0] for c in cursor.description]
        rows = cursor.fetchall()
    assert len(rows) == 3
    assert sorted(columns) == sorted(["id", "ballot_id", "choice", "ranking", "member_class_slug", "cast_on"])
    for row in rows:
        values = dict(zip(columns, row, strict=True))
        # A day, never a time of day.
        assert len(str(values["cast_on"])) == 10
        assert values.pop("ballot_id") == proposal.ballot_id
        assert not identifying & {str(v) for v in values.values()}


def test_a_secret_vote_cannot_be_cast_twice(open_proposal: Any, members: list[Any], rules: Any) -> None:
    rules("general", secret=True)
    proposal = open_proposal()
    vote_cast(ballot_id=proposal.ballot_id, actor=members[1].user, choice="yes")
    with pytest.raises(Conflict) as err:
        vote_cast(ballot_id=proposal.ballot_id, actor=members[1].user, choice="no")
    assert err.value.code == ErrorCode.ALREADY_VOTED


def test_turnout_shows_only_once_enough_have_voted_and_counts_only_after_close(
    open_proposal: Any, members: list[Any], rules: Any
) -> None:
    rules("general", secret=True, participation_visible_from=3)
    proposal = open_proposal()
    for member in members[:2]:
        vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice="yes")
    view = ballot_view(ballot=proposal.ballot, member=members[0])
    assert view.turnout is None and view.participation_hidden and view.counts is None and view.has_voted
    vote_cast(ballot_id=proposal.ballot_id, actor=members[2].user, choice="no")
    view = ballot_view(ballot=Ballot.objects.get(pk=proposal.ballot_id), member=members[0])
    assert view.turnout == 3 and view.counts is None
    proposal = close_now(proposal)
    view = ballot_view(ballot=proposal.ballot, member=members[0])
    assert (view.counts.yes, view.counts.no) == (2, 1)


def test_closing_rewrites_the_papers_so_no_transaction_pairs_them_with_voters(
    open_proposal: Any, members: list[Any], rules: Any
) -> None:
    need_postgres()
    rules("general", secret=True)
    proposal = open_proposal()
    for member in members[:3]:
        vote_cast(ballot_id=proposal.ballot_id, actor=member.user, choice="yes")
    table, participations = BallotPaper._meta.db_table, Participation._meta.db_table
    query = "SELECT xmin::text FROM {} WHERE ballot_id = %s"
    close_now(proposal)
    with connection.cursor() as cursor:
        cursor.execute(query.format(table), [proposal.ballot_id])
        paper_xids = {row[0] for row in cursor.fetchall()}
        cursor.execute(query.format(participations), [proposal.ballot_id])
        participation_xids = {row[0] for row in cursor.fetchall()}
    assert len(paper_xids) == 1
    assert not paper_xids & participation_xids

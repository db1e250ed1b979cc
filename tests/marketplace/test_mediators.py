"""Member mediators, chosen by the members or appointed by the board, decide disputes they are not a party to."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError, NotAllowed
from core.models import AuditEvent
from marketplace.decisions import APPOINT_MEDIATORS_KEY
from marketplace.models import Contract, Dispute, Mediator
from marketplace.services import escrow
from marketplace.services.disputes import dispute_open, dispute_resolve
from marketplace.services.mediators import mediator_appoint, mediator_end
from marketplace.services.milestones import milestone_submit
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

# Pinned: a query per listed dispute or per mediator check would show up here. The mediator check
# reads the roles the request already worked out (one query for all of them).
NUM_MEDIATION_QUERIES = 6  # with the header's notification count


@pytest.fixture
def disputed(contract: Contract, finance: Any, fund: Any) -> Dispute:
    milestone = fund(contract.milestones.get(position=1), contract.client, finance)
    milestone_submit(milestone_id=milestone.pk, actor=contract.freelancer, message="Done.")
    dispute = dispute_open(
        milestone_id=milestone.pk, actor=contract.client, reason="quality", statement="Half of it is missing."
    )
    Dispute.objects.filter(pk=dispute.pk).update(respond_by=timezone.now() - timedelta(minutes=1))
    return dispute


@pytest.fixture
def mediator(staff: Any) -> Any:
    user = MemberFactory().user
    mediator_appoint(user=user, actor=staff, source=Mediator.Source.BOARD)
    return user


def test_a_member_mediator_decides_a_dispute_through_the_ledger(disputed: Dispute, mediator: Any) -> None:
    contract = disputed.milestone.contract
    dispute_resolve(dispute_id=disputed.pk, actor=mediator, release_cents=30_000, decision="Most was delivered.")
    disputed.refresh_from_db()
    assert disputed.status == Dispute.Status.RESOLVED
    assert disputed.mediator_id == mediator.pk
    assert (disputed.release_cents, disputed.refund_cents) == (30_000, 10_000)
    assert escrow.balances(user_id=contract.freelancer_id, currency="EUR")["available"] == 27_000
    assert AuditEvent.objects.filter(action="mediator.appointed", subject=mediator).count() == 1
    assert AuditEvent.objects.filter(
        target_type="marketplace.dispute", target_id=str(disputed.pk), action="dispute.resolved", actor=mediator
    ).exists()


def test_a_mediator_who_is_a_party_is_refused(disputed: Dispute, staff: Any) -> None:
    contract = disputed.milestone.contract
    MemberFactory(user=contract.freelancer)
    mediator_appoint(user=contract.freelancer, actor=staff, source=Mediator.Source.BOARD)
    with pytest.raises(NotAllowed) as refused:
        dispute_resolve(dispute_id=disputed.pk, actor=contract.freelancer, release_cents=40_000, decision="Mine")
    assert refused.value.message == "A party cannot mediate their own dispute."


def test_a_member_who_is_not_a_mediator_is_refused(disputed: Dispute, client: Any) -> None:
    member = MemberFactory().user
    with pytest.raises(NotAllowed) as refused:
        dispute_resolve(dispute_id=disputed.pk, actor=member, release_cents=0, decision="I think so")
    assert refused.value.message == "Only a mediator can decide a dispute."
    client.force_login(member)
    assert client.get(reverse("marketplace:mediation")).status_code == 403
    assert client.get(reverse("marketplace:dispute-detail", args=[disputed.pk])).status_code == 404
    response = client.post(
        reverse("marketplace:dispute-resolve", args=[disputed.pk]), {"release": "0", "decision": "x"}
    )
    assert response.status_code == 403


def test_an_ended_mediator_no_longer_decides(disputed: Dispute, mediator: Any, staff: Any) -> None:
    mediator_end(user=mediator, actor=staff, source=Mediator.Source.BOARD)
    with pytest.raises(NotAllowed):
        dispute_resolve(dispute_id=disputed.pk, actor=mediator, release_cents=0, decision="Late")


def test_appointing_a_non_member_is_refused(staff: Any) -> None:
    outsider = UserFactory()
    with pytest.raises(ApplicationError) as refused:
        mediator_appoint(user=outsider, actor=staff, source=Mediator.Source.BOARD)
    assert refused.value.message == "Only an active member can be appointed as mediator."
    assert not Mediator.objects.exists()


def test_only_the_board_appoints_directly(member: Any) -> None:
    with pytest.raises(NotAllowed) as refused:
        mediator_appoint(user=member.user, actor=member.user, source=Mediator.Source.BOARD)
    assert refused.value.message == "Only the board appoints mediators directly."


def test_the_members_decision_appoints_once_when_executed_twice(staff: Any) -> None:
    from core.decisions import decision_type

    chosen, leaving = MemberFactory().user, MemberFactory().user
    mediator_appoint(user=leaving, actor=staff, source=Mediator.Source.BOARD)
    kind = decision_type(APPOINT_MEDIATORS_KEY)
    payload = kind.validate_payload({"appoint": [chosen.pk], "end": [leaving.pk]})
    kind.execute(payload=payload, proposal_id=4242, actor=None)
    kind.execute(payload=payload, proposal_id=4242, actor=None)
    appointed = Mediator.objects.get(user=chosen)
    assert (appointed.source, appointed.decision_id, appointed.ended_at) == ("decision", 4242, None)
    assert not Mediator.objects.filter(user=leaving, ended_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="mediator.appointed", subject=chosen).count() == 1
    assert AuditEvent.objects.filter(action="mediator.ended", subject=leaving).count() == 1


def test_the_decision_refuses_a_non_member_with_the_exact_message() -> None:
    from core.decisions import decision_type

    outsider = UserFactory()
    with pytest.raises(ApplicationError) as refused:
        decision_type(APPOINT_MEDIATORS_KEY).validate_payload({"appoint": [outsider.pk]})
    assert refused.value.message == f"Only active members can be appointed as mediator: {outsider.pk}."


def test_the_mediation_page_lists_the_dispute_for_a_mediator(
    disputed: Dispute, mediator: Any, client: Any, django_assert_num_queries: Any
) -> None:
    client.force_login(mediator)
    client.get(reverse("marketplace:mediation"))
    with django_assert_num_queries(NUM_MEDIATION_QUERIES):
        response = client.get(reverse("marketplace:mediation"))
    assert response.status_code == 200
    assert reverse("marketplace:dispute-detail", args=[disputed.pk]) in response.content.decode()
    detail = client.get(reverse("marketplace:dispute-detail", args=[disputed.pk]))
    assert detail.status_code == 200
    assert reverse("marketplace:dispute-resolve", args=[disputed.pk]) in detail.content.decode()


def test_a_mediator_does_not_see_their_own_dispute_in_the_list(disputed: Dispute, client: Any, staff: Any) -> None:
    party = disputed.milestone.contract.freelancer
    MemberFactory(user=party)
    mediator_appoint(user=party, actor=staff, source=Mediator.Source.BOARD)
    client.force_login(party)
    response = client.get(reverse("marketplace:mediation"))
    assert response.status_code == 200
    assert reverse("marketplace:dispute-detail", args=[disputed.pk]) not in response.content.decode()


def test_the_board_appoints_from_the_mediation_page(client: Any, staff: Any) -> None:
    chosen = MemberFactory().user
    client.force_login(staff)
    response = client.post(reverse("marketplace:mediator-appoint"), {"user_id": chosen.pk}, follow=True)
    assert "The member is appointed as mediator." in response.content.decode()
    assert Mediator.objects.filter(user=chosen, source="board", appointed_by=staff, ended_at__isnull=True).exists()


def test_the_api_appoints_for_the_board_and_refuses_others(client: Any, staff: Any, member: Any) -> None:
    chosen = MemberFactory().user
    client.force_login(member.user)
    url = reverse("api-mediator-appoint")
    refused = client.post(url, {"user_id": chosen.pk}, content_type="application/json")
    assert refused.status_code == 403
    client.force_login(staff)
    outsider = UserFactory()
    bad = client.post(url, {"user_id": outsider.pk}, content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["message"] == "Only an active member can be appointed as mediator."
    made = client.post(url, {"user_id": chosen.pk}, content_type="application/json")
    assert made.status_code == 201
    assert made.json()["source"] == "board"


def test_a_member_mediator_finds_disputes_in_the_menu_until_the_appointment_ends(
    client: Any, staff: Any, mediator: Any, member: Any
) -> None:
    url = reverse("marketplace:mediation")
    client.force_login(member.user)
    assert f'href="{url}"' not in client.get(reverse("dashboard")).content.decode()
    client.force_login(mediator)
    assert f'href="{url}"' in client.get(reverse("dashboard")).content.decode()
    mediator_end(user=mediator, actor=staff, source=Mediator.Source.BOARD)
    assert f'href="{url}"' not in client.get(reverse("dashboard")).content.decode()

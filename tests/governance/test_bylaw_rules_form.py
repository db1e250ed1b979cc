"""A bylaw amendment written on the page carries the voting-rule changes the API accepts (issue 13, point 1):
each rule is a field (fractions, days, yes/no, classes, weights, the urgent procedure), a rule left on
"Choose…" keeps its value, the decision page says the changes in words, and when the amendment is carried
out the rules get a new version with them."""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from core.decisions import decision_type
from governance.builtin import BYLAW_AMENDMENT, GENERAL_RESOLUTION
from governance.models import Proposal, RuleSet
from governance.services.proposals import proposal_create
from membership.models import BylawsVersion
from tests.factories import MemberClassFactory

pytestmark = pytest.mark.django_db

ARTICLE = {"article": "2", "text": "Decisions need a quarter of the members, by secret ballot."}


@pytest.fixture(autouse=True)
def bylaws() -> None:
    BylawsVersion.objects.create(
        version="2026.1",
        text="Article 1. Name\nThe coop.\n\nArticle 2. Votes\nOne member, one vote.\n",
        effective_on=timezone.localdate(),
    )


def post(client: Any, data: dict[str, Any]) -> Any:
    return client.post(
        reverse("governance:proposal_new"),
        {"decision_key": BYLAW_AMENDMENT, "title": "Quorum of a quarter", **ARTICLE, **data},
    )


def test_rule_changes_made_on_the_page_are_the_payload_the_api_takes(members: list[Any], client_for: Any) -> None:
    makers = MemberClassFactory(slug="makers", name="Makers")
    client = client_for(members[0].user)
    response = post(
        client,
        {
            "rules_key": "general",
            "quorum": "1/4",
            "voting_days": "10",
            "secret": "True",
            "early_close": "False",
            "urgent_decision_keys": [GENERAL_RESOLUTION],
            "urgent_voting_days": "2",
            "class_weights__count": "3",
            "class_weights__0__class": makers.slug,
            "class_weights__0__weight": "2",
            "class_weights__0__cap": "49",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    proposal = Proposal.objects.get()
    api_payload = {
        **ARTICLE,
        "rules_key": "general",
        "rules": {
            "quorum_numerator": 1,
            "quorum_denominator": 4,
            "voting_days": 10,
            "secret": True,
            "early_close": False,
            "urgent_decision_keys": [GENERAL_RESOLUTION],
            "urgent_voting_days": 2,
            "class_weights": {"makers": {"weight": "2", "cap": "0.49"}},
        },
    }
    assert proposal.payload == decision_type(BYLAW_AMENDMENT).validate_payload(api_payload)

    page = client.get(proposal.get_absolute_url()).content.decode()
    for words in (
        "Quorum: 1/4",
        "Voting window (days): 10",
        "Secret ballot: Yes",
        "Class weights: Makers ×2 (at most 49%)",
    ):
        assert words in page, words
    assert "quorum_numerator" not in page and "None" not in page

    decision_type(BYLAW_AMENDMENT).execute(payload=proposal.payload, proposal_id=proposal.pk, actor=None)
    rules = RuleSet.objects.filter(key="general").order_by("-version").first()
    assert rules.adopted_by_id == proposal.pk
    assert (rules.quorum_numerator, rules.quorum_denominator, rules.voting_days) == (1, 4, 10)
    assert rules.secret and not rules.early_close and rules.class_weights == {"makers": {"weight": "2", "cap": "0.49"}}


def test_a_rule_left_on_choose_keeps_its_value_and_a_text_only_amendment_carries_no_rules(
    members: list[Any], client_for: Any
) -> None:
    client = client_for(members[0].user)
    assert post(client, {"rules_key": "general"}).status_code == 302
    assert Proposal.objects.get().payload == ARTICLE


def test_changed_rules_without_their_family_are_refused_with_a_message(members: list[Any], client_for: Any) -> None:
    response = post(client_for(members[0].user), {"voting_days": "10"})
    assert response.status_code == 200 and not Proposal.objects.exists()
    assert "Pick which voting rules the article sets" in str(response.context["form"].errors["rules_key"])


def test_rules_the_api_would_refuse_are_refused_on_the_page(members: list[Any], client_for: Any) -> None:
    response = post(client_for(members[0].user), {"rules_key": "general", "proxies_allowed": "True", "secret": "True"})
    assert response.status_code == 200 and not Proposal.objects.exists()
    assert "Proxies need an open ballot" in response.content.decode()


def test_the_amend_form_is_prefilled_with_the_rule_changes(members: list[Any], client_for: Any) -> None:
    payload = {**ARTICLE, "rules_key": "bylaw", "rules": {"threshold_numerator": 3, "threshold_denominator": 4}}
    proposal = proposal_create(
        decision_key=BYLAW_AMENDMENT, payload=payload, title="T", author=members[0].user, actor=members[0].user
    )
    page = client_for(members[0].user).get(reverse("governance:proposal_amend", args=[proposal.pk])).content.decode()
    assert '<option value="3/4" selected>' in page and '<option value="bylaw" selected>' in page

"""Finding freelancers (issue 14, point 2) and inviting them to a job: privacy, idempotence, notices, API.

Also the trust marks the cards carry (member, verified) and the skill labels in Dutch.
"""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.models import Notification
from marketplace.models import Invitation, Job, Skill
from marketplace.services.invitations import invitation_send
from membership.models import PrivacySettings
from payouts.models import PayoutAccount

pytestmark = pytest.mark.django_db


def audience(user: Any, value: str, **flags: bool) -> None:
    PrivacySettings.objects.update_or_create(user=user, defaults={"profile_audience": value, **flags})


def test_directory_lists_findable_freelancers_by_words_and_skill(make_freelancer: Any, hirer: Any) -> None:
    found = make_freelancer(display_name="Ada Lovelace")
    hidden = make_freelancer(display_name="Nina Hidden")
    audience(hidden, PrivacySettings.Audience.NOBODY)
    viewer = Client()
    viewer.force_login(hirer)

    page = viewer.get(reverse("marketplace:freelancer-list")).content.decode()
    by_skill = viewer.get(reverse("marketplace:freelancer-list"), {"skill": "django", "q": "lovelace"}).content.decode()
    no_match = viewer.get(reverse("marketplace:freelancer-list"), {"q": "kotlin"}).content.decode()

    assert "Ada Lovelace" in page and "Nina Hidden" not in page
    assert "Ada Lovelace" in by_skill
    assert "Ada Lovelace" not in no_match and "Nobody matches" in no_match
    assert found.pk


def test_visitors_see_only_profiles_open_to_everyone(make_freelancer: Any) -> None:
    signed_in_only = make_freelancer(display_name="Sam Signedin")
    public = make_freelancer(display_name="Pia Public")
    audience(public, PrivacySettings.Audience.EVERYONE)

    page = Client().get(reverse("marketplace:freelancer-list")).content.decode()
    api = Client().get(reverse("api-freelancer-directory")).json()

    assert "Pia Public" in page and "Sam Signedin" not in page
    assert [row["name"] for row in api["results"]] == ["Pia Public"]
    assert signed_in_only.pk


def test_cards_hide_rate_reviews_and_membership_when_the_person_says_so(make_freelancer: Any, hirer: Any) -> None:
    person = make_freelancer(display_name="Quinn Quiet")
    audience(person, PrivacySettings.Audience.SIGNED_IN, show_hourly_rate=False, show_reviews=False)
    viewer = Client()
    viewer.force_login(hirer)

    page = viewer.get(reverse("marketplace:freelancer-list")).content.decode()
    row = viewer.get(reverse("api-freelancer-directory")).json()["results"][0]

    assert "Quinn Quiet" in page and "an hour" not in page and "No reviews yet" not in page
    assert row["hourly_rate_cents"] is None and row["rating"] is None and row["review_count"] is None


def test_directory_runs_a_fixed_number_of_queries(
    make_freelancer: Any, hirer: Any, django_assert_num_queries: Any
) -> None:
    viewer = Client()
    viewer.force_login(hirer)
    make_freelancer()
    viewer.get(reverse("marketplace:freelancer-list"))  # warm the per-process caches
    with django_assert_num_queries(NUM_DIRECTORY_QUERIES):
        viewer.get(reverse("marketplace:freelancer-list"))
    for _ in range(5):
        make_freelancer()
    with django_assert_num_queries(NUM_DIRECTORY_QUERIES):
        viewer.get(reverse("marketplace:freelancer-list"))


# Session, user, the header (roles, unread notices), the skill filter, the count, the profiles, their skills.
NUM_DIRECTORY_QUERIES = 8


def test_verified_means_confirmed_email_and_a_checked_payout_account(make_freelancer: Any, hirer: Any) -> None:
    person = make_freelancer(display_name="Vera Verified")
    viewer = Client()
    viewer.force_login(hirer)
    before = viewer.get(reverse("api-freelancer-directory")).json()["results"][0]["is_verified"]

    PayoutAccount.objects.create(user=person, iban="NL91ABNA0417164300", holder_name="Vera Verified")
    after = viewer.get(reverse("api-freelancer-directory")).json()["results"][0]["is_verified"]
    page = viewer.get(reverse("marketplace:freelancer-public", args=[person.pk])).content.decode()

    assert (before, after) == (False, True)
    assert "badge-verified" in page and "IBAN passed the coop’s check" in page


def test_inviting_twice_makes_one_invitation_and_one_notice(job: Job, hirer: Any, freelancer: Any) -> None:
    first, created = invitation_send(job_id=job.pk, client=hirer, freelancer_id=freelancer.pk, message="Hi!")
    again, created_again = invitation_send(job_id=job.pk, client=hirer, freelancer_id=freelancer.pk)

    assert (created, created_again) == (True, False) and first.pk == again.pk
    assert Invitation.objects.count() == 1
    assert Notification.objects.filter(user=freelancer, kind="job_invitation").count() == 1


def test_a_freelancer_who_is_not_findable_cannot_be_invited(
    job: Job, hirer: Any, freelancer: Any, client_for: Any
) -> None:
    audience(freelancer, PrivacySettings.Audience.NOBODY)

    page = client_for(hirer).post(
        reverse("marketplace:freelancer-invite", args=[freelancer.pk]), {"job": job.pk, "message": ""}
    )
    api = client_for(hirer).post(
        reverse("api-invitation-send", args=[freelancer.pk]), {"job_id": job.pk}, content_type="application/json"
    )

    assert (page.status_code, api.status_code) == (404, 404)
    assert not Invitation.objects.exists()


def test_only_the_jobs_client_can_invite_to_it(job: Job, make_client: Any, freelancer: Any, client_for: Any) -> None:
    stranger = make_client()

    response = client_for(stranger).post(
        reverse("api-invitation-send", args=[freelancer.pk]), {"job_id": job.pk}, content_type="application/json"
    )

    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_client_invites_from_the_profile_and_the_freelancer_sees_it_and_proposes(
    job: Job, hirer: Any, freelancer: Any, client_for: Any
) -> None:
    profile_page = client_for(hirer).get(reverse("marketplace:freelancer-public", args=[freelancer.pk]))
    sent = client_for(hirer).post(
        reverse("marketplace:freelancer-invite", args=[freelancer.pk]), {"job": job.pk, "message": "Your portfolio!"}
    )
    twice = client_for(hirer).post(
        reverse("marketplace:freelancer-invite", args=[freelancer.pk]), {"job": job.pk, "message": ""}
    )
    me = client_for(freelancer)
    listing = me.get(reverse("marketplace:my-invitations")).content.decode()
    job_page = me.get(reverse("marketplace:job-detail", args=[job.pk])).content.decode()
    me.post(
        reverse("marketplace:proposal-create", args=[job.pk]),
        {"cover_letter": "Happy to.", "amount": "1000", "duration_days": "10"},
    )

    assert reverse("marketplace:freelancer-invite", args=[freelancer.pk]) in profile_page.content.decode()
    assert sent.status_code == 302 and twice.status_code == 302
    assert Invitation.objects.count() == 1
    assert job.title in listing and "Your portfolio!" in listing and "Send a proposal" in listing
    assert "invited you to send a proposal for this job" in job_page
    assert Invitation.objects.get().status == Invitation.Status.PROPOSED


def test_freelancer_declines_by_page_and_api_once(job: Job, hirer: Any, freelancer: Any, client_for: Any) -> None:
    invitation, _created = invitation_send(job_id=job.pk, client=hirer, freelancer_id=freelancer.pk)

    other = client_for(hirer).post(reverse("api-invitation-decline", args=[invitation.pk]))
    declined = client_for(freelancer).post(reverse("marketplace:invitation-decline", args=[invitation.pk]))
    again = client_for(freelancer).post(reverse("api-invitation-decline", args=[invitation.pk]))
    mine = client_for(freelancer).get(reverse("api-my-invitations")).json()

    assert other.status_code == 404 and declined.status_code == 302
    assert again.status_code == 409 and again.json()["code"] == "invitation_answered"
    assert mine["results"][0]["status"] == "declined"
    told = Notification.objects.filter(user=hirer, kind="job_invitation_declined")
    assert told.count() == 1, "the client is told once, not again on the refused second answer"
    assert told.get().url == reverse("marketplace:job-detail", args=[job.pk])


def test_invite_api_answers_201_then_200(job: Job, hirer: Any, freelancer: Any, client_for: Any) -> None:
    url = reverse("api-invitation-send", args=[freelancer.pk])
    first = client_for(hirer).post(url, {"job_id": job.pk, "message": "Hi"}, content_type="application/json")
    second = client_for(hirer).post(url, {"job_id": job.pk}, content_type="application/json")
    bad = client_for(hirer).post(url, {"job_id": "x"}, content_type="application/json")

    assert (first.status_code, second.status_code, bad.status_code) == (201, 200, 400)
    assert first.json()["id"] == second.json()["id"]


def test_known_skills_read_in_dutch_and_others_as_stored(db: Any) -> None:
    translation_skill = Skill.objects.create(name="Translation", slug="translation")
    own = Skill.objects.create(name="Haskell", slug="haskell")

    with translation.override("nl"):
        assert (translation_skill.label, own.label) == ("Vertalen", "Haskell")
    assert translation_skill.label == "Translation"


def test_nobody_is_invited_to_a_job_they_already_proposed_on(proposal: Any, hirer: Any, freelancer: Any) -> None:
    from core.exceptions import Conflict

    with pytest.raises(Conflict) as refused:
        invitation_send(job_id=proposal.job_id, client=hirer, freelancer_id=freelancer.pk)

    assert refused.value.code == "proposal_exists"
    assert not Invitation.objects.exists()

"""Pages render for those allowed, refuse others, and the API answers in the one error format."""

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ErrorCode as CoreErrorCode
from marketplace.exceptions import ErrorCode
from marketplace.models import Contract, Job

pytestmark = pytest.mark.django_db


def test_public_pages_render_for_visitors(client: Any, job: Job, freelancer: Any, hirer: Any) -> None:
    from membership.services import privacy_settings_update

    for person in (freelancer, hirer):
        privacy_settings_update(user=person, actor=person, profile_audience="everyone")
    for url in (
        reverse("marketplace:job-list"),
        reverse("marketplace:job-list") + "?q=booking&remote=true&posted_within_days=7&sort=newest",
        reverse("marketplace:job-detail", args=[job.pk]),
        reverse("marketplace:freelancer-public", args=[freelancer.pk]),
        reverse("marketplace:client-public", args=[hirer.pk]),
        reverse("marketplace:fees"),
    ):
        assert client.get(url).status_code == 200, url


def test_signed_in_pages_render_for_their_owner(client_for: Any, contract: Contract) -> None:
    for user in (contract.client, contract.freelancer):
        c = client_for(user)
        for name, args in (
            ("marketplace:my-jobs", []),
            ("marketplace:my-proposals", []),
            ("marketplace:contract-list", []),
            ("marketplace:contract-detail", [contract.pk]),
            ("marketplace:proposal-detail", [contract.proposal_id]),
            ("marketplace:inbox", []),
            ("marketplace:thread-detail", [contract.thread.pk]),
            ("notifications", []),
            ("notification-settings", []),
            ("marketplace:freelancer-profile-edit", []),
            ("marketplace:client-profile-edit", []),
            ("marketplace:saved-searches", []),
        ):
            assert c.get(reverse(name, args=args)).status_code == 200, name


def test_signed_in_pages_send_visitors_to_log_in(client: Any, contract: Contract) -> None:
    response = client.get(reverse("marketplace:contract-detail", args=[contract.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_mediation_list_is_for_staff(client_for: Any, freelancer: Any, staff: Any) -> None:
    assert client_for(freelancer).get(reverse("marketplace:mediation")).status_code == 403
    assert client_for(staff).get(reverse("marketplace:mediation")).status_code == 200


def test_job_form_shows_the_budget_error_and_saves_nothing(client_for: Any, hirer: Any) -> None:
    response = client_for(hirer).post(
        reverse("marketplace:job-create"),
        {"title": "T", "description": "D", "pricing_type": "fixed", "budget_min": "500", "budget_max": "100"},
    )
    assert response.status_code == 200
    assert "The upper end must be at least the lower end." in response.content.decode()
    assert not Job.objects.exists()


def test_api_creates_a_job_and_refuses_bad_input_in_one_format(client_for: Any, hirer: Any) -> None:
    c = client_for(hirer)
    payload = {"title": "Logo", "description": "A logo", "budget_min_cents": 1000, "budget_max_cents": 2000}
    created = c.post("/api/jobs/new/", {**payload, "publish": True}, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["status"] == "open"
    refused = c.post("/api/jobs/new/", {**payload, "budget_max_cents": 10}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json() == {
        "code": ErrorCode.BUDGET_INVALID,
        "message": "The budget must be more than zero, and its upper end at least its lower end.",
        "detail": {},
    }
    shape = c.post("/api/jobs/new/", {"title": "x"}, content_type="application/json")
    assert shape.status_code == 400
    assert shape.json()["code"] == CoreErrorCode.INVALID


def test_api_proposal_flow_and_the_proposers_view(client_for: Any, job: Job, freelancer: Any, hirer: Any) -> None:
    f = client_for(freelancer)
    sent = f.post(
        f"/api/jobs/{job.pk}/propose/",
        {"cover_letter": "Hi", "amount_cents": 80_000, "duration_days": 5},
        content_type="application/json",
    )
    assert sent.status_code == 201
    proposal_id = sent.json()["id"]
    again = f.post(
        f"/api/jobs/{job.pk}/propose/",
        {"cover_letter": "Hi", "amount_cents": 80_000, "duration_days": 5},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert again.json()["message"] == "You have already sent a proposal for this job."
    accepted = client_for(hirer).post(f"/api/proposals/{proposal_id}/accept/")
    assert accepted.status_code == 201
    contract = accepted.json()
    assert contract["fee_percent"] == "10.00"
    detail = f.get(f"/api/contracts/{contract['id']}/").json()
    assert detail["milestones"][0]["amount_cents"] == 80_000
    assert "cooperative's income" in detail["fee_destination"]


def test_fee_policy_bootstrap_is_refused_once_a_policy_exists(client_for: Any, staff: Any, freelancer: Any) -> None:
    response = client_for(staff).post("/api/fee-policies/bootstrap/", {"percent": "8"}, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["message"] == "A fee policy exists: the fee can now only be changed by a members' decision."
    response = client_for(freelancer).post(
        "/api/fee-policies/bootstrap/", {"percent": "8"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_openapi_schema_documents_the_marketplace_actions(client_for: Any, staff: Any) -> None:
    schema = client_for(staff).get("/api/schema/", {"format": "json"}).json()
    operations = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    for name in ("job_create", "proposal_accept", "milestone_fund", "milestone_deliver", "milestone_approve",
                 "dispute_resolve", "review_submit", "message_send", "timesheet_approve"):  # fmt: skip
        assert name in operations


def test_fee_policy_decision_type_is_registered_and_executes_once(staff: Any) -> None:
    from core.decisions import decision_type
    from marketplace.models import FeePolicy

    fee = decision_type("marketplace.fee_policy")
    payload = fee.validate_payload({"percent": "7.5", "min_cents": 50, "max_cents": None,
                                    "effective_from": "2030-01-01T00:00:00+01:00"})  # fmt: skip
    fee.execute(payload=payload, proposal_id=4242, actor=staff)
    fee.execute(payload=payload, proposal_id=4242, actor=staff)
    assert FeePolicy.objects.filter(governance_proposal_id=4242).count() == 1
    assert decision_type("marketplace.project_acceptance").label
    from core.exceptions import ApplicationError

    with pytest.raises(ApplicationError) as refused:
        fee.validate_payload({"percent": "150", "effective_from": "2030-01-01T00:00:00+01:00"})
    assert refused.value.message == "The fee percentage must be between 0 and 100, with at most two decimals."


def test_saved_search_emails_new_matches_once(
    freelancer: Any, make_job: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from marketplace.services.searches import saved_search_alert, saved_search_create

    saved = saved_search_create(user=freelancer, name="Django work", params={"q": "django"})
    saved.__class__.objects.filter(pk=saved.pk).update(last_alerted_at=timezone.now() - timedelta(hours=1))
    make_job(title="Django shop")
    make_job(title="Knitting pattern", description="Wool", skill_names=[])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert saved_search_alert(saved_search_id=saved.pk) == 1
    assert len(mail.outbox) == 1
    assert "Django shop" in mail.outbox[0].body
    assert saved_search_alert(saved_search_id=saved.pk) == 0


def test_saved_search_alert_email_has_one_click_unsubscribe_and_follows_the_setting(
    freelancer: Any, make_job: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from core.models import Notification
    from core.notifications import channel_for
    from marketplace.services.searches import saved_search_alert, saved_search_create

    saved = saved_search_create(user=freelancer, name="Django work", params={"q": "django"})
    saved.__class__.objects.filter(pk=saved.pk).update(last_alerted_at=timezone.now() - timedelta(hours=1))
    make_job(title="Django shop")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        saved_search_alert(saved_search_id=saved.pk)
    unsubscribe = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in mail.outbox[0].body

    assert client.post(unsubscribe.removeprefix(settings.SITE_URL.rstrip("/"))).status_code == 200
    assert channel_for(user_id=freelancer.pk, kind="saved_search_matches") == "app"
    saved.__class__.objects.filter(pk=saved.pk).update(last_alerted_at=timezone.now() - timedelta(hours=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert saved_search_alert(saved_search_id=saved.pk) == 1
    assert mail.outbox == []
    notices = Notification.objects.filter(user=freelancer, kind="saved_search_matches", in_app=True)
    assert notices.count() == 2


def test_email_notifications_follow_preferences(
    proposal: Any, hirer: Any, client_for: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    from coop_platform.celery import app
    from marketplace.services.messaging import message_send

    # Run the email task in-process even when a broker is configured.
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    from core.notifications import notification_settings_save

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message_send(thread_id=proposal.thread.pk, sender=proposal.freelancer, body="Question about the brief")
    assert [m.to for m in mail.outbox] == [[hirer.email]]
    notification_settings_save(user=hirer, actor=hirer, channels={"message_received": "app"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message_send(thread_id=proposal.thread.pk, sender=proposal.freelancer, body="Another")
    assert mail.outbox == []
    threads = client_for(hirer).get("/api/threads/").json()["results"]
    assert threads[0]["unread"] == 2

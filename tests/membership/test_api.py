"""Membership and privacy API: allowed, forbidden, exact error messages, query budgets."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from membership.exceptions import ErrorCode
from membership.models import AccessLogEntry, BylawsVersion, Member, PrivacySettings
from tests.factories import MemberFactory, UserFactory
from tests.membership.conftest import pay_share

pytestmark = pytest.mark.django_db


def api(user: Any | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_member_classes_are_public(worker_class: Any) -> None:
    response = api().get("/api/membership/classes/")
    assert response.status_code == 200
    assert response.json()[0]["share_total_cents"] == 10000


def test_apply_through_the_api(bylaws: BylawsVersion, worker_class: Any) -> None:
    user = UserFactory()
    response = api(user).post(
        "/api/membership/apply/",
        {"member_class": "worker", "motivation": "Own it", "bylaws_version": bylaws.pk, "accept_bylaws": True},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "applicant"
    assert response.json()["share_payment_reference"]


def test_apply_without_accepting_the_bylaws_is_refused(bylaws: BylawsVersion, worker_class: Any) -> None:
    response = api(UserFactory()).post(
        "/api/membership/apply/",
        {"member_class": "worker", "motivation": "x", "bylaws_version": bylaws.pk, "accept_bylaws": False},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": ErrorCode.BYLAWS_NOT_ACCEPTED,
        "message": "You need to accept the bylaws to become a member.",
        "detail": {},
    }


def test_apply_twice_is_a_conflict(applicant: Member, bylaws: BylawsVersion) -> None:
    response = api(applicant.user).post(
        "/api/membership/apply/",
        {"member_class": "worker", "motivation": "x", "bylaws_version": bylaws.pk, "accept_bylaws": True},
        format="json",
    )
    assert (response.status_code, response.json()["message"]) == (409, "You already have a membership record.")


def test_apply_needs_a_signed_in_user_with_a_verified_email(bylaws: BylawsVersion) -> None:
    assert api().post("/api/membership/apply/", {}, format="json").status_code == 403
    response = api(UserFactory(verified=False)).post("/api/membership/apply/", {}, format="json")
    assert response.status_code == 403
    assert response.json()["message"] == "Verify your email address before doing this."


def test_board_admits_through_the_api(applicant: Member, finance: Any) -> None:
    pay_share(applicant, finance)
    response = api(finance).post(f"/api/membership/members/{applicant.pk}/admit/")
    assert (response.status_code, response.json()["member_number"]) == (200, 1)


def test_admitting_is_staff_only(applicant: Member) -> None:
    response = api(applicant.user).post(f"/api/membership/members/{applicant.pk}/admit/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_rejecting_without_a_reason_is_refused(applicant: Member, finance: Any) -> None:
    response = api(finance).post(f"/api/membership/members/{applicant.pk}/reject/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == {"reason": ["This field is required."]}


def test_member_record_read_is_logged(admitted: Member, finance: Any) -> None:
    response = api(finance).get(f"/api/membership/members/{admitted.pk}/")
    assert response.status_code == 200
    assert response.json()["history"][-1]["to_status"] == "active"
    assert AccessLogEntry.objects.get(subject=admitted.user).context == "api:member"
    log = api(admitted.user).get("/api/privacy/access-log/").json()["results"]
    assert [(e["accessor"], e["action"]) for e in log] == [("Femke Finance", "viewed")]


def test_register_api_pins_its_queries(admitted: Member, django_assert_num_queries: Any) -> None:
    client = api(admitted.user)
    client.get("/api/membership/register/")
    with django_assert_num_queries(2) as few:
        client.get("/api/membership/register/")
    MemberFactory.create_batch(4, member_class=admitted.member_class)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/api/membership/register/")
    assert response.json()["count"] == 5


def test_register_api_is_members_only() -> None:
    response = api(UserFactory()).get("/api/membership/register/")
    assert response.status_code == 403
    assert response.json()["message"] == "Only members can see the member register."


def test_capital_api_lists_movements(admitted: Member) -> None:
    body = api(admitted.user).get("/api/membership/capital/").json()
    assert (body["shares_cents"], [m["kind"] for m in body["movements"]]) == (10000, ["share_purchase"])


def test_capital_api_for_someone_who_never_applied_is_404() -> None:
    response = api(UserFactory()).get("/api/membership/capital/")
    assert (response.status_code, response.json()["code"]) == (404, ErrorCode.NOT_A_MEMBER)


def test_resign_through_the_api(admitted: Member) -> None:
    response = api(admitted.user).post("/api/membership/resign/")
    assert response.status_code == 200
    assert response.json()["exit_effective_on"]


def test_privacy_settings_api_round_trip() -> None:
    user = UserFactory()
    body = {
        "profile_audience": "nobody",
        "show_hourly_rate": False,
        "show_location": True,
        "show_reviews": True,
        "show_membership": False,
        "show_name_in_register": False,
    }
    assert api(user).put("/api/privacy/settings/", body, format="json").json() == body
    assert PrivacySettings.objects.get(user=user).profile_audience == "nobody"


def test_privacy_settings_api_refuses_an_unknown_audience() -> None:
    response = api(UserFactory()).put("/api/privacy/settings/", {"profile_audience": "aliens"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"]["profile_audience"] == ['"aliens" is not a valid choice.']


def test_data_export_api_starts_and_reports_an_export() -> None:
    from membership.tasks import build_data_export

    user = UserFactory()
    response = api(user).post("/api/privacy/exports/")
    assert (response.status_code, response.json()["status"]) == (202, "pending")
    build_data_export(response.json()["id"])
    status = api(user).get(f"/api/privacy/exports/{response.json()['id']}/").json()
    assert status["status"] == "ready"
    assert status["download_url"].endswith("/download/")


def test_data_export_api_hides_other_peoples_exports() -> None:
    owner = UserFactory()
    export_id = api(owner).post("/api/privacy/exports/").json()["id"]
    response = api(UserFactory(is_staff=True)).get(f"/api/privacy/exports/{export_id}/")
    assert (response.status_code, response.json()["message"]) == (404, "There is no such data export.")


def test_account_delete_api_with_a_wrong_password_is_refused() -> None:
    user = UserFactory()
    response = api(user).post("/api/privacy/delete-account/", {"password": "nope"}, format="json")
    assert response.json() == {"code": ErrorCode.BAD_PASSWORD, "message": "That password is not correct.", "detail": {}}


def test_account_delete_api_deletes_the_account() -> None:
    user = UserFactory()
    response = api(user).post("/api/privacy/delete-account/", {"password": "correct-horse-battery"}, format="json")
    assert response.status_code == 204
    user.refresh_from_db()
    assert (user.is_active, user.erased_at is not None) == (False, True)


def test_privacy_catalogue_is_public() -> None:
    rows = api().get("/api/privacy/catalogue/").json()
    assert {"key": "membership.privacysettings", "on_deletion": "deleted"}.items() <= next(
        r for r in rows if r["key"] == "membership.privacysettings"
    ).items()


def test_openapi_schema_documents_the_membership_endpoints() -> None:
    schema = api().get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/membership/apply/", "/api/privacy/exports/", "/api/privacy/delete-account/"):
        assert path in schema

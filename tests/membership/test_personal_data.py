"""Every model holding personal data is in the registry; export finds every row; deletion leaves no trace."""

import io
import json
import zipfile
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import connection, models
from django.db.models import Q

from core.demo import DEMO_PASSWORD
from core.privacy import personal_data_entries, personal_data_entry, personal_data_exemption
from membership.models import AccessLogEntry, DataExport, Member, User
from membership.services import account_delete, data_export_build, member_exit, privacy_settings_update

pytestmark = pytest.mark.django_db

TEXT_TYPES = {"CharField", "TextField", "JSONField", "EmailField", "SlugField"}


def user_foreign_keys(model: type[models.Model]) -> list[models.Field]:
    label = settings.AUTH_USER_MODEL.lower()
    return [
        f
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is not None and f.related_model._meta.label_lower == label
    ]


def personal_data_models() -> list[tuple[type[models.Model], list[models.Field]]]:
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fks = user_foreign_keys(model)
        if fks or personal_data_entry(model) is not None:
            found.append((model, fks))
    return found


def build_export(user: User) -> dict[str, list[dict[str, Any]]]:
    export = DataExport.objects.create(user=user)
    data_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY, export.status
    with export.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        index = json.loads(archive.read("index.json"))
        files: dict[str, Any] = {
            row["key"]: json.loads(archive.read(row["file"])) if row["file"] else [] for row in index["files"]
        }
        files["index"] = index
        return files


def export_archive(user: User) -> tuple[list[str], dict[str, Any], str]:
    """Build an export and return its file names, its index and its README."""
    export = DataExport.objects.create(user=user)
    data_export_build(export_id=export.pk)
    export.refresh_from_db()
    with export.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        names = archive.namelist()
        return names, json.loads(archive.read("index.json")), archive.read("README.txt").decode()


@pytest.fixture
def demo(db: Any) -> None:
    call_command("seed_demo", stdout=StringIO())


@pytest.fixture
def ada(demo: None) -> User:
    """A demo freelancer and member with data in every app, plus rows in membership's own tables."""
    user = User.objects.get(email="ada@example.org")
    staff = User.objects.get(email="admin@example.org")
    privacy_settings_update(user=user, actor=user, show_location=False)
    AccessLogEntry.objects.create(subject=user, accessor=staff, action="viewed", context="staff:member_record")
    from core.tokens import token_create

    token_create(user=user, name="Laptop script")
    return user


def test_every_model_with_a_user_foreign_key_is_registered_or_exempted_with_a_reason() -> None:
    missing = sorted(
        model._meta.label
        for model, fks in personal_data_models()
        if fks and personal_data_entry(model) is None and personal_data_exemption(model) is None
    )
    assert missing == [], (
        "These models hold a foreign key to the user model but are neither registered with "
        "core.privacy.register_personal_data nor exempted with exempt_personal_data: " + ", ".join(missing)
    )


def test_export_includes_each_of_the_persons_rows_in_every_registered_model(ada: User) -> None:
    expected: dict[str, set[Any]] = {}
    for model, fks in personal_data_models():
        entry = personal_data_entry(model)
        if entry is None:
            continue
        condition = Q()
        for fk in fks:
            condition |= Q(**{fk.attname: ada.pk})
        by_foreign_key = set(model._base_manager.filter(condition).values_list("pk", flat=True)) if fks else set()
        expected[entry.key] = by_foreign_key | set(entry.rows(ada).values_list("pk", flat=True))
    files = build_export(ada)
    index = files.pop("index")
    assert {f["key"] for f in index["files"]} == {entry.key for entry in personal_data_entries()}
    checked = []
    for entry in personal_data_entries():
        rows = files[entry.key]
        pk = entry.model._meta.pk
        if isinstance(entry.secret, frozenset) and pk.name in entry.secret:
            assert len(rows) == len(expected[entry.key]), entry.key
        else:
            exported = {pk.to_python(row[pk.attname]) for row in rows}
            assert expected[entry.key] <= exported, (entry.key, expected[entry.key] - exported)
        if expected[entry.key]:
            checked.append(entry.model._meta.label)
    # The demo gives the person rows in the core, membership, allauth and payouts tables at least.
    assert {"membership.User", "membership.Member", "core.AuditEvent", "account.EmailAddress"} <= set(checked)


def test_export_is_folders_by_area_with_files_named_in_words_none_empty_and_a_readme_in_their_language(
    ada: User,
) -> None:
    from membership.privacy.archive import AREAS

    ada.preferred_language = "nl"
    ada.save(update_fields=["preferred_language"])
    names, index, readme = export_archive(ada)
    areas = {area for area, _label in AREAS}
    data_files = [name for name in names if name not in {"index.json", "README.txt"}]
    assert data_files and all(name.split("/")[0] in areas and name.count("/") == 1 for name in data_files)
    assert not any("." in name.split("/")[1].removesuffix(".json") for name in data_files)  # no table labels
    rows = {row["file"]: row["rows"] for row in index["files"] if row["file"]}
    assert set(rows) == set(data_files) and all(count > 0 for count in rows.values())
    assert "Je rechten" in readme
    assert "profile/users.json" in readme


def test_export_leaves_out_secrets(ada: User) -> None:
    files = build_export(ada)
    assert "password" not in files["membership.user"][0]
    assert files["core.apitoken"] and all("key_hash" not in row for row in files["core.apitoken"])
    assert files["membership.user"][0]["email"] == "ada@example.org"


def text_columns() -> list[tuple[str, str]]:
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                try:
                    kind = connection.introspection.get_field_type(column.type_code, column)
                except KeyError:
                    continue
                if kind in TEXT_TYPES:
                    found.append((table, column.name))
    return found


def hits(needle: str) -> list[tuple[str, str, int]]:
    quote = connection.ops.quote_name
    found = []
    with connection.cursor() as cursor:
        for table, column in text_columns():
            cursor.execute(
                f"SELECT COUNT(*) FROM {quote(table)} WHERE LOWER(CAST({quote(column)} AS TEXT)) LIKE %s",
                [f"%{needle.lower()}%"],
            )
            count = cursor.fetchone()[0]
            if count:
                found.append((table, column, count))
    return found


def end_contracts(user: User) -> None:
    """Let the person's running contracts run their course: deletion waits for them
    (marketplace's deletion guard). Set directly; ending contracts is the marketplace's own test."""
    from django.db.models import Q

    from marketplace.models import Contract

    Contract.objects.filter(Q(client=user) | Q(freelancer=user), status=Contract.Status.ACTIVE).update(
        status=Contract.Status.COMPLETED
    )


def pay_out(user: User) -> None:
    """Pay out everything the coop owes the person: deletion waits until it has (payouts' and payout
    cycles' deletion guards). The demo's 2025 cycle is approved, so her profit share is paid out first."""
    from payouts import ledger
    from payouts.cycles.models import CycleStatus, PayoutCycle
    from payouts.cycles.services import cycle_execute, cycle_execute_start
    from payouts.payments.withdrawals import withdrawal_batch_create, withdrawal_batch_settle, withdrawal_create

    finance = User.objects.get(email="finance@example.org")
    owing = PayoutCycle.objects.filter(status=CycleStatus.APPROVED, allocations__member__user=user)
    for cycle in owing:
        # Four eyes: the board approved it, finance pays it out.
        cycle_execute_start(cycle_id=cycle.pk, actor=finance)
        assert cycle_execute(cycle_id=cycle.pk).status == CycleStatus.PAID
    available = ledger.freelancer_balances(user.pk)["available"]
    if available:
        withdrawal_create(user=user, amount_cents=available, actor=user)
    # Four eyes: the admin (a superuser, so finance too) confirms the batch finance exported.
    admin = User.objects.get(email="admin@example.org")
    withdrawal_batch_settle(batch_id=withdrawal_batch_create(actor=finance).pk, actor=admin)


def test_deleted_account_leaves_neither_name_nor_email_in_any_text_column_and_the_books_balance(ada: User) -> None:
    name, email = ada.display_name, ada.email
    build_export(ada)
    assert hits(name) and hits(email)
    member = Member.objects.get(user=ada)
    member_exit(member_id=member.pk, actor=None, reason="Leaving")  # as when her notice runs out
    end_contracts(ada)
    pay_out(ada)
    account_delete(user=ada, actor=ada)
    out = StringIO()
    call_command("ledger_check", stdout=out)
    assert "Ledger OK" in out.getvalue()
    assert hits(name) == [], hits(name)
    assert hits(email) == [], hits(email)
    ada.refresh_from_db()
    assert (ada.is_active, ada.has_usable_password(), ada.display_name) == (False, False, f"Former user {ada.pk}")
    assert authenticate(email=email, password=DEMO_PASSWORD) is None
    member.refresh_from_db()
    assert member.member_number is not None

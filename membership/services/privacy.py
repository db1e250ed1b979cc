"""Writes for data sovereignty: privacy settings, the access log, data exports and account deletion."""

from __future__ import annotations

import io
import secrets
import zipfile
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import Conflict
from core.outbox import enqueue
from core.permissions import authorize
from core.privacy import Erasure, deletion_guards, personal_data_entries
from core.services import audit_log
from core.transitions import transition
from membership.exceptions import ErrorCode
from membership.models import AccessLogEntry, DataExport, Member, PrivacySettings, User
from membership.privacy.archive import write_archive
from membership.privacy.erasure import erase_entry
from membership.privacy.export import serialize_rows

PRIVACY_FIELDS = (
    "profile_audience",
    "show_hourly_rate",
    "show_location",
    "show_reviews",
    "show_membership",
    "show_name_in_register",
)


def export_ttl() -> timedelta:
    return timedelta(hours=getattr(settings, "DATA_EXPORT_TTL_HOURS", 72))


def privacy_settings_update(*, user: User, actor: User, **values: bool | str) -> PrivacySettings:
    """Save what of the user's profile others may see."""
    authorize(actor, "account.privacy_settings", user)
    unknown = set(values) - set(PRIVACY_FIELDS)
    if unknown:
        raise ValueError(f"Unknown privacy settings: {sorted(unknown)}")
    if "profile_audience" in values and values["profile_audience"] not in PrivacySettings.Audience.values:
        raise Conflict(_("Choose who can see your profile from the list."), code=ErrorCode.PRIVACY_AUDIENCE_INVALID)
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        row, _created = PrivacySettings.objects.get_or_create(user=user)
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
        audit_log(actor=actor, action="privacy.settings_changed", target=row, subject=user, data=values)
    return row


def access_log_record(*, accessor: User, subject_ids: Iterable[int], action: str, context: str) -> int:
    """Record that a staff member viewed or exported these people's personal data; return the count.

    Looking at one's own data is not logged.
    """
    rows = [
        AccessLogEntry(subject_id=subject_id, accessor=accessor, action=action, context=context)
        for subject_id in dict.fromkeys(subject_ids)
        if subject_id != accessor.pk
    ]
    AccessLogEntry.objects.bulk_create(rows)
    return len(rows)


def data_export_request(*, user: User, actor: User) -> DataExport:
    """Start building a "download my data" archive; the task runs after commit."""
    from membership.tasks import build_data_export

    authorize(actor, "account.export_data", user)
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        running = DataExport.objects.filter(
            user=user, status__in=[DataExport.Status.PENDING, DataExport.Status.RUNNING]
        ).first()
        if running is not None:
            raise Conflict(
                _("Your data is already being collected. Wait until it is ready."), code=ErrorCode.EXPORT_IN_PROGRESS
            )
        export = DataExport.objects.create(user=user)
        audit_log(actor=actor, action="data_export.requested", target=export, subject=user)
        enqueue(build_data_export, export.pk)
    return export


def _build_archive(export: DataExport) -> bytes:
    entries = personal_data_entries()
    buffer = io.BytesIO()

    def progress(done: int) -> None:
        # Outside the final transaction on purpose, so the status page can show the progress.
        DataExport.objects.filter(pk=export.pk).update(progress=min(99, done * 100 // len(entries)))

    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        write_archive(
            archive,
            entries,
            lambda entry: serialize_rows(entry, export.user),
            user_id=export.user_id,
            language=export.user.preferred_language or settings.LANGUAGE_CODE,
            progress=progress,
        )
    return buffer.getvalue()


def data_export_build(*, export_id: int) -> DataExport | None:
    """Build the archive of a requested export; safe to run twice (a finished export is left as is).

    A running export is built again from the start: the worker that ran it died on the way.
    """
    with transaction.atomic():
        export = DataExport.objects.select_for_update().select_related("user").filter(pk=export_id).first()
        if export is None or export.status not in {DataExport.Status.PENDING, DataExport.Status.RUNNING}:
            return export
        export.progress = 0
        if export.status == DataExport.Status.PENDING:
            transition(export, DataExport.Status.RUNNING, actor=None, update_fields=["progress"], subject=export.user)
        else:
            export.save(update_fields=["progress", "updated_at"])
    try:
        content = _build_archive(export)
    except Exception:
        _data_export_fail(export_id)
        raise
    with transaction.atomic():
        export = DataExport.objects.select_for_update().select_related("user").get(pk=export_id)
        if export.status != DataExport.Status.RUNNING:
            return export
        name = default_storage.save(
            f"private/exports/{export.user_id}/{secrets.token_urlsafe(24)}.zip", ContentFile(content)
        )
        now = timezone.now()
        export.file.name = name
        export.progress = 100
        export.finished_at = now
        export.expires_at = now + export_ttl()
        transition(
            export,
            DataExport.Status.READY,
            actor=None,
            update_fields=["file", "progress", "finished_at", "expires_at"],
            subject=export.user,
        )
    return export


def _data_export_fail(export_id: int) -> None:
    with transaction.atomic():
        export = DataExport.objects.select_for_update().select_related("user").get(pk=export_id)
        if export.status == DataExport.Status.RUNNING:
            transition(export, DataExport.Status.FAILED, actor=None, subject=export.user)


def _delete_files(names: list[str]) -> None:
    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)


def data_export_expire(*, export_id: int) -> DataExport | None:
    """Delete an expired export's file and mark it expired (safe to repeat)."""
    with transaction.atomic():
        export = DataExport.objects.select_for_update().select_related("user").filter(pk=export_id).first()
        if export is None or export.status != DataExport.Status.READY:
            return export
        if export.expires_at is not None and export.expires_at > timezone.now():
            return export
        name = export.file.name or ""
        export.file.name = ""
        transition(export, DataExport.Status.EXPIRED, actor=None, update_fields=["file"], subject=export.user)
        # Not through the outbox: deleting a file needs no broker, so it cannot be held back by one.
        transaction.on_commit(lambda: _delete_files([name]))
    return export


def _identifiers(user: User) -> tuple[str, ...]:
    from allauth.account.models import EmailAddress

    found = {user.email, user.display_name}
    found.update(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    # Very short names would rewrite unrelated words; they are not identifying on their own.
    return tuple(sorted((i for i in found if i and len(i) >= 3), key=len, reverse=True))


def account_delete(*, user: User, actor: User) -> User:
    """Delete a person's account: erase or pseudonymise every registered kind of personal data.

    Rows the law requires (ledger, member register, audit log) stay, pointing at the user row,
    which keeps only a pseudonym; the login stops working. An open application is withdrawn
    (its share paid back); a running membership must end first.
    """
    from membership.services.members import member_application_withdraw

    authorize(actor, "account.delete", user)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.erased_at is not None:
            raise Conflict(_("This account has already been deleted."), code=ErrorCode.ACCOUNT_ALREADY_DELETED)
        for guard in deletion_guards():
            refusal = guard(user)
            if refusal:
                raise Conflict(refusal, code=ErrorCode.ACCOUNT_DELETION_BLOCKED)
        if Member.objects.filter(user=user, status=Member.Status.APPLICANT).exists():
            member_application_withdraw(user=user, actor=actor)
        erasure = Erasure(
            user_id=user.pk,
            pseudonym=f"Former user {user.pk}",
            pseudonym_email=f"former-user-{user.pk}@deleted.invalid",
            identifiers=_identifiers(user),
        )
        files = [name for name in DataExport.objects.filter(user=user).values_list("file", flat=True) if name]
        for entry in personal_data_entries():
            erase_entry(entry, erasure, user)
        user.refresh_from_db()
        audit_log(actor=user, action="user.erased", target=user, subject=user)
        # Not through the outbox: deleting files needs no broker, so it cannot be held back by one.
        transaction.on_commit(lambda: _delete_files(files))
    return user

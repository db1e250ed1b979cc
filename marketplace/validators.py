"""Checks on files people upload: a size limit and a list of harmless types."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from marketplace.exceptions import ErrorCode

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED_EXTENSIONS = frozenset(
    {"pdf", "png", "jpg", "jpeg", "gif", "webp", "txt", "md", "csv", "zip", "docx", "xlsx", "odt", "ods", "svg"}
)


def validate_upload(file: File) -> None:
    """Refuse files over 10 MB and types that are not on the list."""
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("Files may be at most 10 MB."), code=ErrorCode.FILE_TOO_LARGE)
    extension = Path(file.name or "").suffix.lower().lstrip(".")
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("Files of type .%(ext)s are not accepted.") % {"ext": extension or "?"}, code=ErrorCode.FILE_TYPE
        )


def check_upload(file: File[bytes]) -> str:
    """Run validate_upload for a service and return the file's name; refuse with an application error.

    The name is never empty: a file without one has no extension on the list.
    """
    from core.exceptions import ApplicationError

    try:
        validate_upload(file)
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], code=exc.code or ErrorCode.FILE_INVALID) from None
    return file.name or ""

"""Reads for data sovereignty: what of a profile is visible, the access log, exports, the registry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from core.permissions import can
from core.privacy import PersonalDataEntry, personal_data_entries
from membership.models import AccessLogEntry, DataExport, PrivacySettings


@dataclass(frozen=True)
class ProfileVisibility:
    """What of a person's profile a viewer may see. `profile` False means show nothing at all."""

    profile: bool
    hourly_rate: bool
    location: bool
    reviews: bool
    membership: bool


EVERYTHING = ProfileVisibility(profile=True, hourly_rate=True, location=True, reviews=True, membership=True)
NOTHING = ProfileVisibility(profile=False, hourly_rate=False, location=False, reviews=False, membership=False)


def privacy_settings_for(user: Any) -> PrivacySettings:
    """Return the user's privacy settings, or unsaved defaults when they never chose."""
    row = PrivacySettings.objects.filter(user_id=user.pk).first()
    return row if row is not None else PrivacySettings(user_id=user.pk)


def profile_visibility(user: Any, viewer: Any | None = None, *, works_with: bool = False) -> ProfileVisibility:
    """Return what of `user`'s public profile `viewer` (None: an anonymous visitor) may see.

    `works_with` is True when the viewer has a contract or proposal with the user: they always see
    the profile. The owner and the board (who keep the member records) see everything. Pass a user fetched with
    select_related("privacy_settings") to save the query.
    """
    if getattr(user, "erased_at", None) is not None:
        return NOTHING
    signed_in = viewer is not None and bool(getattr(viewer, "is_authenticated", False))
    if viewer is not None and signed_in and (viewer.pk == user.pk or can(viewer, "member.view")):
        return EVERYTHING
    try:
        row = user.privacy_settings
    except PrivacySettings.DoesNotExist:
        row = PrivacySettings(user_id=user.pk)
    audience = row.profile_audience
    visible = (
        works_with
        or audience == PrivacySettings.Audience.EVERYONE
        or (audience == PrivacySettings.Audience.SIGNED_IN and signed_in)
    )
    if not visible:
        return NOTHING
    return ProfileVisibility(
        profile=True,
        hourly_rate=row.show_hourly_rate,
        location=row.show_location,
        reviews=row.show_reviews,
        membership=row.show_membership,
    )


def access_log_for(user: Any) -> QuerySet[AccessLogEntry]:
    """Return who accessed the user's personal data, newest first."""
    return AccessLogEntry.objects.filter(subject_id=user.pk).select_related("accessor").order_by("-created_at", "-id")


def data_exports_for(user: Any) -> QuerySet[DataExport]:
    return DataExport.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def data_export_for_owner(user: Any, export_id: int) -> DataExport | None:
    """Return the user's own export; None for anyone else's."""
    return DataExport.objects.filter(pk=export_id, user_id=user.pk).first()


def personal_data_catalogue() -> list[PersonalDataEntry]:
    """Return every kind of personal data the app stores, for the privacy page."""
    return personal_data_entries()

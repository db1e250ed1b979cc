"""The my-data page: an export's expiry reads as one sentence, without a doubled full stop."""

from datetime import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from membership.models import DataExport
from membership.services import data_export_request
from membership.tasks import build_data_export
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_export_expiry_has_no_double_full_stop(client_for: Any) -> None:
    user = UserFactory()
    export = data_export_request(user=user, actor=user)
    build_data_export(export.pk)
    # The expiry ends the sentence: whatever the date format ends with, no second full stop follows.
    expires = timezone.make_aware(datetime(2031, 11, 29, 22, 40))
    DataExport.objects.filter(pk=export.pk).update(expires_at=expires)

    body = client_for(user).get(reverse("membership:data_exports")).content.decode()

    shown = formats.date_format(timezone.localtime(expires), "DATETIME_FORMAT")
    assert shown == "29 November 2031, 22:40", "the coop's English date style"
    assert f"Available until {shown}</span>" in body
    assert ".." not in body.replace("...", "")

"""The my-data page lists every archive asked for, a page at a time, at the same cost however many there are."""

from typing import Any

import pytest
from django.urls import reverse

from membership.models import DataExport
from membership.views.privacy import EXPORTS_PER_PAGE
from tests.factories import UserFactory
from tests.queries import settled_queries

pytestmark = pytest.mark.django_db


def test_every_archive_stays_reachable_at_a_fixed_cost(client_for: Any) -> None:
    user = UserFactory()
    client, url = client_for(user), reverse("membership:data_exports")

    def ask(count: int) -> list[DataExport]:
        return DataExport.objects.bulk_create(DataExport(user=user, status="failed") for _ in range(count))

    oldest = ask(3)[0]
    few = settled_queries(client, url)
    ask(EXPORTS_PER_PAGE + 2)
    assert settled_queries(client, url) == few

    first = client.get(url).content.decode()
    assert first.count('class="export-status"') == EXPORTS_PER_PAGE and f'id="export-{oldest.pk}"' not in first
    assert 'aria-label="Pages of your archives"' in first and 'href="?exports=2" rel="next"' in first
    second = client.get(url, {"exports": 2}).content.decode()
    assert f'id="export-{oldest.pk}"' in second and second.count('class="export-status"') == 5
    dutch = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'aria-label="Pagina\'s met je archieven"' in dutch

"""List pages run a fixed number of queries, whatever the number of rows."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.services.messaging import message_send

pytestmark = pytest.mark.django_db

# Pinned budgets. Each page's queries are listed in the comment next to it.
# Every signed-in page also pays for the session, the user, the navigation's member-role check and the
# notification bell's unread count.
JOB_LIST_QUERIES = 7  # + count, page of jobs (+client), skills; the filter form comes rendered from the cache
SEARCH_QUERIES = 7  # the same queries, with the search condition
PROPOSAL_LIST_QUERIES = 10  # + job, its skills and attachments, count, page of proposals (+freelancer, profile,
# rating, reviews, completed contracts, membership), their skills
CONTRACT_PAGE_QUERIES = 11  # + contract (+parties, fee, thread, number of milestones), reviews, page of milestones
# (+dispute, timesheet, payment provider), deliveries (+files), changes asked, the newest invoices, whether the
# reader gave business details (asked only while there is no invoice); a fixed-price contract reads no timesheets
THREAD_QUERIES = 12  # + thread, read marker (savepoint, select, update, release), count and page of messages,
# attachments


def _count(fn: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def test_job_list_and_search_use_a_fixed_number_of_queries(client_for: Any, make_job: Any, freelancer: Any) -> None:
    c = client_for(freelancer)
    make_job(title="Django booking page")
    # The first rendering of the filter form reads the skills; the same form again is the cache's.
    assert _count(lambda: c.get(reverse("marketplace:job-list"))) == JOB_LIST_QUERIES + 1
    c.get(reverse("marketplace:job-list"), {"q": "Django", "sort": "newest"})
    small = _count(lambda: c.get(reverse("marketplace:job-list")))
    small_search = _count(lambda: c.get(reverse("marketplace:job-list"), {"q": "Django", "sort": "newest"}))
    for n in range(15):
        make_job(title=f"Django job {n}")
    assert _count(lambda: c.get(reverse("marketplace:job-list"))) == small == JOB_LIST_QUERIES
    assert (
        _count(lambda: c.get(reverse("marketplace:job-list"), {"q": "Django", "sort": "newest"}))
        == small_search
        == SEARCH_QUERIES
    )


def test_job_search_api_uses_a_fixed_number_of_queries(
    client: Any, make_job: Any, django_assert_num_queries: Any
) -> None:
    make_job()
    # The ranking weights are read once into the cache (an hour, or until the members change them).
    with django_assert_num_queries(4):
        client.get("/api/jobs/", {"q": "booking"})
    with django_assert_num_queries(3):
        client.get("/api/jobs/", {"q": "booking"})
    for n in range(10):
        make_job(title=f"Booking job {n}")
    with django_assert_num_queries(3):
        response = client.get("/api/jobs/", {"q": "booking"})
    assert response.json()["count"] == 11


def test_proposal_list_uses_a_fixed_number_of_queries(
    client_for: Any, job: Any, make_proposal: Any, make_freelancer: Any, hirer: Any
) -> None:
    c = client_for(hirer)
    make_proposal()
    small = _count(lambda: c.get(reverse("marketplace:job-proposals", args=[job.pk])))
    api_small = _count(lambda: c.get(f"/api/jobs/{job.pk}/proposals/"))
    for _n in range(6):
        make_proposal(by=make_freelancer())
    assert _count(lambda: c.get(reverse("marketplace:job-proposals", args=[job.pk]))) == small == PROPOSAL_LIST_QUERIES
    assert _count(lambda: c.get(f"/api/jobs/{job.pk}/proposals/")) == api_small


def test_contract_page_uses_a_fixed_number_of_queries(client_for: Any, contract: Any, finance: Any, fund: Any) -> None:
    from marketplace.services.milestones import milestone_add, milestone_submit

    c = client_for(contract.client)
    first = fund(contract.milestones.get(position=1), contract.client, finance)
    milestone_submit(milestone_id=first.pk, actor=contract.freelancer, message="Here it is.")
    small = _count(lambda: c.get(reverse("marketplace:contract-detail", args=[contract.pk])))
    for n in range(5):
        extra = milestone_add(contract_id=contract.pk, actor=contract.client, title=f"Extra {n}", amount_cents=10_000)
        fund(extra, contract.client, finance)
        milestone_submit(milestone_id=extra.pk, actor=contract.freelancer, message="Here it is.")
    assert _count(lambda: c.get(reverse("marketplace:contract-detail", args=[contract.pk]))) == small
    assert small == CONTRACT_PAGE_QUERIES


def test_message_thread_uses_a_fixed_number_of_queries(client_for: Any, contract: Any) -> None:
    thread = contract.thread
    c = client_for(contract.client)
    message_send(thread_id=thread.pk, sender=contract.freelancer, body="Hello")
    c.get(reverse("marketplace:thread-detail", args=[thread.pk]))
    small = _count(lambda: c.get(reverse("marketplace:thread-detail", args=[thread.pk])))
    api_small = _count(lambda: c.get(f"/api/threads/{thread.pk}/messages/"))
    inbox_small = _count(lambda: c.get(reverse("marketplace:inbox")))
    for n in range(10):
        message_send(thread_id=thread.pk, sender=contract.freelancer if n % 2 else contract.client, body=f"Message {n}")
    assert _count(lambda: c.get(reverse("marketplace:thread-detail", args=[thread.pk]))) == small == THREAD_QUERIES
    assert _count(lambda: c.get(f"/api/threads/{thread.pk}/messages/")) == api_small
    assert _count(lambda: c.get(reverse("marketplace:inbox"))) == inbox_small

"""Growing lists show a page at a time at a fixed cost, and list queries leave unshown columns behind."""

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.services.messaging import message_send
from marketplace.services.milestones import milestone_add
from marketplace.views.contracts import MILESTONES_PER_PAGE
from marketplace.views.messaging import MESSAGES_PER_PAGE

pytestmark = pytest.mark.django_db


def _queries(fn: Any) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries), response.content.decode()


def test_a_contract_with_many_milestones_shows_them_a_page_at_a_time(
    client_for: Any, contract: Any, django_assert_num_queries: Any
) -> None:
    c = client_for(contract.client)
    url = reverse("marketplace:contract-detail", args=[contract.pk])
    c.get(url)
    small, page = _queries(lambda: c.get(url))
    assert page.count('class="card milestone"') == 2 and 'rel="next"' not in page
    for n in range(MILESTONES_PER_PAGE + 13):
        milestone_add(contract_id=contract.pk, actor=contract.client, title=f"Extra {n:02d}", amount_cents=1_000)
    with django_assert_num_queries(small):
        first = c.get(url).content.decode()
    assert first.count('class="card milestone"') == MILESTONES_PER_PAGE
    # In plan order: the plan's two milestones lead, the last additions wait on page two.
    assert "Design" in first and f"Extra {MILESTONES_PER_PAGE - 3:02d}" in first
    assert f"Extra {MILESTONES_PER_PAGE - 2:02d}" not in first
    assert 'href="?page=2" rel="next"' in first and "Page 1 of 2" in first
    with django_assert_num_queries(small):
        second = c.get(url, {"page": 2}).content.decode()
    assert second.count('class="card milestone"') == 15
    assert "Extra 32" in second and "Design" not in second
    assert 'href="?page=1" rel="prev"' in second
    # The rest of the page is still there on every page of milestones.
    assert "Add a milestone" in second


def test_a_long_thread_shows_the_newest_messages_with_older_ones_a_page_on(
    client_for: Any, contract: Any, django_assert_num_queries: Any
) -> None:
    thread = contract.thread
    c = client_for(contract.client)
    url = reverse("marketplace:thread-detail", args=[thread.pk])
    for n in range(2):
        message_send(thread_id=thread.pk, sender=contract.freelancer, body=f"Message {n:02d}")
    c.get(url)
    small, page = _queries(lambda: c.get(url))
    assert page.count('class="message-item') == 2 and "Older" not in page
    for n in range(2, MESSAGES_PER_PAGE + 5):
        message_send(thread_id=thread.pk, sender=contract.freelancer, body=f"Message {n:02d}")
    with django_assert_num_queries(small):
        newest = c.get(url).content.decode()
    assert newest.count('class="message-item') == MESSAGES_PER_PAGE
    # The newest page reads oldest first, like a chat, and starts after the five oldest.
    assert newest.index("Message 05") < newest.index("Message 34") and "Message 04" not in newest
    assert 'href="?page=2" rel="next">Older<' in newest and "hx-get" in newest
    with django_assert_num_queries(small):
        older = c.get(url, {"page": 2}).content.decode()
    assert older.count('class="message-item') == 5 and "Message 00" in older and "Message 05" not in older
    assert 'href="?page=1" rel="prev">Newer<' in older
    # An older page is not replaced by the newest messages while it is read.
    assert "hx-get" not in older
    partial = c.get(reverse("marketplace:thread-partial", args=[thread.pk])).content.decode()
    assert partial.count('class="message-item') == MESSAGES_PER_PAGE and "Message 34" in partial


def test_the_message_pager_speaks_dutch(client_for: Any, contract: Any) -> None:
    thread = contract.thread
    for n in range(MESSAGES_PER_PAGE + 1):
        message_send(thread_id=thread.pk, sender=contract.freelancer, body=f"Bericht {n}")
    c = client_for(contract.client)
    page = c.get(reverse("marketplace:thread-detail", args=[thread.pk]), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert ">Ouder<" in page and "Pagina 1 van 2" in page


def test_my_proposals_and_a_jobs_proposals_cost_the_same_for_2_and_for_31(
    client_for: Any, make_job: Any, make_proposal: Any, make_freelancer: Any, freelancer: Any, hirer: Any, job: Any
) -> None:
    mine = client_for(freelancer)
    theirs = client_for(hirer)
    my_url = reverse("marketplace:my-proposals")
    job_url = reverse("marketplace:job-proposals", args=[job.pk])
    make_proposal()
    make_proposal(by=make_freelancer())
    make_proposal(on=make_job(title="Second job"))
    mine.get(my_url)
    theirs.get(job_url)
    my_small, _ = _queries(lambda: mine.get(my_url))
    job_small, _ = _queries(lambda: theirs.get(job_url))
    for n in range(29):
        make_proposal(on=make_job(title=f"Job {n}"))
        make_proposal(by=make_freelancer())
    my_big, my_page = _queries(lambda: mine.get(my_url))
    job_big, job_page = _queries(lambda: theirs.get(job_url))
    assert (my_big, job_big) == (my_small, job_small)
    assert "Page 1 of 2" in my_page and "Page 1 of 2" in job_page


LIST_TABLES = r'FROM "marketplace_(job|freelancerprofile)"'


def _select_lists(sql: str) -> list[str]:
    """The column lists of every SELECT in a statement, with function calls such as ts_rank(...) taken out."""
    flat = sql
    while re.search(r"\([^()]*\)", flat):
        flat = re.sub(r"\([^()]*\)", "_", flat)
    return re.findall(r"SELECT (.*?) FROM ", flat, flags=re.S)


def test_job_search_and_lists_select_no_search_index_and_no_password(
    client_for: Any, make_job: Any, freelancer: Any, make_freelancer: Any
) -> None:
    make_job(title="Django booking page")
    make_freelancer()
    c = client_for(freelancer)
    pages = [
        (reverse("marketplace:job-list"), {}),
        (reverse("marketplace:job-list"), {"q": "Django"}),
        (reverse("marketplace:job-list"), {"q": "Django", "sort": "newest", "remote": "1"}),
        (reverse("marketplace:freelancer-list"), {"q": "Django"}),
        ("/api/jobs/", {"q": "Django"}),
    ]
    for url, params in pages:
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(url, params)
        assert response.status_code == 200, (url, params)
        assert "booking page" in response.content.decode() or "freelancer" in url
        # The signed-in user's own row (read by the session middleware) is not part of the list.
        listing = [q["sql"] for q in ctx.captured_queries if re.search(LIST_TABLES, q["sql"])]
        assert listing, (url, params)
        selected = " ".join(column for sql in listing for column in _select_lists(sql))
        assert "search_vector" not in selected, (url, params)
        assert "password" not in selected, (url, params)

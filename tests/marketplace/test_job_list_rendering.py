"""The job list's rows and filter form, worded in Python and kept rendered in the cache (issue 18),
read exactly as the reader expects: their language, the skills that exist, links that work."""

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_row_shows_budget_pricing_place_age_skills_and_links_to_the_job(client: Any, make_job: Any) -> None:
    job = make_job(title="Translate a museum catalogue", skill_names=["Translation", "Copywriting"], remote=True)
    html = client.get(reverse("marketplace:job-list")).content.decode()
    assert f'href="{reverse("marketplace:job-detail", args=[job.pk])}"' in html
    assert "€500.00 – €1,500.00 · Fixed price · Remote · posted just now" in html
    assert '<span class="badge">Copywriting</span><span class="badge">Translation</span>' in html
    dutch = client.get(reverse("marketplace:job-list"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "€\xa0500,00 – €\xa01.500,00 · Vaste prijs · Op afstand · zojuist geplaatst" in dutch


def test_the_cached_filter_form_follows_the_language_and_the_values_asked_for(client: Any, make_job: Any) -> None:
    make_job()
    english = client.get(reverse("marketplace:job-list")).content.decode()
    dutch = client.get(reverse("marketplace:job-list"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Any skill" in english and "Any skill" not in dutch
    remote_only = client.get(reverse("marketplace:job-list"), {"remote": "true"}).content.decode()
    assert '<option value="true" selected>' in remote_only
    assert '<option value="true" selected>' not in client.get(reverse("marketplace:job-list")).content.decode()


def test_a_new_skill_appears_in_the_filter_once_its_job_is_committed(
    client: Any, make_job: Any, django_capture_on_commit_callbacks: Any
) -> None:
    make_job(skill_names=["Django"])
    assert "Bookkeeping" not in client.get(reverse("marketplace:job-list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        make_job(title="Yearly accounts", skill_names=["Bookkeeping"])
    page = client.get(reverse("marketplace:job-list")).content.decode()
    assert '<option value="bookkeeping">' in page


def test_a_form_with_errors_is_rendered_afresh_with_its_messages(client: Any, make_job: Any) -> None:
    make_job()
    page = client.get(reverse("marketplace:job-list"), {"budget_min": "lots"}).content.decode()
    assert "Enter a number." in page or "Enter an amount" in page


def test_a_rows_texts_are_escaped_and_its_excerpt_cut_as_truncator_cuts_it(client: Any, make_job: Any) -> None:
    from django.utils.text import Truncator

    from marketplace.views.jobs import excerpt

    long = " ".join(f"word{n}" for n in range(60))
    for text in ("", "One  two\nthree", long, f"{long} …", " ".join(["w"] * 40), " ".join(["w"] * 41)):
        assert excerpt(text) == Truncator(text).words(40, truncate=" …"), text
    make_job(title='<script>alert("x")</script> & co', description=f"<b>{long}</b>", skill_names=["<i>Bold</i>"])
    html = client.get(reverse("marketplace:job-list")).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in html
    assert "&lt;b&gt;word0" in html and "word39 …" in html and "word40" not in html
    assert '<span class="badge">&lt;i&gt;Bold&lt;/i&gt;</span>' in html

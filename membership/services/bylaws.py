"""Amend the bylaws: a new version in force from today, with one article's text replaced."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.services import audit_log
from membership.models import BylawsVersion


def article_replace(text: str, article: str, new_text: str) -> str:
    """Return the bylaws text with the body of "Article <article>." replaced, or the article added.

    An article runs from its heading line ("Article 4. Leaving") to the next heading or the end;
    the heading stays, the body becomes `new_text`.
    """
    body = new_text.strip()
    pattern = re.compile(rf"(?ms)^Article\s+{re.escape(article)}\.[^\n]*\n(.*?)(?=^Article\s|\Z)")
    match = pattern.search(text)
    if match is None:
        return f"{text.rstrip()}\n\nArticle {article}.\n{body}\n"
    following = text[match.end(1) :]
    return f"{text[: match.start(1)]}{body}\n{chr(10) if following else ''}{following}"


@transaction.atomic
def bylaws_amend(*, article: str, text: str, source: str, actor: Any | None) -> BylawsVersion:
    """Put in force, from today, the current bylaws with the article amended; once per `source`.

    `source` names what adopted the amendment (a members' decision): the version is called after
    it, so carrying out the same decision again returns the version it made the first time.
    """
    today = timezone.localdate()
    name = f"{today:%Y}-{source}"
    existing = BylawsVersion.objects.filter(version=name).first()
    if existing is not None:
        return existing
    current = (
        BylawsVersion.objects.select_for_update()
        .filter(effective_on__lte=today)
        .order_by("-effective_on", "-id")
        .first()
    )
    base = current.text if current is not None else ""
    version = BylawsVersion.objects.create(version=name, text=article_replace(base, article, text), effective_on=today)
    audit_log(
        actor=actor,
        action="bylaws.amended",
        target=version,
        data={"article": article, "source": source, "previous": current.version if current else None},
    )
    return version

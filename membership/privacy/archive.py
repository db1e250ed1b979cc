"""The "download my data" archive as a person reads it.

One folder per area of their life in the coop (profile, jobs and contracts, messages, money,
membership, votes, access log), one JSON file per kind of data named in words ("proposals.json"),
no file for a kind of data we hold nothing of, and a README in the person's language that says
what each file holds and which rights they have and how to use them in the app. index.json maps
each registered kind of data (core.privacy) to its file, so completeness stays checkable.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.privacy import PersonalDataEntry

# Folder names stay English (portable file names); the README explains them in the person's language.
AREAS: list[tuple[str, Any]] = [
    ("profile", gettext_lazy("Profile: your account, public profiles and settings")),
    ("jobs-and-contracts", gettext_lazy("Jobs and contracts: jobs, proposals, contracts, milestones, reviews")),
    ("messages", gettext_lazy("Messages: conversations and notifications")),
    ("money", gettext_lazy("Money: payments, earnings, withdrawals and payouts")),
    ("membership", gettext_lazy("Membership: your member record, shares and bylaws")),
    ("votes", gettext_lazy("Votes: proposals, votes, elections and proxies")),
    ("access-log", gettext_lazy("Access log: who looked at your data and what was done with your account")),
]
AREA_BY_APP = {
    "marketplace": "jobs-and-contracts",
    "governance": "votes",
    "payouts": "money",
    "payout_cycles": "money",
    "stripe_gateway": "money",
    "membership": "membership",
    "account": "profile",
    "mfa": "profile",
    "core": "profile",
}
AREA_BY_KEY = {
    "membership.user": "profile",
    "membership.privacysettings": "profile",
    "marketplace.freelancerprofile": "profile",
    "marketplace.clientprofile": "profile",
    "marketplace.savedsearch": "profile",
    "core.notificationsetting": "profile",
    "marketplace.message": "messages",
    "marketplace.messageattachment": "messages",
    "marketplace.thread": "messages",
    "marketplace.threadreadstate": "messages",
    "core.notification": "messages",
    "membership.accesslogentry": "access-log",
    "core.auditevent": "access-log",
    "core.idempotencykey": "access-log",
    "membership.dataexport": "access-log",
    "membership.dataexportstatuschange": "access-log",
}


def area_of(entry: PersonalDataEntry) -> str:
    return AREA_BY_KEY.get(entry.key) or AREA_BY_APP.get(entry.key.split(".")[0], "profile")


def write_archive(
    archive: zipfile.ZipFile,
    entries: list[PersonalDataEntry],
    rows_of: Callable[[PersonalDataEntry], list[dict[str, Any]]],
    *,
    user_id: int,
    language: str,
    progress: Callable[[int], None] = lambda done: None,
) -> None:
    """Write every entry's rows into its area's folder, then index.json and the README."""
    index: dict[str, Any] = {"generated_at": timezone.now().isoformat(), "user_id": user_id, "files": []}
    written: dict[str, list[tuple[str, PersonalDataEntry, int]]] = {area: [] for area, _label in AREAS}
    empty: list[PersonalDataEntry] = []
    used: set[str] = set()
    for done, entry in enumerate(entries, start=1):
        rows = rows_of(entry)
        path = None
        if rows:
            area = area_of(entry)
            with translation.override("en"):
                stem = slugify(str(entry.label)) or entry.key.replace(".", "-")
            path = f"{area}/{stem}.json"
            if path in used:
                path = f"{area}/{stem}-{entry.key.split('.')[0]}.json"
            used.add(path)
            archive.writestr(path, json.dumps(rows, indent=2, ensure_ascii=False))
            written[area].append((path, entry, len(rows)))
        else:
            empty.append(entry)
        index["files"].append({"key": entry.key, "file": path, "rows": len(rows)})
        progress(done)
    archive.writestr("index.json", json.dumps(index, indent=2, ensure_ascii=False))
    with translation.override(language):
        archive.writestr("README.txt", _readme(written, empty))


def _readme(written: dict[str, list[tuple[str, PersonalDataEntry, int]]], empty: list[PersonalDataEntry]) -> str:
    now = formats.date_format(timezone.localtime(), "DATETIME_FORMAT")
    lines = [
        _("Your data from the cooperative"),
        "",
        _("Collected on %(moment)s. Each folder holds one area; each file is a list of records in JSON,")
        % {"moment": now},
        _("a plain text format any spreadsheet or text editor can open. Ids link records between files."),
        "",
    ]
    for area, label in AREAS:
        files = written.get(area) or []
        if not files:
            continue
        lines += [f"{area}/ — {label}", ""]
        for path, entry, count in files:
            lines.append(f"  {path}: {entry.label} ({_('%(count)s records') % {'count': count}})")
            lines.append(f"      {entry.purpose}")
        lines.append("")
    if empty:
        lines += [_("We hold nothing of these kinds of data about you, so there is no file for them:")]
        lines += [f"  - {entry.label}" for entry in empty]
        lines.append("")
    lines += [
        _("Your rights (General Data Protection Regulation)"),
        "",
        _("- Access: this download is a copy of everything we hold about you (Privacy, Download my data)."),
        _("- Rectification: correct your details on your profile and account pages; ask the board for anything"),
        _("  you cannot change yourself."),
        _("- Erasure: delete your account under Privacy, Delete my account. Records the law makes us keep"),
        _("  (bookkeeping, the member register) are kept for the legal term with your name removed where possible."),
        _("- Portability: these files are in JSON, a common machine-readable format you can take elsewhere."),
        _("- Objection and restriction: choose who sees your profile under Privacy, Settings, or write to the"),
        _("  board to object to any other use of your data."),
        _("- Complaint: you may complain to the Dutch Data Protection Authority (Autoriteit Persoonsgegevens)."),
        "",
    ]
    return "\n".join(str(line) for line in lines)

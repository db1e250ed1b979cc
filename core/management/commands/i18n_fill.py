"""Fill translations into a .po file from a JSON object {msgid: msgstr, or [singular, plural]}."""

import json
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po, write_po
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Write translations from a JSON file into a .po file; list what is still untranslated."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("po_file")
        parser.add_argument("json_file")

    def handle(self, *args: Any, **options: Any) -> None:
        po_path = Path(options["po_file"])
        translations = json.loads(Path(options["json_file"]).read_text(encoding="utf-8"))
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale="nl")
        untranslated = []
        for message in catalog:
            if not message.id:
                continue
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            if key in translations:
                value = translations[key]
                message.string = tuple(value) if isinstance(message.id, tuple) else value
                message.flags.discard("fuzzy")
            elif not all(message.string if isinstance(message.string, tuple) else (message.string,)):
                untranslated.append(key)
        with po_path.open("wb") as handle:
            write_po(handle, catalog, width=100)
        for key in untranslated:
            self.stdout.write(f"untranslated: {key!r}")
        self.stdout.write(f"{len(untranslated)} untranslated entries left in {po_path}")

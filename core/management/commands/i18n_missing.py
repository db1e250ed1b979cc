"""List user-facing strings that have no Dutch translation; optionally append stubs to a .po file."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.i18n.catalog import missing


def _po_quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


class Command(BaseCommand):
    help = "List strings with no Dutch translation (exit 1 if any); --append writes empty entries to a .po file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--only", help="only files under this path, for example templates/marketplace")
        parser.add_argument("--append", help="a .po file to append the missing entries to, untranslated")
        parser.add_argument("--language", default="nl")

    def handle(self, *args: Any, **options: Any) -> None:
        base = Path(settings.BASE_DIR)
        rows = missing(base, options["language"], options["only"])
        chunks = []
        for path, lineno, context, message in rows:
            lines = [f"#: {path}:{lineno}"]
            if context:
                lines.append(f"msgctxt {_po_quote(context)}")
            if isinstance(message, tuple):
                lines += [
                    f"msgid {_po_quote(message[0])}",
                    f"msgid_plural {_po_quote(message[1])}",
                    'msgstr[0] ""',
                    'msgstr[1] ""',
                ]
            else:
                lines += [f"msgid {_po_quote(message)}", 'msgstr ""']
            chunks.append("\n".join(lines))
        if options["append"]:
            target = Path(options["append"])
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(
                    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                    '"Language: nl\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n',
                    encoding="utf-8",
                )
            with target.open("a", encoding="utf-8") as handle:
                for chunk in chunks:
                    handle.write("\n" + chunk + "\n")
            self.stdout.write(f"Appended {len(chunks)} entries to {target}")
            return
        for chunk in chunks:
            self.stdout.write(chunk + "\n")
        if chunks:
            raise CommandError(f"{len(chunks)} strings have no {options['language']} translation")
        self.stdout.write("Every string is translated.")

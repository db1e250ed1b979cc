"""`manage.py permission_table`: print the permission table (core.permissions) as Markdown.

The README's permission matrix is this output; a test keeps the two the same.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from core.permissions import matrix_markdown


class Command(BaseCommand):
    help = "Print who may do what (roles x actions) as the Markdown table the README shows."

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("en"):
            self.stdout.write(matrix_markdown(), ending="")

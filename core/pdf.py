"""One small PDF builder for the coop's documents (invoices, statements, annual accounts).

Built on fpdf2 (pure Python, so `make run` needs nothing else) with the DejaVu Sans font bundled in
core/fonts/, so the euro sign and accented names render and no font is fetched from a network.
Callers pass text that is already translated and amounts that are already formatted
(`Money.format`), so this module knows nothing of languages or currencies.

    doc = PdfDocument(title="Invoice 2026-0001", footer="Issued by ...")
    doc.heading("Invoice 2026-0001")
    doc.parties(Party("From", ["Ana B.V.", "Street 1"]), Party("To", ["Client Ltd", "..."]))
    doc.table([Column("Description", 4), Column("Amount", 1, align="R")], [["Logo", "€ 100,00"]])
    doc.totals([("Net", "€ 100,00"), ("Total", "€ 121,00")])
    pdf_bytes = doc.output()
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from fpdf import FPDF
from fpdf.fonts import FontFace

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "DejaVu"
BODY_SIZE = 9.5
LINE_HEIGHT = 5.0
# A fixed creation date keeps the bytes of a document the same each time it is rendered, so a
# stored document and a re-rendered one can be compared and tests can pin output.
FIXED_CREATION_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

Align = Literal["L", "R", "C"]

# fpdf2 subsets fonts with fontTools, which logs every table it prunes at INFO.
logging.getLogger("fontTools").setLevel(logging.WARNING)


@dataclass(frozen=True, slots=True)
class Party:
    """One side of a parties block: a heading ("From", "To") and the lines under it."""

    heading: str
    lines: Sequence[str]


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: its header, its relative width, and how its cells align (amounts "R")."""

    header: str
    width: float = 1.0
    align: Align = "L"


class _Document(FPDF):
    footer_text: str = ""

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT_FAMILY, size=7.5)
        self.set_text_color(90, 90, 90)
        if self.footer_text:
            self.multi_cell(0, 3.5, self.footer_text, align="C")
        self.set_text_color(0, 0, 0)


class PdfDocument:
    """An A4 portrait document written top to bottom; `output()` returns the PDF's bytes."""

    def __init__(self, *, title: str, footer: str = "", author: str = "", language: str = "en") -> None:
        pdf = _Document(orientation="P", unit="mm", format="A4")
        pdf.footer_text = footer
        pdf.set_margins(18, 18, 18)
        pdf.set_auto_page_break(auto=True, margin=22)
        pdf.add_font(FONT_FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
        pdf.add_font(FONT_FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        pdf.set_title(title)
        if author:
            pdf.set_author(author)
        pdf.set_lang(language)
        pdf.set_creation_date(FIXED_CREATION_DATE)
        pdf.set_creator("coop platform")
        pdf.add_page()
        pdf.set_font(FONT_FAMILY, size=BODY_SIZE)
        self._pdf = pdf

    @property
    def _width(self) -> float:
        return float(self._pdf.epw)

    def heading(self, text: str, *, size: float = 16) -> None:
        """Write a bold title line."""
        pdf = self._pdf
        pdf.set_font(FONT_FAMILY, "B", size)
        pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT_FAMILY, size=BODY_SIZE)
        pdf.ln(2)

    def subheading(self, text: str) -> None:
        """Write a smaller bold heading above a section."""
        self._pdf.ln(2)
        self.heading(text, size=11.5)

    def paragraph(self, text: str) -> None:
        """Write a wrapped paragraph of body text."""
        self._pdf.multi_cell(0, LINE_HEIGHT, text, new_x="LMARGIN", new_y="NEXT")
        self._pdf.ln(1.5)

    def key_values(self, rows: Sequence[tuple[str, str]]) -> None:
        """Write label/value pairs, the labels bold in a narrow column (invoice number, dates)."""
        pdf = self._pdf
        label_width = self._width * 0.32
        for label, value in rows:
            pdf.set_font(FONT_FAMILY, "B", BODY_SIZE)
            pdf.cell(label_width, LINE_HEIGHT, label)
            pdf.set_font(FONT_FAMILY, size=BODY_SIZE)
            pdf.multi_cell(0, LINE_HEIGHT, value, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    def parties(self, left: Party, right: Party) -> None:
        """Write two blocks side by side (issuer and recipient); the taller one sets the height."""
        pdf = self._pdf
        gap = 8.0
        width = (self._width - gap) / 2
        top = pdf.get_y()
        bottoms = []
        for index, party in enumerate((left, right)):
            x = pdf.l_margin + index * (width + gap)
            pdf.set_xy(x, top)
            pdf.set_font(FONT_FAMILY, "B", BODY_SIZE)
            pdf.multi_cell(width, LINE_HEIGHT, party.heading, new_x="LEFT", new_y="NEXT")
            pdf.set_font(FONT_FAMILY, size=BODY_SIZE)
            for line in party.lines:
                if line:
                    pdf.multi_cell(width, LINE_HEIGHT, line, new_x="LEFT", new_y="NEXT")
            bottoms.append(pdf.get_y())
        pdf.set_xy(pdf.l_margin, max(bottoms))
        pdf.ln(4)

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> None:
        """Write a table with a bold header row, repeated on each new page; long cells wrap."""
        pdf = self._pdf
        total = sum(column.width for column in columns) or 1.0
        widths = tuple(self._width * column.width / total for column in columns)
        aligns = tuple(column.align for column in columns)
        with pdf.table(
            col_widths=widths,
            text_align=aligns,
            line_height=LINE_HEIGHT + 0.5,
            borders_layout="HORIZONTAL_LINES",
            headings_style=FontFace(family=FONT_FAMILY, emphasis="BOLD", fill_color=(235, 235, 235)),
            repeat_headings=1,
            padding=1,
        ) as table:
            header = table.row()
            for column in columns:
                header.cell(column.header)
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(str(value))
        pdf.ln(3)

    def totals(self, rows: Sequence[tuple[str, str]], *, bold_last: bool = True) -> None:
        """Write label/amount pairs right-aligned under a table; the last (the total) in bold."""
        pdf = self._pdf
        label_width = self._width * 0.35
        amount_width = self._width * 0.2
        x = pdf.l_margin + self._width - label_width - amount_width
        for index, (label, amount) in enumerate(rows):
            bold = bold_last and index == len(rows) - 1
            pdf.set_font(FONT_FAMILY, "B" if bold else "", BODY_SIZE)
            pdf.set_x(x)
            pdf.cell(label_width, LINE_HEIGHT + 0.5, label, align="R")
            pdf.cell(amount_width, LINE_HEIGHT + 0.5, amount, align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT_FAMILY, size=BODY_SIZE)
        pdf.ln(3)

    def note(self, text: str) -> None:
        """Write small print (legal notes such as "VAT reverse charged")."""
        pdf = self._pdf
        pdf.set_font(FONT_FAMILY, size=8)
        pdf.multi_cell(0, 4, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT_FAMILY, size=BODY_SIZE)
        pdf.ln(1)

    def output(self) -> bytes:
        """Return the finished PDF."""
        return bytes(self._pdf.output())

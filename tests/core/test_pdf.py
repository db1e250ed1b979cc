"""The shared PDF builder: documents render with the bundled font, the euro sign included, the same every time."""

from core.pdf import Column, Party, PdfDocument


def _document() -> bytes:
    doc = PdfDocument(title="Factuur 2026-0001", footer="Uitgegeven door de coöperatie", language="nl")
    doc.heading("Factuur 2026-0001")
    doc.key_values([("Nummer", "2026-0001"), ("Datum", "5 december 2026")])
    doc.parties(Party("Van", ["Ana Design", "Straat 1"]), Party("Aan", ["Klant B.V.", "Brussel"]))
    doc.table(
        [Column("Omschrijving", 4), Column("Btw", 1, align="R"), Column("Bedrag", 1.2, align="R")],
        [["Logo " * 40, "21%", "€ 1.000,00"]] * 30,
    )
    doc.totals([("Netto", "€ 1.000,00"), ("Totaal", "€ 1.210,00")])
    doc.note("Btw verlegd")
    return doc.output()


def test_document_embeds_the_bundled_font_with_the_euro_sign() -> None:
    pdf = _document()
    assert pdf.startswith(b"%PDF-")
    assert b"DejaVuSans" in pdf
    # The embedded font's character map lists U+20AC, so the euro sign is drawn, not dropped.
    assert b"<20AC>" in pdf


def test_same_content_renders_the_same_bytes() -> None:
    assert _document() == _document()


def test_long_tables_continue_on_a_new_page() -> None:
    # One /Type /Pages node plus at least two /Type /Page leaves.
    assert _document().count(b"/Type /Page") >= 3

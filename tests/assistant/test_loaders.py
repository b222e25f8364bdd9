"""Loaders: every supported format read from a small real file into Blocks and metadata.

PDFs come from reportlab, DOCX from python-docx, the rest are written as text. Bad files must
raise LoadError with a reason a user can act on; nothing else may escape a loader.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.corpus import discover, is_supported, read_manifest
from assistant.documents import Block, LoadError
from assistant.loaders import SUPPORTED_SUFFIXES, load_document


def _headings(document) -> list[tuple[str, int, int | None]]:
    return [(b.text, b.level, b.page) for b in document.blocks if b.kind == "heading"]


# ---------------------------------------------------------------------------------------------
# PDF


@pytest.fixture
def acme_pdf(tmp_path: Path, build) -> Path:
    return build.pdf(tmp_path / "acme-annual-report.pdf")


def test_pdf_numbered_headings_are_heading_blocks_with_their_page(acme_pdf: Path) -> None:
    document = load_document(acme_pdf)
    assert _headings(document) == [
        ("1.1 Introduction to the plant", 3, 1),
        ("2.3 Effluent treatment", 3, 2),
        ("3.1 Energy efficiency", 3, 3),
        ("4.2 Chemical management", 3, 4),
    ]


def test_pdf_text_keeps_its_page(acme_pdf: Path) -> None:
    document = load_document(acme_pdf)
    pages = {b.page for b in document.blocks}
    assert pages == {1, 2, 3, 4}
    sludge = next(b for b in document.blocks if "activated sludge" in b.text)
    assert sludge.kind == "text" and sludge.page == 2
    boilers = next(b for b in document.blocks if "economisers" in b.text)
    assert boilers.page == 3


def test_pdf_line_end_hyphenation_is_undone(acme_pdf: Path) -> None:
    text = load_document(acme_pdf).text
    assert "reviews the national standards" in text
    assert "na-" not in text and "na- tional" not in text


def test_pdf_lines_of_one_paragraph_are_joined(acme_pdf: Path) -> None:
    document = load_document(acme_pdf)
    first = next(b for b in document.blocks if b.kind == "text")
    assert first.text.startswith("The ACME textile mill in Karachi dyes cotton fabric and discharges its wastewater")
    assert "\n" not in first.text


def test_pdf_running_footer_and_bare_page_numbers_are_removed(acme_pdf: Path) -> None:
    document = load_document(acme_pdf)
    assert "ACME Report" not in document.text
    assert "| page" not in document.text
    for block in document.blocks:
        assert not re.fullmatch(r"\d+", block.text), block
        assert not re.search(r"\b[1-4]$", block.text), block  # no page number glued to a paragraph


def test_pdf_title_comes_from_its_properties(acme_pdf: Path) -> None:
    meta = load_document(acme_pdf).meta
    assert meta.title == "ACME Annual Environmental Report"
    assert meta.doc_type == "report"


def test_pdf_bare_page_numbers_go_even_on_a_two_page_file(tmp_path: Path, build) -> None:
    path = build.pdf(tmp_path / "short.pdf", build.pdf_pages[:2], footer="")
    document = load_document(path)
    assert not any(re.search(r"(^|\s)[12]$", b.text) for b in document.blocks)
    assert [b.page for b in document.blocks if b.kind == "heading"] == [1, 2]


def test_pdf_part_heading_with_title_line_on_the_next_line(tmp_path: Path, build) -> None:
    pages = [["SECTION 2", "Legal framework", "The Act applies to all industrial units."]]
    document = load_document(build.pdf(tmp_path / "parts.pdf", pages, footer="", page_numbers=False))
    assert _headings(document) == [("SECTION 2: Legal framework", 1, 1)]


# ---------------------------------------------------------------------------------------------
# DOCX


def test_docx_heading_styles_become_headings_with_levels(tmp_path: Path, build) -> None:
    document = load_document(build.docx(tmp_path / "cp-handbook.docx"))
    assert _headings(document) == [
        ("1 Programme overview", 1, None),
        ("1.1 Audit steps", 2, None),
        ("2 Results", 1, None),
    ]


def test_docx_numbered_list_keeps_its_numbers(tmp_path: Path, build) -> None:
    texts = [b.text for b in load_document(build.docx(tmp_path / "cp-handbook.docx")).blocks]
    start = texts.index("1. Walk-through audit of the dye house")
    assert texts[start:start + 4] == [
        "1. Walk-through audit of the dye house",
        "2. Baseline measurement of water use",
        "3. Screening of options",
        "Each audit ends with a written report to the unit's management.",
    ]
    assert "- Housekeeping comes first" in texts


def test_docx_tables_and_title(tmp_path: Path, build) -> None:
    document = load_document(build.docx(tmp_path / "cp-handbook.docx"))
    assert "Condensate return | 8 percent fuel" in [b.text for b in document.blocks]
    assert document.meta.title == "Cleaner Production Programme Handbook"
    assert document.doc_id == "cp-handbook" and document.source == "cp-handbook.docx"


# ---------------------------------------------------------------------------------------------
# Markdown, plain text, HTML, CSV


def test_markdown_front_matter_becomes_metadata_not_text(tmp_path: Path, build) -> None:
    document = load_document(build.markdown(tmp_path / "sindh-epa-digest.md"))
    meta = document.meta
    assert meta.title == "Sindh Environmental Protection Act, 2014"
    assert meta.doc_type == "law-digest"
    assert meta.jurisdiction == "Sindh, Pakistan"
    assert meta.year == 2014
    assert meta.unofficial is True
    assert "doc_type" not in document.text and "---" not in document.text


def test_markdown_headings_with_levels(tmp_path: Path, build) -> None:
    document = load_document(build.markdown(tmp_path / "sindh-epa-digest.md"))
    assert [(text, level) for text, level, _ in _headings(document)] == [
        ("Sindh Environmental Protection Act", 1),
        ("Part I — Preliminary", 2),
        ("Section 1 — Short title and commencement", 3),
        ("Section 2 — Definitions", 3),
        ("Part III — The Sindh Environmental Protection Agency", 2),
        ("Section 5 — Establishment of the Agency", 3),
        ("Section 6 — Functions of the Agency", 3),
    ]
    assert document.blocks[-1] == Block(
        "text",
        "The Agency shall prepare environmental policies, take measures for the conservation of natural "
        "resources, and encourage the use of cleaner production in industry.",
    )


def test_markdown_list_items_are_separate_blocks(tmp_path: Path, build) -> None:
    path = build.markdown(tmp_path / "list.md", "## Steps\n\nIntro line\n- first item\n- second item\ncontinued\n")
    assert [b.text for b in load_document(path).blocks] == ["Steps", "Intro line", "- first item", "- second item continued"]


def test_manifest_entry_overrides_front_matter(tmp_path: Path, build) -> None:
    path = build.markdown(tmp_path / "sindh-epa-digest.md")
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(
        '["sindh-epa-digest.md"]\ntitle = "SEPA 2014 (manifest title)"\ndoc_type = "standard"\nyear = 2015\n'
        '["other.md"]\ntitle = "Other"\n',
        encoding="utf-8",
    )
    entries = read_manifest(manifest)
    assert set(entries) == {"sindh-epa-digest.md", "other.md"}
    meta = load_document(path, entries["sindh-epa-digest.md"]).meta
    assert meta.title == "SEPA 2014 (manifest title)"
    assert meta.doc_type == "standard"
    assert meta.year == 2015
    assert meta.jurisdiction == "Sindh, Pakistan"  # not in the entry: front matter still counts


def test_missing_manifest_means_no_entries(tmp_path: Path) -> None:
    assert read_manifest(tmp_path / "no-such-manifest.toml") == {}


@pytest.mark.parametrize(
    ("name", "title", "doc_type"),
    [
        ("sindh-environmental-protection-act.txt", "Sindh environmental protection act", "law-digest"),
        ("hazardous-substances-rules.txt", "Hazardous substances rules", "law-digest"),
        ("minamata-convention-notes.txt", "Minamata convention notes", "mea-digest"),
        ("montreal_protocol.txt", "Montreal protocol", "mea-digest"),
        ("green-industry-programme.txt", "Green industry programme", "programme"),
        ("site-visit-notes.txt", "Site visit notes", "report"),
        ("site-visit-notes.csv", "Site visit notes", "standard"),
        ("seqs-effluent-limits.csv", "SEQS effluent limits", "standard"),  # issue 16: was "Seqs effluent limits"
        ("sindh-eia-screening-schedules.csv", "Sindh EIA screening schedules", "standard"),
    ],
)
def test_file_without_manifest_entry_gets_inferred_metadata(tmp_path: Path, build, name, title, doc_type) -> None:
    path = tmp_path / name
    if name.endswith(".csv"):
        build.csv(path)
    else:
        path.write_text("Boilers and steam.\n\nA second paragraph.\n", encoding="utf-8")
    meta = load_document(path).meta
    assert (meta.title, meta.doc_type, meta.jurisdiction, meta.year) == (title, doc_type, "unknown", None)


def test_unknown_doc_type_in_front_matter_falls_back_to_inference(tmp_path: Path, build) -> None:
    path = build.markdown(tmp_path / "basel-convention.md", "---\ntitle: Basel\ndoc_type: memo\n---\n\nText.\n")
    assert load_document(path).meta.doc_type == "mea-digest"


def test_plain_text_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("First   paragraph\nwraps here.\n\n\nSecond paragraph.\n", encoding="utf-8")
    assert [b.text for b in load_document(path).blocks] == ["First paragraph wraps here.", "Second paragraph."]


def test_utf8_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    path.write_bytes("\ufeff## Heading\n\nCafé effluent.\n".encode())
    assert [b.text for b in load_document(path).blocks] == ["Heading", "Café effluent."]


def test_html_headings_paragraphs_and_no_script(tmp_path: Path, build) -> None:
    document = load_document(build.html(tmp_path / "sepa-approvals.html"))
    assert [(b.kind, b.text, b.level) for b in document.blocks] == [
        ("heading", "Environmental approvals", 1),
        ("text", "The Agency reviews initial environmental examinations within two months of filing.", 0),
        ("heading", "Fees", 2),
        ("text", "A review fee is charged for each filing.", 0),
        ("text", "IEE | 10,000 rupees", 0),
    ]
    for hidden in ("analytics beacon", "do not index", "color: red", "Contact"):
        assert hidden not in document.text
    assert document.meta.title == "SEPA approvals page"


def test_csv_rows_become_labelled_records(tmp_path: Path, build) -> None:
    """Rows are numbered as a spreadsheet shows them: the header is row 1."""
    document = load_document(build.csv(tmp_path / "effluent-limits.csv"))
    assert [(b.kind, b.label, b.text) for b in document.blocks] == [
        (
            "record",
            "Row 2: Chemical oxygen demand (COD)",
            "parameter: Chemical oxygen demand (COD); unit: mg/L; into inland waters: 150; into sea: 400.",
        ),
        ("record", "Row 3: Total suspended solids (TSS)", "parameter: Total suspended solids (TSS); unit: mg/L; into inland waters: 200."),
        ("record", "Row 4: pH", "parameter: pH; into inland waters: 6-9; into sea: 6-9."),
    ]
    assert document.meta.doc_type == "standard"


def test_csv_row_numbers_match_the_spreadsheet_after_a_blank_row(tmp_path: Path, build) -> None:
    path = build.csv(tmp_path / "limits.csv", "parameter,limit\nCOD,150\n\nBOD,80\n")
    # A spreadsheet shows: row 1 header, row 2 COD, row 3 empty, row 4 BOD.
    assert [b.label for b in load_document(path).blocks] == ["Row 2: COD", "Row 4: BOD"]


def test_a_table_that_mixes_instruments_labels_rows_by_name_and_status(tmp_path: Path, build) -> None:
    """The screening schedules start with the year and schedule: the manifest names the column
    that names a row (the project) and marks the repealed instrument's rows."""
    path = build.csv(
        tmp_path / "schedules.csv",
        "regulations,schedule,project\n2014,I,Thermal power\n2021,II,Thermal power stations\n2021,II,Hospitals\n",
    )
    entry = {"row_label": "project", "row_status": {"column": "regulations", "values": {"2014": "repealed 2021"}}}
    blocks = load_document(path, entry).blocks
    assert [(b.label, b.status) for b in blocks] == [
        ("Row 2: Thermal power", "repealed 2021"),
        ("Row 3: Thermal power stations", ""),
        ("Row 4: Hospitals", ""),
    ]


def test_a_table_copied_from_other_documents_names_the_source_of_each_row(tmp_path: Path, build) -> None:
    """`row_printed_in` names, by a column's value, the document each row was copied from; rows
    whose value is not listed have none."""
    path = build.csv(tmp_path / "schedules.csv", "regulations,project\n2014,Thermal power\n2021,Hospitals\n2030,Ports\n")
    entry = {"row_printed_in": {"column": "regulations", "values": {"2014": "regs-2014", "2021": "regs-2021"}}}
    assert [b.printed_in for b in load_document(path, entry).blocks] == ["regs-2014", "regs-2021", ""]


def test_every_shipped_screening_row_names_the_digest_that_prints_it(build) -> None:
    rows = [p for p in build.shipped_passages(".csv") if p.doc_id == "sindh-eia-screening-schedules"]
    assert len(rows) == 221
    assert {p.printed_in for p in rows} == {
        "sindh-environmental-assessment-regulations-2021-digest",
        "sindh-iee-eia-regulations-2014-digest",
    }
    assert all(p.printed_in.startswith("sindh-iee") == ("regulations: 2014" in p.text) for p in rows)
    others = [p for p in build.shipped_passages(".csv", ".md") if p.doc_id != "sindh-eia-screening-schedules"]
    assert not any(p.printed_in for p in others)


def test_document_offsets_point_at_each_block(tmp_path: Path, build) -> None:
    for path in (build.docx(tmp_path / "a.docx"), build.markdown(tmp_path / "b.md"), build.pdf(tmp_path / "c.pdf")):
        document = load_document(path)
        for block, offset in zip(document.blocks, document.offsets, strict=True):
            assert document.text[offset:offset + len(block.text)] == block.text


# ---------------------------------------------------------------------------------------------
# Bad input: LoadError with a reason


def _bad_files(tmp_path: Path, build) -> dict[str, tuple[Path, str]]:
    """name -> (file, words its LoadError must contain)."""
    encrypted = build.pdf(tmp_path / "encrypted.pdf", encrypt="secret")
    not_zip = tmp_path / "not-a-zip.docx"
    not_zip.write_bytes(b"This is plain text pretending to be a Word file.")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Effluent from the caf\xe9 kitchen.".encode("latin-1"))
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    empty_md = tmp_path / "empty.md"
    empty_md.write_bytes(b"")
    unknown = tmp_path / "data.xyz"
    unknown.write_text("some data", encoding="utf-8")
    header_only = build.csv(tmp_path / "header-only.csv", "parameter,unit\n\n")
    return {
        "corrupt": (build.corrupt_pdf(tmp_path / "corrupt.pdf"), "not a readable PDF"),
        "truncated": (build.truncated_pdf(tmp_path / "truncated.pdf", tmp_path / "scratch"), "not a readable PDF"),
        "encrypted": (encrypted, "encrypted"),
        "empty-pdf": (empty, "empty"),
        "empty-md": (empty_md, "empty"),
        "blank-pdf": (build.blank_pdf(tmp_path / "scan.pdf"), "no text could be extracted"),
        "not-zip-docx": (not_zip, "not a readable DOCX"),
        "latin1": (latin1, "UTF-8"),
        "unknown": (unknown, "unsupported file type '.xyz'"),
        "csv-header-only": (header_only, "no data rows"),
    }


BAD = ["corrupt", "truncated", "encrypted", "empty-pdf", "empty-md", "blank-pdf", "not-zip-docx", "latin1", "unknown", "csv-header-only"]


@pytest.mark.parametrize("kind", BAD)
def test_bad_files_raise_load_error_with_a_reason(tmp_path: Path, build, kind: str) -> None:
    path, words = _bad_files(tmp_path, build)[kind]
    with pytest.raises(LoadError) as raised:
        load_document(path)
    assert words in str(raised.value)


def test_non_utf8_reason_names_the_byte_and_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "latin1.md"
    path.write_bytes(b"## Heading\n\nCaf\xe9\n")
    with pytest.raises(LoadError, match=r"not UTF-8 text \(byte 0xe9 at offset 15\); save it as UTF-8"):
        load_document(path)


def test_size_and_page_limits(tmp_path: Path, build) -> None:
    pdf = build.pdf(tmp_path / "four-pages.pdf")
    with pytest.raises(LoadError, match="4 pages, over the 2-page limit"):
        load_document(pdf, max_pages=2)
    with pytest.raises(LoadError, match="over the .* MB limit"):
        load_document(pdf, max_bytes=100)
    assert load_document(pdf, max_pages=4).blocks


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    suffix=st.sampled_from(SUPPORTED_SUFFIXES),
    data=st.one_of(
        st.binary(min_size=1, max_size=600),
        st.binary(max_size=600).map(lambda b: b"%PDF-1.4\n" + b),
        st.binary(max_size=600).map(lambda b: b"PK\x03\x04" + b),
        st.text(min_size=1, max_size=300).map(str.encode),
    ),
)
def test_any_bytes_give_a_document_or_a_load_error(suffix: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            document = load_document(path)
        except LoadError as error:
            assert str(error).strip()
        else:
            assert any(block.text.strip() for block in document.blocks)


# ---------------------------------------------------------------------------------------------
# Corpus discovery


def test_discover_recurses_sorted_and_skips_hidden(tmp_path: Path) -> None:
    for name in ("b.md", "a.pdf", "sub/c.txt", ".hidden.md", ".cache/d.md", "notes.xyz"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])]
    assert found == ["a.pdf", "b.md", "notes.xyz", "sub/c.txt"]
    assert [is_supported(tmp_path / n) for n in found] == [True, True, False, True]
    assert discover([tmp_path / "b.md"]) == [tmp_path / "b.md"]

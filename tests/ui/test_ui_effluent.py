"""The "Check my effluent" tab without a server: reading pasted text and uploads, the coloured
table, the CSV download, the API function and the wiring into the app."""

from __future__ import annotations

import csv
import io
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import gradio as gr
import pytest

from assistant.settings import Settings
from assistant.standards.lab_report import LabReportError
from ui import effluent_view as view
from ui.effluent_tab import EffluentTab, limits_path

REPO = Path(__file__).resolve().parents[2]
LIMITS = REPO / "corpus" / "documents" / "seqs-effluent-limits.csv"
XSS_NAME = "<script>window.__effxss=1</script>"
IMG_NAME = '<img src=x onerror="window.__effxss=2">'


@pytest.fixture
def tab(tmp_path: Path) -> EffluentTab:
    """The tab over the shipped limits table (the corpus copy; no index)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / LIMITS.name).write_bytes(LIMITS.read_bytes())
    return EffluentTab(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"))


def statuses(checked) -> dict[str, str]:
    return {row.input_name: row.status.value for row in checked.report.rows}


# ---------------------------------------------------------------- pasted text


def test_pasted_text_with_and_without_header_gives_the_same_rows() -> None:
    with_header = view.parse_pasted('parameter,value,unit\nBOD5,185,mg/L\nCOD,"1,200",mg/L\n')
    without = view.parse_pasted('\nBOD5,185,mg/L\n\nCOD,"1,200",mg/L')
    assert with_header.rows == without.rows == (("BOD5", "185", "mg/L"), ("COD", "1,200", "mg/L"))
    assert with_header.problems == without.problems == ()


def test_header_columns_are_found_by_name_and_extra_columns_ignored() -> None:
    pasted = view.parse_pasted("Unit, Parameter ,Method,VALUE\nmg/L,COD,APHA 5220,95\n")
    assert pasted.rows == (("COD", "95", "mg/L"),)


def test_tab_separated_text_from_a_spreadsheet() -> None:
    pasted = view.parse_pasted("COD\t1,200\tmg/L\npH\t7.5\n")
    assert pasted.rows == (("COD", "1,200", "mg/L"), ("pH", "7.5", ""))


def test_unquoted_thousands_and_one_cell_lines_are_reported_and_the_rest_checked(tab: EffluentTab) -> None:
    checked = tab.run("COD,1,200,mg/L\nBOD5 185\nTSS,50,mg/L,\n", "inland")
    assert [row.input_name for row in checked.report.rows] == ["TSS"]  # a trailing comma adds no column
    assert [(p.line, p.text) for p in checked.problems] == [(1, "COD,1,200,mg/L"), (2, "BOD5 185")]
    assert 'in quotes, e.g. "1,200"' in checked.problems[0].reason
    assert "only one cell" in checked.problems[1].reason
    html = view.report_html(checked.report, checked.problems)
    assert "2 lines were not checked" in html and "Line 1 <code>COD,1,200,mg/L</code>" in html


def test_quoted_line_breaks_keep_line_numbers() -> None:
    pasted = view.parse_pasted('"Oil\nand grease",ND,mg/L\nCOD,1,2,3\n')
    assert pasted.rows == (("Oil\nand grease", "ND", "mg/L"),)
    assert pasted.problems[0].line == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Nothing to check"),
        ("  \n\n ", "Nothing to check"),
        ("parameter,value,unit\n", "no result lines follow"),
        ("Test,Result,Units\nCOD,95,mg/L", "lacks the column(s) parameter, value, unit (found 'Test', 'Result', 'Units')"),
        ("parameter,result,unit\nCOD,95,mg/L", "lacks the column(s) value"),
    ],
)
def test_input_that_cannot_be_checked_at_all_is_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(LabReportError, match=message.replace("(", r"\(").replace(")", r"\)")):
        view.parse_pasted(text)


# ---------------------------------------------------------------- checking


def test_example_report_covers_every_status(tab: EffluentTab) -> None:
    checked = tab.run(view.EXAMPLE_REPORT, "sea")
    assert checked.error == "" and checked.problems == ()
    assert statuses(checked) == {
        "BOD5": "exceeds", "COD": "exceeds", "T.S.S.": "within", "pH": "within", "Oil & Grease": "within",
        "Chromium": "within", "Colour": "unknown-parameter", "Zinc": "bad-value", "Mercury": "exceeds",
        "Chlorides": "no-limit", "Sulphate": "no-limit", "Temperature": "unit-mismatch",
    }
    assert {view.TONES[row.status] for row in checked.report.rows} == {"green", "red", "grey", "amber"}
    cod = checked.report.rows[1]
    assert (cod.value, cod.limit, cod.citation.row) == (1200.0, "≤ 400 mg/L", 5)


def test_receiving_body_must_be_chosen_and_known(tab: EffluentTab) -> None:
    assert "Choose where the effluent goes" in tab.run("COD,95,mg/L", None).error
    assert "unknown receiving body 'river'" in tab.run("COD,95,mg/L", "river").error
    assert tab.run("COD,95,mg/L", "into the sea").report.receiving.value == "sea"


def test_missing_limits_table_is_a_message_not_a_crash(tmp_path: Path) -> None:
    bare = EffluentTab(Settings(corpus_dir=tmp_path, index_dir=tmp_path / "index"))
    assert bare.run("COD,95,mg/L", "sea").error.startswith("The effluent limits table seqs-effluent-limits.csv cannot be read")


def test_limits_come_from_the_indexed_file_when_there_is_one(tmp_path: Path) -> None:
    settings = Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    indexed = SimpleNamespace(files={"seqs-effluent-limits": SimpleNamespace(path=str(LIMITS))})
    assert limits_path(settings, SimpleNamespace(snapshot=lambda: indexed)) == LIMITS
    assert limits_path(settings, SimpleNamespace(snapshot=lambda: None)) == tmp_path / "corpus" / LIMITS.name
    assert limits_path(settings, None) == tmp_path / "corpus" / LIMITS.name


def test_too_many_rows_are_refused(tab: EffluentTab) -> None:
    assert "check at most 500" in tab.run("COD,95,mg/L\n" * 501, "sea").error


# ---------------------------------------------------------------- HTML


def test_table_is_coloured_by_status_with_summary_first_and_the_citation(tab: EffluentTab) -> None:
    checked = tab.run(view.EXAMPLE_REPORT, "sea")
    html = view.report_html(checked.report)
    assert html.index("cp-eff-summary") < html.index("<table")
    assert "<strong>Discharge into the sea:</strong> 12 parameters: 4 within, 3 exceeding, 2 with no limit" in html
    assert html.count('class="cp-eff-row cp-eff-red" data-status="exceeds"') == 3
    assert html.count('class="cp-eff-row cp-eff-green"') == 4
    assert html.count('class="cp-eff-row cp-eff-grey"') == 2
    assert html.count('class="cp-eff-row cp-eff-amber"') == 3
    assert 'Chemical oxygen demand (COD)<div class="cp-sub">as given: COD</div>' in html
    assert '<td data-label="Value">1200</td>' in html and '<td data-label="Margin">+200.0%</td>' in html
    assert '<td data-label="Value">14<div class="cp-sub" title="The value converted to the limit’s unit">= 0.014</div></td>' in html
    assert '<td data-label="Value">&lt;5</td>' in html and "ND" in html
    assert 'title="Sindh Environmental Quality Standards (SEQS) 2016 for municipal and liquid industrial effluents, row 5' in html
    assert ">row 5</span>" in html and "Limits: Sindh Environmental Quality Standards (SEQS) 2016" in html
    assert 'Colour<div class="cp-sub">not matched</div>' in html


def test_every_cell_is_escaped(tab: EffluentTab) -> None:
    checked = tab.run(f'{XSS_NAME},5,mg/L\n"<img src=x onerror=""window.__effxss=2"">",<b>1</b>,<i>mg</i>\n<s>COD</s>,1,2,3\n', "inland")
    assert [row.input_name for row in checked.report.rows] == [XSS_NAME, IMG_NAME] and len(checked.problems) == 1
    html = view.report_html(checked.report, checked.problems)
    assert "<script" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;window.__effxss=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;window.__effxss=2&quot;&gt;" in html
    message = view.message_html('file <img src=x onerror="alert(1)">.csv: missing column(s)')
    assert "<img" not in message and "&lt;img" in message


def test_value_and_margin_text() -> None:
    assert view.number_text(1200.0) == "1200" and view.number_text(0.014) == "0.014" and view.number_text(1e-05) == "0.00001"
    assert view.margin_text(None) == "" and view.margin_text(200.0) == "+200.0%" and view.margin_text(0.004) == "+0.004%"


# ---------------------------------------------------------------- CSV download


def test_check_offers_the_result_as_csv(tab: EffluentTab) -> None:
    html, download = tab.check(view.EXAMPLE_REPORT, "sea")
    assert "cp-eff-table" in html and download.visible is True
    path = Path(download.value["path"])  # Gradio keeps its own copy, under the same name
    assert path.name.startswith("effluent-check-sea-") and path.suffix == ".csv"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads ≤ and °C right only with the BOM
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == view.CSV_FIELDS and len(rows) == 12
    cod = rows[1]
    assert (cod["value_given"], cod["value"], cod["status"], cod["margin_percent"], cod["seqs_row"]) == ("1,200", "1200", "exceeds", "200", "5")
    mercury = next(r for r in rows if r["parameter_given"] == "Mercury")
    assert (mercury["unit_given"], mercury["value_in_limit_unit"], mercury["limit"]) == ("ug/L", "0.014", "≤ 0.01 mg/L")
    assert {r["receiving"] for r in rows} == {"sea"}


def test_check_error_shows_a_message_and_hides_the_download(tab: EffluentTab) -> None:
    html, download = tab.check("", "sea")
    assert 'class="cp-eff-message cp-eff-amber"' in html and "Nothing to check" in html
    assert download.visible is False


def test_csv_cells_a_spreadsheet_would_run_are_defused(tab: EffluentTab) -> None:
    checked = tab.run('"=HYPERLINK(""http://x"")",5,mg/L\n@SUM(A1),-5,mg/L\n-cmd,+5,-\n', "inland")
    rows = list(csv.DictReader(io.StringIO(view.report_csv(checked.report))))
    assert [r["parameter_given"] for r in rows] == ["'=HYPERLINK(\"http://x\")", "'@SUM(A1)", "'-cmd"]
    assert [r["value_given"] for r in rows] == ["5", "-5", "+5"] and rows[2]["unit_given"] == "-"


# ---------------------------------------------------------------- uploads


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def test_xlsx_upload_fills_the_box_and_is_checked(tab: EffluentTab, tmp_path: Path) -> None:
    report = write_xlsx(tmp_path / "lab.xlsx", [["Sample", "Parameter", "Value", "Unit"], ["S1", "COD", "1,200", "mg/L"], ["S1", "BOD5", 60, "mg/L"], ["S1", "pH", 7.25, None]])
    text, html, download = tab.upload(str(report), "inland")
    assert text == 'parameter,value,unit\nCOD,"1,200",mg/L\nBOD5,60,mg/L\npH,7.25,\n'
    assert "3 parameters: 2 within, 1 exceeding" in html and download.visible is True


def test_upload_without_receiving_fills_the_box_and_asks_for_it(tab: EffluentTab, tmp_path: Path) -> None:
    report = tmp_path / "lab.csv"
    report.write_text("parameter,value,unit\nCOD,95,mg/L\n", encoding="utf-8")
    text, html, _ = tab.upload(str(report), None)
    assert text == "parameter,value,unit\nCOD,95,mg/L\n" and "Choose where the effluent goes" in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.xlsx", b"PK\x03\x04 not really a workbook", "cannot open the workbook"),
        ("zipped.xlsx", None, "cannot be read as a lab report"),
        ("columns.csv", b"Test,Result\nCOD,95\n", "missing column(s) parameter, value, unit"),
        ("header-only.csv", b"parameter,value,unit\n", "no result rows"),
        ("empty.csv", b"", "the file is empty"),
        ("notes.pdf", b"%PDF-1.4", "unsupported file type '.pdf'"),
    ],
)
def test_unreadable_uploads_show_a_message(tab: EffluentTab, tmp_path: Path, name: str, content: bytes | None, message: str) -> None:
    path = tmp_path / name
    if content is None:  # a zip that is not a workbook: openpyxl fails outside its documented errors
        import zipfile

        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("[Content_Types].xml", "<not-xml")
    else:
        path.write_bytes(content)
    text, shown, download = tab.upload(str(path), "sea")
    assert text == gr.skip()  # the box keeps what the user had
    assert message in unescape(shown) and 'class="cp-eff-message' in shown and download.visible is False


def test_upload_name_is_only_shown_escaped(tab: EffluentTab, tmp_path: Path) -> None:
    path = tmp_path / '<img src=x onerror="alert(1)">.csv'
    path.write_text("Test,Result\nCOD,95\n", encoding="utf-8")
    _, html, _ = tab.upload(str(path), "sea")
    assert "<img" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;.csv: missing column(s)" in html


def test_oversized_upload_is_refused_unread(tab: EffluentTab, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"parameter,value,unit\n" + b"COD,95,mg/L\n" * 200_000)
    _, html, _ = tab.upload(str(path), "sea")
    assert "a lab report is a few kilobytes" in html


# ---------------------------------------------------------------- API and wiring


def test_api_returns_the_report_dict_with_the_lines_left_out(tab: EffluentTab) -> None:
    result = tab.api_check('COD,"1,200",mg/L\nBOD5,1,2,3\n', "sea")
    assert set(result) == {"receiving", "rows", "summary", "problems"}
    assert result["receiving"] == "sea" and result["summary"]["exceeds"] == 1
    row = result["rows"][0]
    assert (row["input"]["value"], row["value"], row["status"], row["citation"]["row"]) == ("1,200", 1200.0, "exceeds", 5)
    assert result["problems"] == [{"line": 2, "text": "BOD5,1,2,3", "reason": result["problems"][0]["reason"]}]
    with pytest.raises(gr.Error, match="Nothing to check"):
        tab.api_check("", "sea")
    with pytest.raises(gr.Error, match="unknown receiving body"):
        tab.api_check("COD,95,mg/L", "lake")


def test_app_has_the_tab_and_the_endpoint(tmp_path: Path) -> None:
    from assistant.feedback import FeedbackStore
    from ui.app import App

    settings = Settings(corpus_dir=tmp_path, index_dir=tmp_path / "index")
    bot = SimpleNamespace(settings=settings, index=SimpleNamespace(snapshot=lambda: None))
    demo = App(bot, FeedbackStore(tmp_path / "data")).blocks()
    config = demo.get_config_file()
    labels = {c["props"].get("label") for c in config["components"] if c["type"] == "tabitem"}
    assert {"Ask a question", "Check my effluent"} <= labels
    public = {d["api_name"] for d in config["dependencies"] if d.get("api_visibility", "public") == "public"}
    assert {"ask", "check_effluent"} <= public

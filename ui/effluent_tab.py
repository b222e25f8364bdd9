"""The "Check my effluent" tab and its `/check_effluent` API endpoint.

The same check as `cpassist check-effluent`, for people who have a lab report but no command
line: paste the results or upload the file, choose where the effluent goes, and read a
table coloured by status, each row citing the SEQS row it was checked against. It needs the
limits table only, never the model.

An uploaded file's rows are written into the text box before they are checked, so there is
one source of what is checked, and the user sees it and can correct it. The uploaded file's
name is the user's: it is only ever shown (escaped), never used to build a path; only the
temporary file Gradio hands over is read.

No `from __future__ import annotations` here: gr.api reads the endpoint's type hints at run time.
"""

import hashlib
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import gradio as gr

from assistant.index import Index
from assistant.settings import Settings
from assistant.standards.check import Report, check_rows
from assistant.standards.lab_report import LabReportError, read_lab_report
from assistant.standards.seqs import DOC_ID as EFFLUENT_DOC_ID
from assistant.standards.seqs import (
    Limit,
    LimitsFileError,
    load_limits,
    parse_receiving,
)
from ui import effluent_view as view
from ui.theme import RESULT_INTO_VIEW_JS

log = logging.getLogger(__name__)

API_NAME = "check_effluent"
LIMITS_FILE = "seqs-effluent-limits.csv"
RECEIVING_CHOICES = [
    ("Inland waters (nallah, river, canal)", "inland"),
    ("Sewage treatment (municipal sewer)", "sewage"),
    ("The sea (creek, coast)", "sea"),
]
# A lab report is a few kilobytes; these keep a wrong file from tying up the server or the page.
MAX_UPLOAD_BYTES = 2_000_000
MAX_ROWS = 500
PRIVATE = {"api_visibility": "private"}
INTRO = (
    "### Check my effluent\n"
    "Paste your lab's results or upload the lab report, choose where the effluent goes, and press **Check**. "
    "Each result is compared with the Sindh effluent limits (SEQS 2016) for that route, and each row cites the "
    "table row it was checked against. Lab notations such as `<0.01`, `ND`, `1,200` and `µg/L` are understood; "
    "a name or value that cannot be read with certainty is flagged, never guessed."
)
HINT = view.message_html("The results appear here: one row per parameter, coloured by status.", tone="grey")


@dataclass(frozen=True)
class Checked:
    """The outcome of one check: a report (with the pasted lines left out), or why there is none."""

    report: Report | None = None
    problems: tuple[view.LineProblem, ...] = ()
    error: str = ""


def limits_path(settings: Settings, index: Index | None) -> Path:
    """The indexed copy of the table when there is one (the copy answers cite), else the corpus copy (as the CLI)."""
    snapshot = index.snapshot() if index is not None else None
    record = snapshot.files.get(EFFLUENT_DOC_ID) if snapshot is not None else None
    return Path(record.path) if record is not None else settings.corpus_dir / LIMITS_FILE


def build() -> SimpleNamespace:
    """Create the tab's components inside the current gr.Tab; returns them by name."""
    ui = SimpleNamespace()
    gr.Markdown(INTRO, elem_id="cp-eff-intro")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=300):
            ui.lab_text = gr.Textbox(
                label="Lab results: parameter, value, unit (one per line; a header line is optional)",
                placeholder='parameter,value,unit\nBOD5,185,mg/L\nCOD,"1,200",mg/L',
                lines=9,
                max_lines=24,
                elem_id="cp-eff-text",
            )
            ui.example = gr.Button("Fill in an example lab report", size="sm", elem_id="cp-eff-example")
        with gr.Column(scale=2, min_width=260):
            ui.lab_file = gr.File(
                label="…or upload a lab report (.csv or .xlsx)", file_types=[".csv", ".xlsx"], height=150, elem_id="cp-eff-file"
            )
            ui.receiving = gr.Radio(RECEIVING_CHOICES, label="Where does the effluent go?", elem_id="cp-eff-receiving")
            ui.check = gr.Button("Check", variant="primary", elem_id="cp-eff-check")
            # Beside Check rather than under a long table, so it is found without scrolling.
            ui.download = gr.DownloadButton("Download the results (CSV)", visible=False, size="sm", elem_id="cp-eff-download")
    ui.result = gr.HTML(HINT, js_on_load=RESULT_INTO_VIEW_JS, elem_id="cp-eff-result")  # on a phone it is far below Check
    return ui


class EffluentTab:
    """The tab's handlers and API endpoint; reads the limits afresh for each check (a few ms), so an edit applies at once."""

    def __init__(self, settings: Settings, index: Index | None = None) -> None:
        self.settings = settings
        self.index = index
        self._downloads = tempfile.TemporaryDirectory(prefix="cpassist-effluent-")  # removed when the server stops

    def limits(self) -> list[Limit]:
        """The SEQS limits table; raises LimitsFileError with the reason when it cannot be used."""
        path = limits_path(self.settings, self.index)
        try:
            return load_limits(path)
        except OSError as error:
            raise LimitsFileError(f"The effluent limits table {path.name} cannot be read ({error.strerror or error}).") from None

    def run(self, lab_csv: str, receiving: str | None) -> Checked:
        """Check pasted CSV text for one receiving body; every failure becomes a message, never an exception."""
        if not receiving:
            return Checked(error="Choose where the effluent goes (inland waters, sewage treatment or the sea): each has its own limits.")
        try:
            body = parse_receiving(receiving)
            pasted = view.parse_pasted(lab_csv or "")
            if len(pasted.rows) > MAX_ROWS:
                return Checked(error=f"{len(pasted.rows)} result lines: check at most {MAX_ROWS} at a time.")
            report = check_rows(pasted.rows, self.limits(), body)
        except ValueError as error:  # LabReportError, LimitsFileError, an unknown receiving body
            return Checked(error=str(error))
        return Checked(report, pasted.problems)

    def api_check(self, lab_csv: str, receiving: str) -> dict:
        """Check lab results against the Sindh effluent limits (SEQS 2016), row by row, as `cpassist check-effluent --json`.

        Args:
            lab_csv: CSV text, one `parameter,value,unit` line per result; a header line is optional. Lab notations such as <0.01, ND, "1,200" (quoted) and ug/L are understood.
            receiving: where the effluent goes: inland, sewage or sea.
        Returns:
            {receiving, rows: [{input, parameter, value, qualifier, unit, value_in_limit_unit, limit, status, margin, reason, notes, citation}], summary, problems: [{line, text, reason}] for lines left unchecked}. Input that cannot be checked at all (empty, missing columns, unknown receiving body) is an error with the reason.
        """
        checked = self.run(lab_csv, receiving)
        if checked.report is None:
            raise gr.Error(checked.error)
        return {**checked.report.to_dict(), "problems": [problem.to_dict() for problem in checked.problems]}

    def check(self, lab_csv: str, receiving: str | None) -> tuple[str, gr.DownloadButton]:
        """The Check button: the report (or the message) and the CSV download of it."""
        checked = self.run(lab_csv, receiving)
        if checked.report is None:
            return view.message_html(checked.error), gr.DownloadButton(value=None, visible=False)
        html = view.report_html(checked.report, checked.problems)
        return html, gr.DownloadButton(value=self.write_csv(checked.report), visible=True)

    def upload(self, path: str | None, receiving: str | None) -> tuple:
        """An uploaded lab report: its rows go into the box, then are checked as if pasted."""
        if not path:
            return gr.skip(), gr.skip(), gr.skip()
        try:
            text = view.rows_to_csv(read_upload(Path(path)))
        except LabReportError as error:
            return gr.skip(), view.message_html(str(error)), gr.DownloadButton(value=None, visible=False)
        return text, *self.check(text, receiving)

    def write_csv(self, report: Report) -> str:
        """The report as a CSV file in this server's temporary folder (named by content, not by anything the user typed)."""
        text = view.report_csv(report)
        digest = hashlib.sha256(text.encode()).hexdigest()[:10]
        path = Path(self._downloads.name) / f"effluent-check-{report.receiving.value}-{digest}.csv"
        path.write_text(text, encoding="utf-8-sig")  # the BOM makes Excel read ≤ and °C correctly
        return str(path)

    def wire(self, ui: SimpleNamespace) -> None:
        """Connect the tab's events and publish the API endpoint."""
        results = [ui.result, ui.download]
        # The example is a dye house discharging to a nallah: it says where, so Check works at once.
        ui.example.click(lambda: (view.EXAMPLE_REPORT, "inland"), None, [ui.lab_text, ui.receiving], queue=False, **PRIVATE)
        ui.check.click(self.check, [ui.lab_text, ui.receiving], results, **PRIVATE)
        ui.lab_file.upload(self.upload, [ui.lab_file, ui.receiving], [ui.lab_text, *results], **PRIVATE)
        gr.api(self.api_check, api_name=API_NAME)


def read_upload(path: Path) -> list[tuple[str, str, str]]:
    """Rows of the temporary file Gradio stored; any failure to read it is a LabReportError.

    The file comes from a stranger's disk, so a parser failure outside what read_lab_report
    expects (a malformed workbook) is reported as unreadable rather than crashing the handler.
    """
    try:
        size = path.stat().st_size
        if size > MAX_UPLOAD_BYTES:
            raise LabReportError(f"This file is {size / 1e6:.1f} MB; a lab report is a few kilobytes (at most {MAX_UPLOAD_BYTES // 1_000_000} MB).")
        rows = read_lab_report(path)
    except LabReportError:
        raise
    except Exception as error:  # noqa: BLE001 - untrusted file, third-party parser
        log.warning("uploaded lab report unreadable: %r", error)
        raise LabReportError(f"{path.name}: this file cannot be read as a lab report.") from None
    if not rows:
        raise LabReportError(f"{path.name}: the file has a header but no result rows.")
    return rows

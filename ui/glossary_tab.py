"""The "Glossary" tab: the defined terms of the indexed digests (assistant/glossary.py), each with
its definition and citation, and a fuzzy search over them (Glossary.lookup: "EIA", "tribunl").

Read from the index snapshot on every call (the glossary is cached per index generation), so a
re-ingest shows at once. Every term, definition and citation is escaped.
"""

from __future__ import annotations

from html import escape
from types import SimpleNamespace

import gradio as gr

from assistant.glossary import Glossary, GlossaryEntry, glossary_for

PRIVATE = {"api_visibility": "private"}
INTRO = (
    "### Glossary\n"
    "The terms defined in the law and convention digests, each with its definition and where it is defined. "
    "Type a term or an abbreviation (EIA, IEE, POPs…); a misspelling finds the closest terms."
)


def entry_html(entry: GlossaryEntry) -> str:
    aliases = f' <span class="cp-sub">(also “{escape("”, “".join(entry.aliases))}”)</span>' if entry.aliases else ""
    return (
        f'<article class="cp-card cp-gloss-entry"><div class="cp-card-title">{escape(entry.term)}{aliases}</div>'
        f'<div class="cp-text">{escape(entry.definition)}</div>'
        f'<div class="cp-meta">{escape(entry.citation)}</div></article>'
    )


def list_html(glossary: Glossary) -> str:
    """Every term as a table row: term, definition, citation."""
    if not len(glossary):
        return '<div class="cp-panel cp-empty">The indexed documents define no terms (no definitions section was found).</div>'
    rows = "".join(
        f"<tr><td>{escape(e.term)}</td><td>{escape(e.definition)}</td><td class=\"cp-sub\">{escape(e.citation)}</td></tr>"
        for e in glossary.sorted()
    )
    return (
        f'<div class="cp-panel cp-gloss-list"><h3>All terms <span class="cp-sub">{len(glossary)} defined</span></h3>'
        f'<table class="cp-gloss-table"><thead><tr><th scope="col">Term</th><th scope="col">Definition</th>'
        f'<th scope="col">Defined in</th></tr></thead><tbody>{rows}</tbody></table></div>'
    )


def search_html(glossary: Glossary, query: str) -> str:
    """The entries named `query`, else the closest names, else a plain 'no match'."""
    query = (query or "").strip()
    if not query:
        return ""
    entries, exact = glossary.lookup(query[:200])
    if not entries:
        return f'<div class="cp-panel cp-empty">No defined term matches “{escape(query)}”. See the full list below.</div>'
    heading = "Defined term" if exact else f"Closest terms to “{escape(query)}”"
    return f'<div class="cp-panel cp-gloss-results"><h3>{heading}</h3>{"".join(entry_html(e) for e in entries)}</div>'


def build() -> SimpleNamespace:
    ui = SimpleNamespace()
    gr.Markdown(INTRO, elem_id="cp-gloss-intro")
    with gr.Row(equal_height=True):
        ui.query = gr.Textbox(show_label=False, placeholder="Search a term, e.g. EIA", scale=5, min_width=160, elem_id="cp-gloss-query")
        ui.search = gr.Button("Search", variant="primary", scale=1, min_width=80, elem_id="cp-gloss-search")
    ui.results = gr.HTML("", js_on_load=None, elem_id="cp-gloss-results")
    ui.full = gr.HTML("", js_on_load=None, elem_id="cp-gloss-list")
    return ui


class GlossaryTab:
    def __init__(self, index) -> None:
        self.index = index

    def glossary(self) -> Glossary:
        snapshot = self.index.snapshot() if self.index is not None else None
        return glossary_for(snapshot) if snapshot is not None else Glossary()

    def search(self, query: str) -> str:
        return search_html(self.glossary(), query)

    def full_list(self) -> str:
        return list_html(self.glossary())

    def wire(self, ui: SimpleNamespace, demo: gr.Blocks) -> None:
        for trigger in (ui.query.submit, ui.search.click):
            trigger(self.search, [ui.query], [ui.results], queue=False, **PRIVATE)
        demo.load(self.full_list, None, [ui.full], queue=False, **PRIVATE)

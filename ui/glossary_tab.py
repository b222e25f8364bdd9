"""The "Glossary" tab: the defined terms of the indexed digests (assistant/glossary.py), each once
with its definition and every instrument that defines it, and a fuzzy search over them
(Glossary.lookup: "EIA", "tribunl"). A term defined only by pointing to the Act ("EIA" — in the
sense of section 2(xv) of the Act) shows the Act's definition. Each citation opens its passage
in the tab's own document view.

Read from the index snapshot on every call (the glossary is cached per index generation), so a
re-ingest shows at once. Every term, definition and citation is escaped.
"""

from __future__ import annotations

from html import escape
from types import SimpleNamespace

import gradio as gr

from assistant.glossary import (
    Glossary,
    GlossaryEntry,
    GlossarySense,
    GlossaryTerm,
    glossary_for,
)
from ui.theme import DOC_VIEW_JS

PRIVATE = {"api_visibility": "private"}
VIEW = "glossary"
DOCUMENT_HINT = '<div class="cp-panel cp-empty">Click where a term is defined to read it in its document.</div>'
INTRO = (
    "### Glossary\n"
    "The terms defined in the law and convention digests, each with its definition and where it is defined. "
    "Type a term or an abbreviation (EIA, IEE, POPs…); a misspelling finds the closest terms."
)


def cite_html(entry: GlossaryEntry) -> str:
    """Where an entry is defined, as a link that opens the passage in this tab's document view."""
    return (
        f'<a class="cp-cite" href="#cp-gloss-document" data-passage="{escape(entry.passage_id, quote=True)}" data-turn="-1"'
        f' data-view="{VIEW}">{escape(entry.location)}</a>'
    )


def _cites(sense: GlossarySense) -> str:
    return "".join(f"<li>{cite_html(entry)}</li>" for entry in sense.entries)


def _aliases(term: GlossaryTerm) -> str:
    return f' <span class="cp-sub">(also “{escape("”, “".join(term.aliases))}”)</span>' if term.aliases else ""


def _definitions(term: GlossaryTerm) -> str:
    """The definition, or each of them when instruments define the term differently."""
    if len(term.senses) == 1:
        return escape(term.senses[0].stated.definition)
    return '<ol class="cp-senses">' + "".join(f"<li>{escape(s.stated.definition)}</li>" for s in term.senses) + "</ol>"


def term_html(term: GlossaryTerm) -> str:
    """A search result: the term, its definition(s) and where each is defined."""
    cites = "".join(_cites(sense) for sense in term.senses)
    return (
        f'<article class="cp-card cp-gloss-entry"><div class="cp-card-title">{escape(term.term)}{_aliases(term)}</div>'
        f'<div class="cp-text">{_definitions(term)}</div>'
        f'<div class="cp-meta">Defined in:</div><ul class="cp-cites">{cites}</ul></article>'
    )


def list_html(glossary: Glossary) -> str:
    """Every term once, as a table row: term, definition(s), the instruments that define it."""
    if not len(glossary):
        return '<div class="cp-panel cp-empty">The indexed documents define no terms (no definitions section was found).</div>'
    terms = glossary.terms()
    rows = "".join(
        f"<tr><td>{escape(t.term)}{_aliases(t)}</td><td>{_definitions(t)}</td>"
        f'<td><ul class="cp-cites">{"".join(_cites(sense) for sense in t.senses)}</ul></td></tr>'
        for t in terms
    )
    return (
        f'<div class="cp-panel cp-gloss-list"><h3>All terms <span class="cp-sub">{len(terms)} defined</span></h3>'
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
    cards = "".join(term_html(term) for term in glossary.terms(entries))
    return f'<div class="cp-panel cp-gloss-results"><h3>{heading}</h3>{cards}</div>'


def build() -> SimpleNamespace:
    ui = SimpleNamespace()
    gr.Markdown(INTRO, elem_id="cp-gloss-intro")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=300):
            with gr.Row(equal_height=True):
                ui.query = gr.Textbox(
                    label="Search a term", show_label=False, placeholder="Search a term, e.g. EIA", scale=5, min_width=160,
                    elem_id="cp-gloss-query",
                )
                ui.search = gr.Button("Search", variant="primary", scale=1, min_width=80, elem_id="cp-gloss-search")
            ui.results = gr.HTML("", js_on_load=None, elem_id="cp-gloss-results")
            ui.full = gr.HTML("", js_on_load=None, elem_id="cp-gloss-list")
        with gr.Column(scale=2, min_width=280, elem_classes="cp-side"):
            ui.document = gr.HTML(DOCUMENT_HINT, js_on_load=DOC_VIEW_JS, elem_id="cp-gloss-document")
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

"""The "My project" tab: a plain description of a project or industrial unit in, its compliance
profile out (the same card as `cpassist screen`): the approval the 2021 Regulations require, the
schedule entries it rests on, what follows (filing, review, fee, validity), the self-monitoring
category, frequency and priority parameters, and the sources, each cited.

Every text shown is escaped; the profile is built from the index snapshot on every call (the
screener is cached per index generation).
"""

from __future__ import annotations

import re
from html import escape
from types import SimpleNamespace

import gradio as gr

PRIVATE = {"api_visibility": "private"}
INTRO = (
    "### My project\n"
    "Describe the project or unit in plain words, with its size where you know it "
    "(“a 120-bed private hospital”, “denim dyeing and washing unit in SITE”, “30 MW coal-fired captive "
    "power plant”; add the cost, e.g. “costing Rs 150 million”, for the fee). You get the approval the "
    "Sindh Environmental Assessment Regulations 2021 require, what follows, and the unit's self-monitoring."
)
EXAMPLES = (
    "a 120-bed private hospital",
    "denim dyeing and washing unit in SITE",
    "30 MW coal-fired captive power plant",
    "tannery in Korangi costing Rs 150 million",
)
_BADGE = {"checklist": "cp-req-checklist", "IEE": "cp-req-iee", "EIA": "cp-req-eia"}


def _with_markers(text: str) -> str:
    """Escaped text with its [n] markers as superscript links to the source list, one paragraph
    per part of the profile (requirement, filing, review, fee, validity, self-monitoring)."""
    html = re.sub(r"\[(\d+)\]", r'<sup><a href="#cp-proj-src-\1">[\1]</a></sup>', escape(text))
    return re.sub(r"\s(?=(?:Filing|Review|Fee|Validity|Self-monitoring)(?:,| ?:))", "<br>", html)


def card_html(data: dict) -> str:
    """The profile (the JSON of `cpassist screen --json`) as an HTML card."""
    if not data:
        return ""
    requirement = data.get("requirement", "")
    badge = _BADGE.get(requirement, "cp-req-other")
    entries = "".join(
        f"<li>{escape(e.get('schedule', ''))} {escape(e.get('item', ''))} ({escape(e.get('requirement', ''))}): "
        f"{escape(e.get('project', ''))}, {escape(e.get('threshold', ''))} "
        f"<span class=\"cp-sub\">{escape(str(e.get('applies', '')))}: {escape(str(e.get('reason', '')))}</span></li>"
        for e in data.get("entries", [])
    )
    missing = (
        f"<p class=\"cp-proj-missing\"><strong>Give:</strong> {escape(', '.join(data['missing']))}</p>" if data.get("missing") else ""
    )
    sources = "".join(
        f'<li id="cp-proj-src-{c["n"]}">[{c["n"]}] {escape(c.get("title") or "")}, {escape(c.get("section") or "")}'
        f'<div class="cp-text">{escape((c.get("text") or "")[:400])}</div></li>'
        for c in data.get("citations", [])
    )
    schedule = f" (Schedule {escape(data['schedule'])})" if data.get("schedule") else ""
    return (
        f'<article class="cp-card cp-proj-card"><div class="cp-card-title">{escape(data.get("project", ""))}</div>'
        f'<p><span class="cp-req {badge}">{escape(requirement)}</span>{schedule} '
        f'<span class="cp-sub">{escape(data.get("regulations", ""))}</span></p>{missing}'
        f'<div class="cp-text cp-proj-answer">{_with_markers(data.get("answer", ""))}</div>'
        + (f"<h4>Schedule entries</h4><ul class=\"cp-proj-entries\">{entries}</ul>" if entries else "")
        + (f"<h4>Sources</h4><ol class=\"cp-proj-sources\">{sources}</ol>" if sources else "")
        + "</article>"
    )


def build() -> SimpleNamespace:
    ui = SimpleNamespace()
    gr.Markdown(INTRO, elem_id="cp-proj-intro")
    with gr.Row(equal_height=True):
        ui.description = gr.Textbox(
            show_label=False, placeholder="e.g. a 120-bed private hospital", scale=5, min_width=160, elem_id="cp-proj-description"
        )
        ui.screen = gr.Button("Screen", variant="primary", scale=1, min_width=80, elem_id="cp-proj-screen")
    ui.examples = gr.Dataset(components=[ui.description], samples=[[e] for e in EXAMPLES], label="Examples", elem_id="cp-proj-examples")
    ui.card = gr.HTML("", js_on_load=None, elem_id="cp-proj-card")
    return ui


class ProjectTab:
    def __init__(self, index) -> None:
        self.index = index

    def profile(self, description: str) -> dict:
        """The profile of a description as `cpassist screen --json` writes it ({} when blank)."""
        from assistant.standards.profile import builder_for

        description = " ".join((description or "").split())[:500]
        snapshot = self.index.snapshot() if self.index is not None else None
        if not description or snapshot is None:
            return {}
        return builder_for(snapshot, self.index.embedder, self.index.table_vectors).profile(description).to_dict()

    def screen(self, description: str) -> str:
        try:
            return card_html(self.profile(description))
        except (OSError, ValueError) as error:
            return f'<div class="cp-panel cp-empty">Screening is not available: {escape(str(error))}</div>'

    def wire(self, ui: SimpleNamespace) -> None:
        for trigger in (ui.description.submit, ui.screen.click):
            trigger(self.screen, [ui.description], [ui.card], **PRIVATE)
        ui.examples.click(lambda sample: sample[0], [ui.examples], [ui.description], queue=False, **PRIVATE)

"""HTML and Markdown for the UI, built from answer records (the `cpassist ask --json` dicts).

Everything that came from a document or a user is escaped here, so a passage that contains
`<script>` or Markdown syntax is shown as the text it is. Clickable things carry
`data-passage`, `data-turn` and `data-view` (the tab whose document view shows the passage;
links in chat messages: `#cp-open?turn=..&passage=..`): one script in the app turns a click on
them into an "open this passage" event. Passage and document ids are never shown: they are
names for the code, not for readers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape
from urllib.parse import urlencode

from assistant.language import URDU, detect, searched_as_line

DOC_TYPE_LABELS = {
    "law-digest": "Law digest",
    "mea-digest": "Convention digest",
    "report": "Report",
    "programme": "Programme",
    "standard": "Standard",
}
_MARKER = re.compile(r"\[(\d+)\]")
FILTER_NOT_COVERED = "The selected documents do not cover this."
DOCUMENT_HINT = '<div class="cp-panel cp-empty">Click an [n] or a source to read the passage in its document.</div>'
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$&\"'=:])")


def doc_type_label(doc_type: str) -> str:
    return DOC_TYPE_LABELS.get(doc_type, doc_type or "Document")


def escape_markdown(text: str) -> str:
    """Text that Markdown shows literally: every special character backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def where(record: dict) -> str:
    """'Section 17 — Initial ..., p. 3': the section and page of a citation record."""
    parts = [record.get("section") or ""]
    if record.get("page"):
        parts.append(f"p. {record['page']}")
    return ", ".join(part for part in parts if part)


def _spans(text: str, sentences: Iterable[str]) -> list[tuple[int, int]]:
    """Where each sentence occurs in the text (first occurrence, whitespace-insensitive), in order."""
    spans = []
    for sentence in sentences:
        words = sentence.split()
        match = re.search(r"\s+".join(re.escape(word) for word in words), text) if words else None
        if match:
            spans.append(match.span())
    return sorted(spans)


def highlight(text: str, sentences: Iterable[str]) -> str:
    """The text, escaped, with each supporting sentence wrapped in <mark>."""
    out, position = [], 0
    for start, end in _spans(text, sentences):
        start = max(start, position)
        if start >= end:
            continue
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    return "".join(out)


def excerpt(text: str, sentences: Sequence[str], margin: int = 220) -> str:
    """The part of a long passage around its supporting sentences (highlighted), with … where cut."""
    spans = _spans(text, sentences)
    first, last = (spans[0][0], spans[-1][1]) if spans else (0, 0)
    start = 0 if first <= margin else min(first, text.find(" ", first - margin) + 1)
    end = len(text) if len(text) - last <= margin else text.rfind(" ", last, last + margin)
    end = end if end > last else len(text)
    body = highlight(text[start:end], sentences)
    return ("…" if start else "") + body + ("…" if end < len(text) else "")


def _ref_link(label: str, passage_id: str, turn: int, css: str = "cp-ref") -> str:
    """A link in a chat message; the Chatbot's sanitizer drops data-* attributes, so the target rides in the href."""
    target = urlencode({"turn": turn, "passage": passage_id})
    return f'<a class="{css}" href="#cp-open?{_attr(target)}" title="Open this passage in context">{escape(label)}</a>'


def filtered_out(record: dict) -> bool:
    """An answer withheld while a filter was on: the selected documents, not the corpus, lack it."""
    return bool(record.get("abstained") and record.get("filter"))


def urdu_paragraph(text: str) -> str | None:
    """Urdu-script text as a right-to-left paragraph marked lang="ur" (the page's Urdu font and
    line height apply); None for English and Roman Urdu, which read left to right."""
    if detect(text) != URDU:
        return None
    return f'<p dir="rtl" lang="ur">{escape(text)}</p>'


def user_markdown(text: str) -> str:
    """The user's words as the chat shows them."""
    return urdu_paragraph(text) or escape_markdown(text)


def _framing(record: dict) -> tuple[str, str]:
    """(the fixed line in the question's language, the rest): an Urdu or Roman Urdu answer opens
    with one (assistant.language.frame); an English one has none."""
    answer = record.get("answer", "")
    if record.get("language") and "\n\n" in answer:
        line, rest = answer.split("\n\n", 1)
        return line, rest
    return "", answer


def chat_markdown(record: dict, turn: int) -> str:
    """The assistant's chat message: answer text with clickable [n], or the abstention and what may be related."""
    by_n = {c["n"]: c for c in record.get("citations", [])}
    line, answer = _framing(record)
    lines = [urdu_paragraph(line) or f"*{escape_markdown(line)}*", ""] if line else []
    record = {**record, "answer": answer}
    if filtered_out(record):
        said = record.get("answer", "").removeprefix(FILTER_NOT_COVERED).strip()
        lines.append(f"**{FILTER_NOT_COVERED}** {escape_markdown(said)}")
    elif record.get("abstained"):
        lines.append(f"**Not covered by these documents.** {escape_markdown(record.get('answer', ''))}")
        related = record.get("related", [])
        if related:
            lines.append("")
            lines.append("May be related:")
            for hit in related:
                label = ", ".join(part for part in (hit.get("title", ""), where(hit)) if part)
                lines.append(f"- {_ref_link(label, hit['passage_id'], turn, 'cp-ref cp-src')}")
    else:
        pieces = []
        for index, piece in enumerate(_MARKER.split(record.get("answer", ""))):
            if index % 2 == 0:
                pieces.append(escape_markdown(piece))
            elif int(piece) in by_n:
                pieces.append(_ref_link(f"[{piece}]", by_n[int(piece)]["passage_id"], turn))
            else:
                pieces.append(escape_markdown(f"[{piece}]"))
        lines.append("".join(pieces))
        by_title: dict[str, list[str]] = {}
        for n, citation in by_n.items():
            link = _ref_link(f"[{n}]", citation["passage_id"], turn, "cp-ref cp-src")
            by_title.setdefault(citation.get("title", ""), []).append(link)
        if by_title:
            sources = "; ".join(f"{escape_markdown(title)} {' '.join(links)}" for title, links in by_title.items())
            lines += ["", f"Sources: {sources}"]
    if record.get("note"):
        lines.append(f"\n*{escape_markdown(record['note'])}*")
    if record.get("filter"):
        lines.append(f"\n*Searched only: {escape_markdown(record['filter'])}*")
    if record.get("language"):
        lines.append(f"\n*{escape_markdown(searched_as_line(record.get('searched_as', '')))}*")
    return "\n".join(lines)


def _card(record: dict, turn: int, n: int | None, view: str = "ask") -> str:
    meta = " · ".join(
        escape(part) for part in (doc_type_label(record.get("doc_type", "")), where(record)) if part
    )
    number = f'<span class="cp-n">[{n}]</span> ' if n is not None else ""
    label = f"Open {f'source {n}' if n is not None else 'this passage'} in its document: {record.get('title', '')}"
    return (
        f'<article class="cp-card" data-passage="{_attr(record["passage_id"])}" data-turn="{turn}" data-view="{_attr(view)}"'
        f' tabindex="0" role="button" aria-label="{_attr(label)}">'
        f'<div class="cp-card-title">{number}{escape(record.get("title", ""))}</div>'
        f'<div class="cp-meta">{meta}</div>'
        f'<div class="cp-text">{excerpt(record.get("text", ""), record.get("supporting", []))}</div>'
        f'<div class="cp-open">Read in context →</div>'
        "</article>"
    )


def source_cards(record: dict | None, turn: int, empty: str = "", view: str = "ask") -> str:
    """The sources panel for one answer: a card per citation, or the 'may be related' passages;
    `empty` (what the documents cover, on the first screen) when there is no answer yet."""
    if record is None:
        return empty or '<div class="cp-panel cp-empty">Sources appear here after you ask a question: one card per [n] in the answer.</div>'
    question = escape(record.get("question", ""))
    if filtered_out(record):
        heading = f'<h3>{FILTER_NOT_COVERED} <span class="cp-sub">question {turn + 1} · “{question}”</span></h3>'
        cards = [f'<p class="cp-empty">{escape(record.get("answer", "").removeprefix(FILTER_NOT_COVERED).strip())}</p>']
    elif record.get("abstained"):
        heading = f'<h3>May be related <span class="cp-sub">to question {turn + 1}, not an answer · <bdi>“{question}”</bdi></span></h3>'
        cards = [_card(hit, turn, None, view) for hit in record.get("related", [])]
        if not cards:
            cards = ['<p class="cp-empty">No passage came close.</p>']
    else:
        heading = f'<h3>Sources <span class="cp-sub">for answer {turn + 1} · <bdi>“{question}”</bdi></span></h3>'
        cards = [_card(c, turn, c["n"], view) for c in record.get("citations", [])]
    return f'<div class="cp-panel cp-sources">{heading}{"".join(cards)}</div>'


def document_view(passages: Sequence, focus_id: str, supporting: Sequence[str] = (), view: str = "ask") -> str:
    """One passage in its document: title, heading path, pages, with the passages before and after it."""
    focus = next((p for p in passages if p.id == focus_id), None)
    if focus is None:
        return '<div class="cp-panel cp-doc cp-empty">That passage is no longer in the index (it was re-ingested); ask again.</div>'
    trail = " › ".join(escape(part) for part in [focus.display_title, *focus.heading_path])
    pages = ""
    if focus.page:
        pages = f"p. {focus.page}" + (f"–{focus.page_end}" if focus.page_end and focus.page_end != focus.page else "")
    position = passages.index(focus)
    nav = []
    if position > 0:
        nav.append(_nav(passages[position - 1].id, "← Previous passage", view))
    if position < len(passages) - 1:
        nav.append(_nav(passages[position + 1].id, "Next passage →", view))
    blocks = []
    for index, passage in enumerate(passages):
        label = escape(" › ".join(passage.heading_path) or passage.section or "")
        page = f" · p. {passage.page}" if passage.page else ""
        if index < position:  # folded, so the cited passage is at the top of the view
            blocks.append(
                f'<details class="cp-doc-passage"><summary class="cp-doc-heading">Before: {label}{page}</summary>'
                f'<div class="cp-doc-text">{escape(passage.text)}</div></details>'
            )
            continue
        is_focus = passage is focus
        text = highlight(passage.text, supporting) if is_focus else escape(passage.text)
        heading = label if is_focus else f"After: {label}"
        blocks.append(
            f'<section class="cp-doc-passage{" cp-focus" if is_focus else ""}">'
            f'<div class="cp-doc-heading">{heading}{page}</div><div class="cp-doc-text">{text}</div></section>'
        )
    unofficial = (
        '<p class="cp-warn">Unofficial digest written for this corpus, not the official text.</p>' if focus.unofficial else ""
    )
    return (
        f'<div class="cp-panel cp-doc" id="{"cp-doc" if view == "ask" else f"cp-doc-{_attr(view)}"}">'
        f'<h3>Document view <span class="cp-sub">{escape(doc_type_label(focus.doc_type))}{" · " + pages if pages else ""}</span></h3>'
        f'<div class="cp-trail">{trail}</div>{unofficial}'
        f'{"".join(blocks)}<div class="cp-nav">{"".join(nav)}</div></div>'
    )


def _nav(passage_id: str, label: str, view: str) -> str:
    return f'<button class="cp-navbtn" data-passage="{_attr(passage_id)}" data-turn="-1" data-view="{_attr(view)}">{escape(label)}</button>'


def export_markdown(record: dict) -> str:
    """The answer with its sources as a Markdown document, for copying or saving."""
    lines = [f"## Question\n\n{record.get('question', '')}\n", "## Answer\n"]
    answer = record.get("answer", "")
    if filtered_out(record):
        lines.append(f"*{FILTER_NOT_COVERED}*\n")
        answer = answer.removeprefix(FILTER_NOT_COVERED).strip()
    elif record.get("abstained"):
        lines.append("*Not covered by these documents.*\n")
    lines.append(answer + "\n")
    if record.get("note"):
        lines.append(f"*{record['note']}*\n")
    if record.get("filter"):
        lines.append(f"*Searched only: {record['filter']}*\n")
    sources = record.get("citations") or record.get("related") or []
    if sources:
        lines.append("## Sources\n" if record.get("citations") else "## May be related\n")
    for source in sources:
        label = f"[{source['n']}] " if "n" in source else "- "
        detail = ", ".join(part for part in (doc_type_label(source.get("doc_type", "")), where(source)) if part)
        lines.append(f"{label}**{source.get('title', '')}** ({detail})\n")
        for sentence in source.get("supporting", []):
            lines.append(f"> {sentence}\n")
    lines.append("---\n*From CP Assistant, a local document set. Law and convention texts are unofficial digests: check the official text before acting.*")
    return "\n".join(lines)


def coverage_html(files: Iterable, unofficial_ids: set[str]) -> str:
    """What this covers and what it does not, with the documents in the index (read when the page loads)."""
    items = "".join(
        f"<li>{escape(record.title)} <span class=\"cp-sub\">({escape(doc_type_label(record.doc_type))}"
        f"{', unofficial digest' if record.doc_id in unofficial_ids else ''})</span></li>"
        for record in sorted(files, key=lambda r: (r.doc_type, r.title))
    )
    return (
        '<div class="cp-panel cp-about"><h3>What this covers</h3>'
        "<p>Answers come only from the documents below, each claim with "
        "an [n] you can click to read the passage. When the documents do not cover a question, it says so "
        "and shows the closest passages instead of guessing.</p>"
        f"<ul>{items}</ul>"
        "<p><strong>What it does not.</strong> It is not legal advice and knows nothing outside these documents. "
        "The law and convention texts here are <em>unofficial plain-language digests</em>, not the official "
        "texts: check the gazette or convention text, or ask SEPA, before acting on an answer.</p>"
        "</div>"
    )

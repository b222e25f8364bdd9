"""The JSON shapes of results: hits, citations, answers and feedback rows, in one place.

`cpassist search --json`, `cpassist ask --json`, the web UI's `/ask` API and its panels, and the
feedback store all write these shapes, so they are defined once, here, low in the package: this
module imports nothing from the rest of it, and everything that shows a result imports it.
The fields are the contract of DESIGN.md section 3; add to them, never rename or drop one.
"""

from __future__ import annotations

import json
from typing import Any

# A feedback row as stored and exported (`cpassist feedback export`).
FEEDBACK_COLUMNS = ("id", "created", "updated", "rating", "comment", "question", "answer", "abstained", "citations")


def hit_json(hit) -> dict:
    """A passage as the CLI's JSON contract (DESIGN.md section 3) describes it."""
    passage = hit.passage
    return {
        "rank": hit.rank,
        "score": round(hit.score, 6),
        "doc_id": passage.doc_id,
        "source": passage.source,
        "title": passage.display_title,
        "doc_type": passage.doc_type,
        "section": passage.section,
        "page": passage.page,
        "text": passage.text,
        "passage_id": passage.id,
    }


def search_json(query: str, hits) -> dict:
    """One line of `cpassist search --json`: the query and its ranked passages."""
    return {"query": query, "results": [hit_json(h) for h in hits]}


def citation_json(citation) -> dict:
    """A citation as DESIGN.md section 3 describes it: its number plus the passage fields."""
    data = {"n": citation.n, **hit_json(citation.hit)}
    data["supporting"] = citation.sentences
    return data


def answer_json(answer) -> dict:
    """One line of `cpassist ask --json` (and what the UI's `/ask` endpoint returns)."""
    data = {
        "question": answer.question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "citations": [citation_json(c) for c in answer.citations],
    }
    if answer.abstained and answer.related:
        data["related"] = [hit_json(h) for h in answer.related]
    if answer.note:
        data["note"] = answer.note
    if answer.language != "en":
        # A question in Urdu script ("ur") or Roman Urdu ("ur-Latn"), and the English it was searched as.
        data["language"] = answer.language
        data["searched_as"] = answer.searched_as
    return data


def explain_json(trace, hint: str = "") -> dict | None:
    """`cpassist ask --explain --json`: the candidates and the step that decided."""
    if trace is None:
        return None
    return {
        "answerability": trace.answerability,
        "threshold": trace.threshold,
        "stage": trace.stage,
        "rule": trace.rule or None,
        "hint": hint.format(rule=trace.rule),
        "candidates": [
            {
                "passage_id": hit.passage.id,
                "location": hit.passage.location,
                "fused_rank": hit.fused_rank,
                "lists": hit.list_ranks,
                "judge": None if hit.judge is None else round(hit.judge, 4),
                "accepted": hit.passage.id in trace.accepted,
            }
            for hit in trace.candidates
        ],
    }


def feedback_fields(answer: dict[str, Any]) -> tuple[str, str, int, str]:
    """What a feedback row keeps of an answer given as `answer_json` data: question, answer
    text, abstained (0/1) and the citations as a JSON string, as they were shown."""
    return (
        answer.get("question", ""),
        answer.get("answer", ""),
        int(bool(answer.get("abstained"))),
        json.dumps(answer.get("citations", []), ensure_ascii=False),
    )

"""'Which projects need an EIA?' answered by the schedule's own list, over the real index of the
screening table and the 2021 Regulations (conftest `indexed`)."""

from __future__ import annotations

import re

import pytest

from assistant.answer.types import MARKER
from assistant.standards.lists import asked_list, schedule_list_answer


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Which projects need a full EIA rather than an IEE?", ("EIA", "IEE")),
        ("What kinds of industry require an IEE?", ("IEE", None)),
        ("List the projects that must file an environmental checklist.", ("checklist", None)),
        ("Which projects need an EIA or an IEE?", ("EIA", "IEE")),
        ("What types of projects are subject to an initial environmental examination?", ("IEE", None)),
    ],
)
def test_questions_about_a_schedule_ask_for_its_list(question: str, asked: tuple) -> None:
    assert asked_list(question) == asked


@pytest.mark.parametrize(
    "question",
    [
        "Do I need an EIA for a 30 MW coal power plant?",
        "Which projects needed an EIA under the 2014 regulations?",
        "Which projects of more than 50 MW need an EIA?",
        "What is an EIA?",
        "Which projects did SEPA approve last year?",
    ],
)
def test_other_questions_are_left_to_the_other_answerers(question: str) -> None:
    assert asked_list(question) is None


def test_a_list_asked_for_a_year_before_the_repeal_is_left_to_the_general_answerer() -> None:
    """'in 2016' is a time the repealed 2014 lists applied (the index knows the repeal year from
    the manifest), as retrieval reads it: the 2021 list is not that answer."""
    question = "Which projects required an EIA in 2016?"
    assert asked_list(question) == ("EIA", None)
    assert asked_list(question, repealed_in=2021) is None


def test_the_eia_list_with_the_sizes_that_move_a_kind_from_the_iee_list(snapshot) -> None:
    text, citations = schedule_list_answer("Which projects need a full EIA rather than an IEE?", snapshot)
    assert text.startswith("Under regulation 5 of the Sindh Environmental Assessment Regulations 2021")
    for kind in ("thermal power generation (more than 100 MW)", "cement plants", "nuclear power plants", "airports",
                 "housing schemes (above 50 acres)"):
        assert kind in text
    assert "files an IEE instead (regulation 4)" in text and "thermal power generation: up to 100 MW IEE, more than 100 MW EIA" in text
    assert "bakeries" not in text.casefold() and "2014" not in text
    assert {int(n) for n in MARKER.findall(text)} == {c.n for c in citations}
    sections = {c.hit.passage.section_id for c in citations}
    assert {"Sch. III", "Sch. II"} <= sections
    for citation in citations:
        assert citation.hit.passage.doc_id == "sindh-environmental-assessment-regulations-2021-digest"
    listed = [c.hit.passage for c in citations if c.hit.passage.section_id == "Sch. III"]
    assert any(re.search(r"Cement plants", p.text) for p in listed)


def test_the_checklist_list_has_no_sectors_and_no_contrast(snapshot) -> None:
    text, citations = schedule_list_answer("Which projects need an environmental checklist?", snapshot)
    assert "Schedule I lists: construction of residential and commercial buildings (total covered area 60,000 to 100,000 sq ft)" in text
    assert "instead" not in text and "flour mills" in text
    assert len(citations) >= 2


def test_the_chat_answers_the_list_question_from_the_table(indexed, embedder) -> None:
    from assistant.index import Index
    from assistant.pipeline import Assistant

    answer = Assistant(indexed, Index(indexed, embedder=embedder)).ask("Which projects need a full EIA rather than an IEE?")
    assert not answer.abstained and answer.composer == "screening-table"
    assert "Schedule III lists:" in answer.text and answer.citations

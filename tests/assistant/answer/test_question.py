"""Question analysis: the names asked about, named concepts, term weights, question terms (and
the query expansion they rest on), questions about how things stand now."""

from __future__ import annotations

import pytest
from answer_helpers import hits_for, make_passage

from assistant.answer.question import (
    asks_as_of_now,
    defined_term,
    named_concepts,
    names_asked_about,
    question_terms,
    term_weights,
)
from assistant.keyword import tokenize
from assistant.retrieval import expand_query, spelled_out


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("What does the Kyoto Protocol require from developing countries?", ["Kyoto Protocol"]),
        ("Does Stockholm Convention list PFOA?", ["Stockholm Convention", "PFOA"]),
        ("What are the IFC Performance Standards?", ["IFC Performance Standards"]),
        ("Is ISO 14001 certification required?", ["ISO 14001"]),
        ("What is Pakistan's HCFC schedule under the Montreal Protocol?", ["Montreal Protocol", "HCFC"]),
        ("Our plant is in Port Qasim. Is that permitted?", []),
        ("Caller from a mill at Port Qasim asks what the COD limit is.", ["COD"]),
        ("Is COD 180 mg/L OK for discharge into Korangi Creek?", ["COD"]),
        ("Who won the 1992 Cricket World Cup?", []),
        ("what is eco-efficiency", []),
    ],
)
def test_names_asked_about_come_from_the_asking_sentence(question: str, names: list[str]) -> None:
    assert names_asked_about(question) == names


def test_a_concept_is_named_only_by_its_abbreviation_or_its_whole_long_form() -> None:
    (eia,) = named_concepts("Do I need an EIA before building?")
    assert eia.search("filing an environmental impact assessment (EIA) first")
    assert eia.search("an  Environmental\nImpact Assessment")
    assert not eia.search("an environmental impact ... a strategic environmental assessment")
    assert named_concepts("Is the sea OK?") == [], "lower-case 'sea' is the water, not an SEA"


def test_a_spelled_out_abbreviation_weighs_as_much_as_its_rarest_word() -> None:
    passages = [make_passage("act", f"Section {i}. The Sindh Environmental Protection Agency may act.", ordinal=i) for i in range(5)]
    passages.append(make_passage("act", "The Agency may seal a factory.", ordinal=9))
    _, keyword = hits_for(*passages)
    weights = term_weights("Can SEPA seal my factory?", keyword)
    long_form = sum(weights[t] for t in tokenize("Sindh Environmental Protection Agency"))
    assert long_form == pytest.approx(max(keyword.idf(t) for t in tokenize("Sindh Environmental Protection Agency")))
    assert weights["seal"] == pytest.approx(keyword.idf("seal"))


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("What is the name of the current Director General of SEPA?", "current Director"),
        ("When did the Council last meet, and what did it approve?", "last meet"),
        ("How many Tribunals has Sindh notified so far?", "so far"),
        ("What is today's exchange rate for the rupee?", "today's"),
        ("Is the Basel Convention in force for Pakistan?", None),
        ("Is our EIA approval still up to date after two years?", None),
        ("In so far as the Act applies, who enforces it?", None),
        ("What is the latest date for filing an appeal?", None),
    ],
)
def test_questions_about_how_things_stand_now_are_recognised(question: str, words: str | None) -> None:
    assert asks_as_of_now(question) == words


# ---------------------------------------------------------------------------------------------
# question_terms and expand_query


def test_question_terms_spell_out_abbreviations_and_drop_them() -> None:
    terms = question_terms("Do I need an EIA?")
    assert set(tokenize("environmental impact assessment")) <= set(terms)
    assert "eia" not in terms
    assert "need" not in terms


def test_question_terms_drop_the_users_figures_and_filler() -> None:
    terms = question_terms("Please explain what eco-efficiency means")
    assert set(tokenize("eco efficiency")) <= set(terms)
    assert not set(tokenize("please explain what")) & set(terms)
    figures = question_terms("Is COD 180 mg/L OK?")
    assert "180" not in figures
    assert set(tokenize("chemical oxygen demand")) <= set(figures)


def test_question_terms_keep_the_number_of_a_code() -> None:
    assert {"uv", "328"} <= set(question_terms("Has UV-328 been listed as a POP?"))
    assert "2021" not in question_terms("What changed in January 2021?")


def test_question_terms_are_unique() -> None:
    terms = question_terms("EIA or environmental impact assessment? Environmental assessment!")
    assert len(terms) == len(set(terms))


def test_question_terms_of_non_latin_text_are_empty() -> None:
    assert question_terms("کیا مجھے ای آئی اے کی ضرورت ہے؟") == []
    assert question_terms("我需要环境影响评估吗？") == []


def test_expand_query_appends_long_forms_once() -> None:
    expanded = expand_query("Do I need an EIA or an IEE?")
    assert expanded.startswith("Do I need an EIA or an IEE? (")
    assert expanded.count("environmental impact assessment") == 1
    assert expanded.count("initial environmental examination") == 1
    assert expand_query("EIA, eia and EIA again").count("environmental impact assessment") == 1


def test_expand_query_leaves_lower_case_sea_alone() -> None:
    assert expand_query("discharge into the sea") == "discharge into the sea"
    assert "strategic environmental assessment" in expand_query("Is an SEA required?")


def test_expand_query_skips_long_forms_already_present() -> None:
    text = "Is an environmental impact assessment (EIA) required for a dye house?"
    assert expand_query(text) == text
    assert expand_query("Is good housekeeping cheap?") == "Is good housekeeping cheap?"


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("What is eco-efficiency?", "eco-efficiency"),
        ("Define hazardous waste.", "hazardous waste"),
        ("What does hospital waste mean?", "hospital waste"),
        ("Do I need an EIA?", None),
    ],
)
def test_the_term_of_a_definition_question(question: str, term: str | None) -> None:
    assert defined_term(question) == term


def test_spelled_out_reads_the_capitalised_abbreviations_of_a_sentence() -> None:
    assert spelled_out("The CP programme needs an EIA.") == ["cleaner production", "environmental impact assessment"]
    assert spelled_out("discharge into the sea") == []

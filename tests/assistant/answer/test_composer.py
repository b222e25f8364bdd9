"""The extractive composer on hand-made passages.

No model is needed here: passages are built directly, a real BM25 index is built over them, and
the composer runs on real Hit objects. The end-to-end behaviour on an ingested corpus is in
test_pipeline.py.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from answer_helpers import (
    LIST_SENTENCE,
    PENALTIES,
    WATER,
    answer_words,
    assert_well_formed,
    compose,
    make_passage,
    segments,
)

from assistant.answer import composer as composer_module
from assistant.answer.composer import ExtractiveComposer, names_row_parameter
from assistant.evaluation import citations_valid
from assistant.keyword import KeywordIndex, tokenize


def test_answer_quotes_the_clause_of_a_long_list_that_answers() -> None:
    passage = make_passage("stockholm", f"Stockholm Convention, Annex D. {LIST_SENTENCE}", section="Annex D — Screening criteria")
    other = make_passage("stockholm", "The Review Committee applies the screening criteria to each proposal it receives.", ordinal=1)
    text, citations = compose("What bio-accumulation factor is used to screen a chemical?", passage, other)
    assert_well_formed(text, citations)
    assert "… bio-accumulation — a bio-concentration factor in aquatic species above 5,000" in text
    assert "adverse effects" not in text


@pytest.mark.parametrize(
    ("question", "text", "section", "first"),
    [
        (
            "How many days does the Agency have to review a strategic environmental assessment?",
            (
                "The Agency reviews every strategic environmental assessment with the agencies concerned and "
                "prepares comments on it. Within sixty (60) days of filing, the review of the assessment is completed."
            ),
            "Section 18 — Strategic environmental assessment",
            "Within sixty (60) days",
        ),
        (
            "How long does the Agency have to decide on an initial environmental examination?",
            (
                "The Agency reviews an initial environmental examination and may ask the proponent for more "
                "information. The Agency must communicate its decision within two months of the filing of an IEE."
            ),
            "Section 17 — Initial environmental examination",
            "The Agency must communicate its decision within two months",
        ),
    ],
)
def test_figure_questions_prefer_the_sentence_with_the_figure(question: str, text: str, section: str, first: str) -> None:
    answer, citations = compose(question, make_passage("act", text, section=section))
    assert_well_formed(answer, citations)
    assert answer.startswith(first)


def test_a_table_row_gives_a_limit_only_for_its_own_parameter() -> None:
    row = replace(make_passage("seqs", "parameter: Total suspended solids (TSS); unit: mg/L; into inland waters: 200"), section_id="row 6")
    assert names_row_parameter(row, set(tokenize("SEQS limit for suspended solids")))
    assert not names_row_parameter(row, set(tokenize("SEQS limit for total phosphorus in effluent")))
    assert names_row_parameter(make_passage("act", "Section 11. Nobody may exceed the SEQS."), set())


# ---------------------------------------------------------------------------------------------
# The composer on hand-made passages


ENERGY = make_passage(
    "boiler-review",
    "An economiser on the boiler flue preheats the feed water and cuts fuel use by five to eight percent in a "
    "textile mill. Returning hot condensate to the feed tank saves further fuel and treated water.",
    section="3.1 Heat recovery",
)


CHEMICALS = make_passage(
    "chemical-guide",
    "Storing dye auxiliaries and other chemicals in a bunded area with spill kits prevents losses of chemicals "
    "to the drain. Labelled containers stop the wrong chemicals being dosed into the dye bath.",
    section="4.2 Chemical management",
)


def test_answer_is_verbatim_sentences_each_followed_by_its_marker() -> None:
    text, citations = compose("What is the penalty for contravening section 11?", PENALTIES, WATER)
    assert text and citations
    assert_well_formed(text, citations)
    assert citations[0].passage is PENALTIES


def test_several_passages_are_numbered_by_first_use_without_gaps() -> None:
    question = "How can a textile mill save rinse water, boiler fuel and dye chemicals?"
    text, citations = compose(question, WATER, ENERGY, CHEMICALS)
    assert len(citations) >= 2, text
    assert_well_formed(text, citations)
    assert [c.n for c in citations] == list(range(1, len(citations) + 1))
    assert len({c.passage.id for c in citations}) == len(citations), "one citation per passage"


def test_reference_brackets_inside_a_passage_are_rewritten() -> None:
    passage = make_passage(
        "cp-concepts",
        "The term eco-efficiency was popularised by the World Business Council for Sustainable Development in 1992 [2]. "
        "Mills use it to track water and energy per tonne of cloth [3].",
        section="2.1 Eco-efficiency",
    )
    text, citations = compose("Who popularised the term eco-efficiency in 1992?", passage)
    assert "World Business Council for Sustainable Development in 1992 (ref. 2). [1]" in text
    assert "[2]" not in text and "[3]" not in text
    assert citations_valid(text, [c.n for c in citations])
    assert "[2]" in citations[0].sentences[0], "the citation keeps the passage's own wording"
    assert_well_formed(text, citations)


def test_answer_stays_within_the_word_budget() -> None:
    long_sentence = (
        "Water saving in the dye house starts with metering every machine, {0}, and with training the operators "
        "to close rinse valves and report leaks in the dye house water lines at once."
    )
    passages = [
        make_passage(
            f"water-note-{i}",
            " ".join(long_sentence.format(detail) for detail in (f"batch washer {i}", f"jet dyer {i}", f"stenter {i}")),
            section=f"Water saving {i}",
        )
        for i in range(4)
    ]
    text, citations = compose("How can a dye house save water?", *passages)
    assert citations
    assert answer_words(text) <= composer_module.MAX_ANSWER_WORDS
    assert len(segments(text)) <= composer_module.MAX_SENTENCES
    assert_well_formed(text, citations)


def test_a_number_question_prefers_the_sentence_with_the_figure() -> None:
    vague = "The fine for discharging untreated effluent is decided by the Environmental Protection Tribunal after a hearing."
    figure = "The fine for discharging untreated effluent may reach 5 million rupees under the Sindh Act."
    passage = make_passage("sindh-act", f"{vague} {figure}", section="Section 22 — Penalties")
    text, citations = compose("What is the fine for discharging untreated effluent?", passage)
    assert figure in text
    assert citations[0].sentences[0] == figure or citations[0].sentences == [vague, figure]


def test_the_figure_sentence_comes_first_even_from_a_lower_ranked_passage() -> None:
    tribunal = make_passage(
        "tribunal-guide",
        "The fine for discharging untreated effluent is decided by the Environmental Protection Tribunal after a hearing.",
    )
    act = make_passage(
        "sindh-act", "The fine for discharging untreated effluent may reach 5 million rupees under the Sindh Act."
    )
    text, citations = compose("What is the fine for discharging untreated effluent?", tribunal, act)
    assert segments(text)[0][0].startswith("The fine for discharging untreated effluent may reach 5 million rupees")
    assert citations[0].passage is act


def test_near_duplicate_sentences_are_not_repeated() -> None:
    official = make_passage(
        "cp-report",
        "Eco-efficiency means producing more goods and services while using less energy, water and raw material and "
        "generating less waste and pollution.",
    )
    digest = make_passage(
        "cp-digest",
        "Eco-efficiency means producing more goods and services with less energy, water and raw material, and "
        "generating less waste and pollution. Eco-efficiency means producing more goods and services while using "
        "less energy, water and raw materials.",
    )
    text, citations = compose("What is eco-efficiency?", official, digest)
    assert text.count("Eco-efficiency means producing more goods") == 1, text
    assert_well_formed(text, citations)


def test_short_fragments_are_not_quoted_but_table_rows_are() -> None:
    fragments = make_passage("notes", "See above. Not applicable. Fees apply.")
    assert compose("What fees apply?", fragments) == ("", [])
    row = make_passage("limits", "parameter: pH; into sea: 6-9.", section="Row 3: pH", doc_type="standard")
    text, citations = compose("What is the pH limit?", row)
    assert text == "parameter: pH; into sea: 6-9. [1]"
    assert citations[0].passage is row


def test_no_hits_no_answer() -> None:
    keyword = KeywordIndex.build([PENALTIES.id], [PENALTIES.indexed_text])
    assert ExtractiveComposer().run("What is the fine?", [], keyword) == ("", [])


CP_HISTORY = (
    "During the year 1989, UNEP coined the term “Cleaner Production” (CP) for the first time during the "
    "preparatory developments for the Rio Earth Summit 1992. The definition of term CP was developed by UNEP in "
    "1991 as, “the continuous application of an integrated preventive environmental strategy applied to processes, "
    "products, and services to increase overall efficiency and reduce risks to humans and the environment”."
)


@pytest.mark.parametrize("question", ["What is cleaner production?", "Define cleaner production."])
def test_a_definition_question_leads_with_the_definition_even_in_the_abbreviation(question: str) -> None:
    """Issue 16: "What is cleaner production?" quoted the sentence that named the term (in quotes)
    rather than the one that defines it, which calls it "CP"."""
    answer, citations = compose(question, make_passage("report", CP_HISTORY, section="2.2.2 Paradigm shift to CP"))
    assert_well_formed(answer, citations)
    assert answer.startswith("The definition of term CP was developed by UNEP in 1991")


def test_a_long_question_is_not_read_as_a_defined_term() -> None:
    """Only a defined term (a few words) is read in the passages' abbreviations too."""
    answer, citations = compose(
        "What is the history of the cleaner production idea at the Rio Earth Summit?",
        make_passage("report", CP_HISTORY, section="2.2.2 Paradigm shift to CP"),
    )
    assert_well_formed(answer, citations)
    assert answer.startswith("During the year 1989")


def test_the_fifth_passage_is_read_unless_the_question_asks_for_a_figure() -> None:
    """The fifth passage fills what the first four leave; a question that asks for a figure is
    withheld when the answer gives none, so its answer is drawn from the first four only: a
    number from far down the list would satisfy it too easily."""
    others = [
        make_passage(f"note-{i}", f"The dye house of mill {i} keeps its machines clean and its floors dry.", section=f"Note {i}")
        for i in range(4)
    ]
    fifth = make_passage(
        "rinsing", "Counter-current rinsing saves 40 litres of rinse water per kilogram of cloth in a dye house.", section="Rinsing"
    )
    _, citations = compose("How does counter-current rinsing save rinse water in a dye house?", *others, fifth)
    assert fifth in [c.passage for c in citations]
    _, citations = compose("How many litres of rinse water does counter-current rinsing save in a dye house?", *others, fifth)
    assert fifth not in [c.passage for c in citations]

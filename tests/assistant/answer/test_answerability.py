"""The answerability decision: refusals (a term or a name no passage uses) and the evidence
abstention decides on. The whole decision on an ingested corpus is in test_pipeline.py."""

from __future__ import annotations

import pytest
from answer_helpers import PENALTIES, WATER, hits_for, make_passage, mentions_in

from assistant.answer.answerability import assess, unknown_name, unused_term


def test_a_definition_question_about_a_term_no_passage_uses_is_refused() -> None:
    mentions = mentions_in(" eco effici mean more valu less impact ")
    assert unused_term("What is eco-efficiency?", mentions) is None
    assert unused_term("What is green chemistry?", mentions) == "green chemistry"
    assert unused_term("What is the objective of the Rotterdam Convention?", mentions) is None, "a relation, not a term"
    assert unused_term("What does the Stockholm Convention require?", mentions) is None, "not a definition question"
    assert unused_term("What does green chemistry mean?", mentions) == "green chemistry"


def test_unknown_name_is_one_with_a_word_no_passage_uses() -> None:
    _, keyword = hits_for(
        make_passage("basel", "The Basel Convention controls hazardous waste. Exporters attach a safety data sheet."),
        make_passage("stockholm", "The Stockholm Convention lists PFOA.", ordinal=1),
    )
    assert unknown_name("What does the Kyoto Protocol require?", keyword) == "Kyoto Protocol"
    assert unknown_name("Does the Stockholm Convention list PFOA?", keyword) is None
    assert unknown_name("Must an SDS go with the export?", keyword) is None
    assert unknown_name("Is BAMAKO like Basel?", keyword) == "BAMAKO"
    _, keyword = hits_for(make_passage("hospital", "Chlorinated plastics must not be incinerated."))
    assert unknown_name("Can PVC items go into our incinerator?", keyword) is None, "PVC is the chlorinated plastic"


def test_an_acronym_the_documents_write_out_in_capitals_is_known() -> None:
    from assistant.keyword import capitalised_initials

    texts = ["Every hospital keeps a Hospital Waste Management Plan approved by the Director General of the Agency."]
    initials = capitalised_initials(texts)
    assert {"HWMP", "DG", "DGA", "WMP"} <= initials and "WM" not in initials, "whole runs, their beginnings and their ends"
    _, keyword = hits_for(make_passage("hospital", texts[0]))
    assert unknown_name("What must our HWMP say?", keyword) == "HWMP"
    assert unknown_name("What must our HWMP say?", keyword, spells=lambda word: word in initials) is None
    assert unknown_name("Can the DG ask for more?", keyword, spells=lambda word: word in initials) is None
    assert unknown_name("Does PSQCA certify labs?", keyword, spells=lambda word: word in initials) == "PSQCA"


def test_unknown_name_with_phrases_needs_the_multi_word_part_used_somewhere() -> None:
    mentions = mentions_in(" basel convent ban amend hazard wast safeti data sheet ")
    _, keyword = hits_for(
        make_passage("basel", "The Basel Convention and its Ban Amendment. A hazardous waste needs a safety data sheet."),
        make_passage("other", "Building control, the Authority and the Sindh government.", ordinal=1),
    )
    assert unknown_name("Is the Sindh Building Control Authority involved?", keyword, mentions) == "Sindh Building Control Authority"
    assert unknown_name("Is the Sindh Building Control Authority involved?", keyword) is None, "every word is used"
    assert unknown_name("When did the Basel Ban Amendment enter into force?", keyword, mentions) is None
    assert unknown_name("What does the Basel Convention on Hazardous Waste say?", keyword, mentions) is None


# ---------------------------------------------------------------------------------------------
# assess: the evidence abstention decides on


def test_assess_without_hits_is_no_evidence() -> None:
    _, keyword = hits_for(PENALTIES)
    evidence = assess("What is the fine?", [], keyword)
    assert (evidence.dense, evidence.coverage, evidence.unknown) == (0.0, 0.0, 1.0)


def test_assess_covered_question() -> None:
    hits, keyword = hits_for(PENALTIES, WATER)
    evidence = assess("What fine is imposed when a contravention continues?", hits, keyword)
    assert evidence.coverage == 1.0
    assert evidence.unknown == 0.0
    assert evidence.dense == pytest.approx(0.6)


def test_assess_vocabulary_the_corpus_never_uses() -> None:
    hits, keyword = hits_for(PENALTIES, WATER)
    evidence = assess("Who won the cricket world cup final?", hits, keyword)
    assert evidence.unknown > 0.9
    assert evidence.coverage < 0.1
    partly = assess("What is the fine for a cricket stadium?", hits, keyword)
    assert 0.0 < partly.unknown < 1.0
    assert 0.0 < partly.coverage < 1.0


def test_assess_a_misspelt_corpus_word_or_a_stop_word_run_on_is_not_a_word_the_corpus_lacks() -> None:
    hits, keyword = hits_for(PENALTIES, WATER)
    right = assess("What fine is imposed when a contravention continues?", hits, keyword)
    typed = assess("whats the fine imposed when a contravension continues?", hits, keyword)
    assert (typed.coverage, typed.unknown) == (right.coverage, right.unknown) == (1.0, 0.0)
    assert keyword.spelled("contravent") == "contravent" and keyword.spelled("contravens") == "contravent"
    assert keyword.spelled("fins") == "fins", "a short stem one letter off is another word, not a misspelling"
    assert keyword.spelled("a" * 100_000) == "a" * 100_000, "a run of letters longer than any word is left as it is"


def test_assess_coverage_counts_the_scene_when_the_corpus_speaks_of_it() -> None:
    hits, keyword = hits_for(PENALTIES, WATER)
    alone = assess("How much more?", hits, keyword)
    set_out = assess("A contravention of section 11 continues every day. How much more?", hits, keyword)
    assert set_out.coverage > alone.coverage and set_out.unknown == alone.unknown
    scene = assess("We run a cricket stadium near Karachi. What fine is imposed when a contravention continues?", hits, keyword)
    assert scene.coverage == 1.0 and scene.unknown == 0.0, "words of the scene the corpus lacks still do not count"


def test_assess_an_acronym_the_documents_write_out_is_not_a_word_they_lack() -> None:
    from assistant.keyword import capitalised_initials

    text = "The Hospital Waste Management Plan must include a schedule of how often waste is collected from each ward."
    hits, keyword = hits_for(make_passage("hospital", text))
    initials = capitalised_initials([text])
    question = "Must the HWMP include a collection schedule?"
    plain = assess(question, hits, keyword)
    spelled = assess(question, hits, keyword, spells=lambda word: word in initials)
    assert plain.unknown > 0.4 and spelled.unknown == 0.0 and spelled.coverage > plain.coverage
    unspelled = assess("Does PSQCA check the collection schedule?", hits, keyword, spells=lambda word: word in initials)
    assert unspelled.unknown > 0.4, "an acronym no passage writes out stays unknown"

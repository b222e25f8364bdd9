"""The extractive composer and its pure helpers: sentence splitting, question terms, evidence.

No model is needed here: passages are built directly (as the splitter would hand them over),
a real BM25 index is built over them, and the composer runs on real Hit objects. The
end-to-end behaviour on an ingested corpus is in test_pipeline.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import pytest

from assistant import answer as answer_module
from assistant.answer import (
    AskedFigure,
    ExtractiveComposer,
    Unit,
    answer_units,
    asks_as_of_now,
    assess,
    clauses,
    counted_terms,
    named_concepts,
    names_asked_about,
    names_row_parameter,
    passage_sentences,
    question_terms,
    split_sentences,
    term_weights,
    unknown_name,
    unused_term,
)
from assistant.evaluation import citations_valid
from assistant.keyword import KeywordIndex, tokenize
from assistant.passages import Passage
from assistant.retrieval import Hit, expand_query

_MARKER = re.compile(r"\[(\d+)\]")
_SEGMENT = re.compile(r"(.+?) \[(\d+)\](?: |$)")


def make_passage(doc_id: str, text: str, section: str = "General", ordinal: int = 0, doc_type: str = "report") -> Passage:
    return Passage(
        id=f"{doc_id}:{ordinal:04d}",
        doc_id=doc_id,
        source=f"{doc_id}.md",
        title=doc_id.replace("-", " ").title(),
        doc_type=doc_type,
        jurisdiction="Sindh, Pakistan",
        unofficial=False,
        section=section,
        section_id=None,
        heading_path=[section],
        page=None,
        page_end=None,
        char_start=0,
        char_end=len(text),
        ordinal=ordinal,
        text=text,
    )


def hits_for(*passages: Passage) -> tuple[list[Hit], KeywordIndex]:
    """Hits in the given rank order, and a BM25 index over exactly these passages."""
    hits = [Hit(p, score=1.0 / rank, rank=rank, dense=0.6) for rank, p in enumerate(passages, start=1)]
    keyword = KeywordIndex.build([p.id for p in passages], [p.indexed_text for p in passages])
    return hits, keyword


def compose(question: str, *passages: Passage):
    hits, keyword = hits_for(*passages)
    return ExtractiveComposer().run(question, hits, keyword)


def mentions_in(stems: str) -> Callable[[str], bool]:
    """A stand-in for Snapshot.mentions over a fixed run of stems."""
    return lambda phrase: f" {' '.join(tokenize(phrase))} " in stems


def segments(text: str) -> list[tuple[str, int]]:
    """The answer as (sentence, n) pairs; asserts that it is nothing but 'sentence [n]' pieces."""
    pairs = [(match.group(1), int(match.group(2))) for match in _SEGMENT.finditer(text)]
    assert " ".join(f"{sentence} [{n}]" for sentence, n in pairs) == text, f"not 'sentence [n]' pieces: {text!r}"
    return pairs


def rewritten(sentence: str) -> str:
    return _MARKER.sub(r"(ref. \1)", sentence)


def assert_well_formed(text: str, citations) -> None:
    """Every piece is a verbatim unit (sentence or clause) of the passage its [n] points to; numbering 1..N by first use."""
    assert citations_valid(text, [c.n for c in citations])
    by_n = {c.n: c for c in citations}
    pairs = segments(text)
    first_use = list(dict.fromkeys(n for _, n in pairs))
    assert first_use == list(range(1, len(citations) + 1))
    for sentence, n in pairs:
        quotes = {rewritten(unit.quote) for unit in answer_units(by_n[n].passage)}
        assert sentence in quotes, f"{sentence!r} is not a sentence of [{n}]"
    for citation in citations:
        assert citation.sentences, f"citation [{citation.n}] has no sentence"
        for sentence in citation.sentences:
            assert sentence in citation.passage.text


def answer_words(text: str) -> int:
    return len(_MARKER.sub("", text).split())


# ---------------------------------------------------------------------------------------------
# split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Agency shall act. It may fine a unit.", ["The Agency shall act.", "It may fine a unit."]),
        ("See s. 17 of the Act. The Agency decides.", ["See s. 17 of the Act.", "The Agency decides."]),
        ("Cite Art. 6 of the Convention. Parties comply.", ["Cite Art. 6 of the Convention.", "Parties comply."]),
        ("Use simple measures, e.g. Economisers on boilers.", ["Use simple measures, e.g. Economisers on boilers."]),
        ("The fee is Rs. 5,000 per filing. It is paid once.", ["The fee is Rs. 5,000 per filing.", "It is paid once."]),
        ("The limit is 2.5 mg/L for zinc. Copper is 1.0 mg/L.", ["The limit is 2.5 mg/L for zinc.", "Copper is 1.0 mg/L."]),
        ("Is it allowed? Yes! Within limits.", ["Is it allowed?", "Yes!", "Within limits."]),
        ("- fix leaking taps\n- close valves when idle", ["- fix leaking taps", "- close valves when idle"]),
        ("First line without stop\n\n  \nSecond line.", ["First line without stop", "Second line."]),
        ("", []),
        ("   \n\n ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_split_sentences_keeps_every_character_of_each_sentence() -> None:
    text = "Section 17 applies to every project. The Agency shall decide within four months (s. 17(4)). Appeals lie to the Tribunal."
    assert " ".join(split_sentences(text)) == text


def test_table_record_is_one_sentence() -> None:
    record = (
        "parameter: Total suspended solids (TSS); unit: mg/L; into inland waters: 200; into sewage treatment: 400; "
        "into sea: 200; notes: Same value in the envitechal.com SEQS guide table. Parameter name recognisable in "
        "gazette OCR.; values from: lab guide and reporting software."
    )
    passage = make_passage("seqs-effluent-limits", record, section="Row 6: Total suspended solids (TSS)")
    passage.section_id = "row 6"
    assert passage_sentences(passage) == [record]


LIST_SENTENCE = (
    "A Party proposing a chemical must identify it and give evidence on four screening criteria: "
    "persistence — half-life in water over two months, or in soil or sediment over six months, or other evidence; "
    "bio-accumulation — a bio-concentration factor in aquatic species above 5,000 or, lacking that, log Kow above 5; "
    "long-range environmental transport — measured levels far from sources, monitoring data or fate models; "
    "and adverse effects — evidence of harm to human health or the environment."
)


def test_long_enumerating_sentence_splits_into_clauses_with_its_lead_in_kept() -> None:
    pieces = [LIST_SENTENCE[start:end] for start, end in clauses(LIST_SENTENCE)]
    assert len(pieces) == 4
    assert pieces[0].startswith("A Party proposing") and "half-life in water over two months" in pieces[0]
    assert pieces[1].startswith("bio-accumulation")
    assert all(piece in LIST_SENTENCE for piece in pieces)


def test_short_sentence_is_one_clause() -> None:
    sentence = "The Agency shall decide within four months: no later."
    assert clauses(sentence) == [(0, len(sentence))]


def test_units_carry_their_inner_heading_and_join_a_short_lead_in() -> None:
    text = (
        "Rotterdam Convention, Article 1. The Convention has two linked aims. First, to promote shared "
        "responsibility among Parties in the trade of hazardous chemicals.\n\n"
        "Article 2 — Definitions\n\n"
        "A chemical is a substance, alone or in a mixture, manufactured or natural."
    )
    passage = make_passage("rotterdam", text, section="Article 1 — Objective")
    units = answer_units(passage)
    assert [unit.text for unit in units] == [
        (
            "Rotterdam Convention, Article 1. The Convention has two linked aims. First, to promote shared "
            "responsibility among Parties in the trade of hazardous chemicals."
        ),
        "A chemical is a substance, alone or in a mixture, manufactured or natural.",
    ]
    assert units[0].heading.endswith("Article 1 — Objective")
    assert units[1].heading.endswith("Article 2 — Definitions")
    assert all(unit.text in text for unit in units)


def test_answer_quotes_the_clause_of_a_long_list_that_answers() -> None:
    passage = make_passage("stockholm", f"Stockholm Convention, Annex D. {LIST_SENTENCE}", section="Annex D — Screening criteria")
    other = make_passage("stockholm", "The Review Committee applies the screening criteria to each proposal it receives.", ordinal=1)
    text, citations = compose("What bio-accumulation factor is used to screen a chemical?", passage, other)
    assert_well_formed(text, citations)
    assert "… bio-accumulation — a bio-concentration factor in aquatic species above 5,000" in text
    assert "adverse effects" not in text


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


@pytest.mark.parametrize(
    ("question", "text", "expected"),
    [
        ("How much does SEPA charge to review an EIA?", "SEPA reviews an EIA within four months.", False),
        ("How much does SEPA charge to review an EIA?", "The review fee is Rs. 50,000.", True),
        ("What fine applies to a continuing breach?", "An additional fine of up to one hundred thousand rupees a day.", True),
        ("How many days does SEPA have to review an SEA?", "Within sixty (60) days of filing, the Agency reviews it.", True),
        ("How many days does SEPA have to review an SEA?", "The Agency reviews the SEA and prepares comments.", False),
        ("How many CP centres operate in Pakistan?", "There are four cleaner production centres.", True),
        ("What is eco-efficiency?", "Eco-efficiency means more value with less impact.", True),
        ("How much is the appeal fee in rupees?", "The Tribunal may award up to Rs. 50,000 as compensation. [1]", False),
        ("How much is the appeal fee in rupees?", "The appeal fee is Rs. 500. [1]", True),
        ("What is the permitted noise level in dB near homes?", "Noise must meet the standards. [1] Section 11 applies. [2]", False),
        ("What is the permitted noise level in dB near homes?", "The daytime limit is 55 dB(A). [1]", True),
        ("What percentage of the fine is charged to compound it?", "A fine of up to 5,000,000 rupees. [1]", False),
        ("What percentage of the fine is charged to compound it?", "Compounding costs 10% of the fine. [1]", True),
        ("What is the minimum insurance cover per tonne?", "The exporter must insure the shipment. [1]", False),
        ("How much money, in euros, did the EU commit?", "The EU funded the project. [1]", False),
        ("How much money, in euros, did the EU commit?", "The EU committed EUR 20 million to it. [1]", True),
        ("When did the Council last meet?", "Sindh Environmental Protection Act 2014, section 3. The Council meets. [1]", False),
        ("When did the Convention enter into force?", "It entered into force on 24 February 2004. [1]", True),
        ("What is the SEQS limit for phosphate in effluent?", "Under section 11(1)(a), see section 17, 19 or 21. [1]", False),
        ("What is the SEQS limit for phosphate in effluent?", "Phosphate: 10 mg/L into inland waters. [1]", True),
    ],
)
def test_an_answer_must_give_the_kind_of_figure_asked_for(question: str, text: str, expected: bool) -> None:
    assert AskedFigure.of(question).given_by(text) is expected


@pytest.mark.parametrize(
    "question",
    [
        "We filed our EIA in March. When was it supposed to be decided?",
        "What are the limits on the Agency's power to seal a factory?",
        "What is the minimum content of an EIA?",
        "What level of detail does an EIA need?",
        "What percentage of factories in Sindh practise CP, roughly?",
    ],
)
def test_questions_that_ask_for_no_date_or_limit(question: str) -> None:
    figure = AskedFigure.of(question)
    assert not figure.dated and not figure.limit
    assert figure.given_by("Section 17 requires an approved IEE or EIA before construction. [1]") is (not figure.units)


def test_counted_terms_are_the_counted_noun() -> None:
    assert counted_terms("how many days SEPA has to review it.") == {"day"}
    assert AskedFigure.of("Caller wants to know how many days SEPA has to review it.").counted == {"day"}
    assert AskedFigure.of("What is eco-efficiency?") == AskedFigure()
    assert AskedFigure.of("How long does SEPA have to decide?").period


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


def test_a_concept_is_named_only_by_its_abbreviation_or_its_whole_long_form() -> None:
    (eia,) = named_concepts("Do I need an EIA before building?")
    assert eia.search("filing an environmental impact assessment (EIA) first")
    assert eia.search("an  Environmental\nImpact Assessment")
    assert not eia.search("an environmental impact ... a strategic environmental assessment")
    assert named_concepts("Is the sea OK?") == [], "lower-case 'sea' is the water, not an SEA"


def test_the_location_label_is_quoted_but_not_scored() -> None:
    unit = Unit("Sindh Environmental Protection Act 2014, section 18. Every agency must submit an SEA.", "h", 0)
    assert unit.says == "Every agency must submit an SEA."
    assert unit.quote == unit.text
    assert Unit("Basel Convention, Article 6(1)–(4), the prior informed consent procedure.", "h", 0).says == (
        "the prior informed consent procedure."
    )


def test_a_spelled_out_abbreviation_weighs_as_much_as_its_rarest_word() -> None:
    passages = [make_passage("act", f"Section {i}. The Sindh Environmental Protection Agency may act.", ordinal=i) for i in range(5)]
    passages.append(make_passage("act", "The Agency may seal a factory.", ordinal=9))
    _, keyword = hits_for(*passages)
    weights = term_weights("Can SEPA seal my factory?", keyword)
    long_form = sum(weights[t] for t in tokenize("Sindh Environmental Protection Agency"))
    assert long_form == pytest.approx(max(keyword.idf(t) for t in tokenize("Sindh Environmental Protection Agency")))
    assert weights["seal"] == pytest.approx(keyword.idf("seal"))


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


# ---------------------------------------------------------------------------------------------
# The composer on hand-made passages


PENALTIES = make_passage(
    "sindh-act",
    "Whoever contravenes section 11 shall be punishable with a fine which may extend to 5,000,000 rupees. "
    "Where the contravention continues, an additional fine of up to 100,000 rupees may be imposed for every day "
    "during which it continues. A person convicted a second time may also be imprisoned for a term of up to three years.",
    section="Section 22 — Penalties",
)
WATER = make_passage(
    "water-programme",
    "Counter-current rinsing lets the cleanest water meet the cleanest cloth, so each litre of rinse water is used "
    "several times in the dye house. Mills in the programme cut rinse water use by about a third.",
    section="Counter-current rinsing",
)
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
    assert answer_words(text) <= answer_module.MAX_ANSWER_WORDS
    assert len(segments(text)) <= answer_module.MAX_SENTENCES
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


def test_a_table_row_gives_a_limit_only_for_its_own_parameter() -> None:
    row = replace(make_passage("seqs", "parameter: Total suspended solids (TSS); unit: mg/L; into inland waters: 200"), section_id="row 6")
    assert names_row_parameter(row, set(tokenize("SEQS limit for suspended solids")))
    assert not names_row_parameter(row, set(tokenize("SEQS limit for total phosphorus in effluent")))
    assert names_row_parameter(make_passage("act", "Section 11. Nobody may exceed the SEQS."), set())

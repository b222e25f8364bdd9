"""Questions in Urdu script and Roman Urdu: detection, the English gloss, loanwords, the fixed lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.answer.answerability import other_jurisdiction
from assistant.answer.question import asks_as_of_now
from assistant.keyword import tokenize
from assistant.language import (
    ANSWER_LINE,
    ENGLISH,
    NOT_COVERED_LINE,
    ROMAN_URDU,
    URDU,
    TermTable,
    Vocabulary,
    detect,
    english_consonants,
    frame,
    markers,
    normalise,
    read,
    term_table,
    urdu_consonants,
)

REPO = Path(__file__).resolve().parents[2]

TABLE = """term\tscript\tenglish
# a comment line, then Urdu-script and Roman Urdu terms
ganda pani\tur-Latn\teffluent wastewater
pani\tur-Latn\twater
jurmana\tur-Latn\tfine penalty
bain-ul-aqwami\tur-Latn\tinternational
چاہیے\tur\trequired
جرمانہ\tur\tfine penalty
گندا پانی\tur\teffluent wastewater
"""

PASSAGES = [
    "The Tribunal may issue a bailable warrant for the arrest of the accused.",
    "The exporter shall send an export notification before the first export of a chemical.",
    "Effluent shall not exceed the SEQS for discharge into inland waters.",
    "Recycling of hazardous waste needs the prior approval of the Agency.",
]


@pytest.fixture
def table(tmp_path: Path) -> TermTable:
    path = tmp_path / "terms.tsv"
    path.write_text(TABLE, encoding="utf-8")
    return TermTable.load(path)


@pytest.fixture
def vocabulary() -> Vocabulary:
    stems = {stem for text in PASSAGES for stem in tokenize(text)}
    return Vocabulary.of(stems, PASSAGES)


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("کیا ہمیں ای آئی اے کی ضرورت ہے؟", URDU),
        (
            "کیا سیپا EIA کے بغیر منظوری دیتا ہے؟",
            URDU,
        ),  # Latin acronyms inside Urdu script
        (
            "Kya hamein apni site par toxic chemicals rakhne ke liye permit chahiye?",
            ROMAN_URDU,
        ),
        ("EIA ki muddat kitni hai?", ROMAN_URDU),
        ("Do we need a permit to store toxic chemicals on our site?", ENGLISH),
        (
            "What does the word 'ماحولیات' mean in the Act?",
            ENGLISH,
        ),  # one Urdu word in an English question
        (
            "Is Ko Samui's hotel covered by the Basel Convention?",
            ENGLISH,
        ),  # one marker-like word is not enough
        ("", ENGLISH),
    ],
)
def test_detect_by_script_and_marker_words(question: str, language: str) -> None:
    assert detect(question) == language


def test_no_question_of_the_english_sets_is_read_as_urdu() -> None:
    """An English question must never leave the English path: its figures are unchanged."""
    for name in (
        "questions.jsonl",
        "holdout.jsonl",
        "holdout2.jsonl",
        "new_documents.jsonl",
        "topics.jsonl",
    ):
        for line in (REPO / "evals" / name).read_text(encoding="utf-8").splitlines():
            question = json.loads(line)["question"]
            assert detect(question) == ENGLISH, (name, question)


def test_normalise_maps_arabic_letter_forms_and_drops_marks() -> None:
    arabic_kaf_yeh = "\u0643\u064a\u0627"  # كيا typed with Arabic kaf and yeh
    assert normalise(arabic_kaf_yeh) == "کیا"
    assert normalise("جُرمانہ") == "جرمانہ"  # damma dropped
    assert normalise("جرمانه") == "جرمانہ"  # Arabic heh -> heh goal
    assert normalise("EIA") == "eia"


def test_term_table_reads_terms_phrases_and_hyphens(table: TermTable) -> None:
    assert table.terms[("ganda", "pani")] == "effluent wastewater"
    assert table.terms[("bain", "ul", "aqwami")] == "international"
    assert table.terms[("گندا", "پانی")] == "effluent wastewater"
    assert ("term",) not in table.terms and len(table.terms) == 7
    assert table.longest == 3
    assert TermTable.load(Path("/nonexistent/terms.tsv")).terms == {}


def test_roman_urdu_gloss_matches_the_longest_phrase_and_keeps_english_words(
    table: TermTable, vocabulary: Vocabulary
) -> None:
    reading = read(
        "Kya ganda pani nallah mein chhorne par jurmana hai? SEQS kya kehta hai?",
        vocabulary,
        table,
    )
    assert reading.language == ROMAN_URDU
    assert reading.glossed == (
        ("ganda pani", "effluent wastewater"),
        ("jurmana", "fine penalty"),
    )
    # 'pani' alone is not glossed inside 'ganda pani'; Roman Urdu words outside the table
    # (chhorne, nallah) are dropped, figures and acronyms kept
    assert reading.searched_as == "effluent wastewater fine penalty SEQS"


def test_roman_urdu_gloss_keeps_names_for_the_refusal_rules(
    table: TermTable, vocabulary: Vocabulary
) -> None:
    reading = read(
        "Kya Kyoto Protocol ke tehat 50 tonnes par jurmana hai?", vocabulary, table
    )
    assert reading.searched_as == "Kyoto Protocol 50 fine penalty"


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("پنجاب میں فیکٹری کے گندے پانی پر کتنا جرمانہ ہے؟", "Punjab"),
        ("اسلام آباد میں ہسپتال کا فضلہ کون اٹھاتا ہے؟", "Islamabad"),
        ("lahore mein factory ka ganda pani kahan jaye?", "Lahore"),
    ],
)
def test_places_are_glossed_so_the_refusal_rule_for_another_province_reads_them(
    question: str, place: str, vocabulary: Vocabulary
) -> None:
    """Sindh's law must not answer a question about Punjab's because it was asked in Urdu: the
    shipped table glosses the place, and the rule reads the gloss."""
    reading = read(question, vocabulary, term_table())
    assert place in reading.searched_as
    assert other_jurisdiction(reading.searched_as, []) is not None


@pytest.mark.parametrize("question", ["SEPA ke mojooda Director General ka naam kya hai?", "سیپا کے موجودہ ڈائریکٹر جنرل کا نام کیا ہے؟"])
def test_current_is_glossed_so_the_rule_for_how_things_stand_now_reads_it(question: str) -> None:
    """The corpus is fixed texts: "the current Director General" asked in Urdu is refused as in English."""
    reading = read(question, Vocabulary.of({"director", "general"}, ["Director General"]), term_table())
    assert (asks_as_of_now(reading.searched_as) or "").lower() == "current director"


def test_urdu_script_gloss_with_loanwords_by_their_consonants(
    table: TermTable, vocabulary: Vocabulary
) -> None:
    reading = read(
        "کیا ٹریبونل گرفتاری کا وارنٹ جاری کر سکتا ہے اور جرمانہ کتنا ہے؟",
        vocabulary,
        table,
    )
    assert reading.language == URDU
    assert reading.searched_as == "tribunal warrant fine penalty"
    # a loanword written as two words, the first of two letters
    assert (
        read("ایکسپورٹ نوٹیفکیشن اور ری سائیکلنگ؟", vocabulary, table).searched_as
        == "export notification recycling"
    )


def test_consonant_classes_of_urdu_and_english_spellings_meet() -> None:
    for urdu, english in (
        ("ٹریبونل", "tribunal"),
        ("نوٹیفکیشن", "notification"),
        ("وارنٹ", "warrant"),
        ("کمپنی", "company"),
    ):
        assert urdu_consonants(urdu) == english_consonants(english), (urdu, english)
    # short native words do not turn into English ones ('کتنا' is not 'cotton')
    assert Vocabulary.of([], ["cotton cotton"]).loanword("کتنا") is None


def test_an_urdu_description_keeps_its_figures_and_area_units_whole() -> None:
    reading = read("کل کورڈ ایریا 45,000 مربع فٹ، 2000 مربع گز پلاٹ، ڈھائی لاکھ مربع فٹ")
    said = " ".join(text for text, _ in reading.pieces)
    assert "45,000 sq ft" in said and "2000 sq yd" in said and "2.5 lakh sq ft" in said
    assert read("چونے کا بھٹہ اور واٹر کورس کی لائننگ").pieces == (("lime kilns", True), ("watercourse", True), ("lining", True))


def test_an_english_question_is_read_as_written() -> None:
    reading = read("Do we need an EIA?")
    assert reading.english and reading.searched_as == "" and reading.glossed == ()


def test_framing_lines_in_the_question_language() -> None:
    answer = "Section 17 requires an EIA. [1]"
    assert frame(ENGLISH, answer, abstained=False) == answer
    assert frame(URDU, answer, abstained=False) == f"{ANSWER_LINE[URDU]}\n\n{answer}"
    assert frame(
        ROMAN_URDU, "The documents do not cover this.", abstained=True
    ).startswith(NOT_COVERED_LINE[ROMAN_URDU])
    for line in (*ANSWER_LINE.values(), *NOT_COVERED_LINE.values()):
        assert "[" not in line and detect(line) != ENGLISH


def test_the_shipped_marker_list_and_term_table_load() -> None:
    assert {"hai", "kya", "ke"} <= markers()
    table = term_table()
    assert len(table.terms) > 100 and table.longest >= 2
    assert all(english and "\t" not in english for english in table.terms.values())


def test_inflected_terms_find_their_base_form(table: TermTable) -> None:
    assert (
        read("Kya jurmane ke ilawa saza bhi hai?", table=table).searched_as
        == "fine penalty"
    )
    assert read("کیا جرمانے لگتے ہیں؟", table=table).searched_as == "fine penalty"
    assert (
        read("گندے پانی کی حد کیا ہے؟", table=table).searched_as
        == "effluent wastewater"
    )


def test_the_share_of_a_question_its_reading_keeps() -> None:
    from assistant.language import read, read_share

    assert read_share("What is the fine?", read("What is the fine?")) == 1.0
    unread = "ہمیں اپنی موجودہ جگہ کی تزئین و آرائش کرنی ہے"
    assert read_share(unread, read(unread)) < 0.3
    roman = "Ghotki mein bijli ghar lagana hai"
    assert read_share(roman, read(roman)) >= 0.3

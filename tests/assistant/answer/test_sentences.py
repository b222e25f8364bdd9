"""Quotable text: sentence splitting, the clauses of a long sentence, a passage's units."""

from __future__ import annotations

import pytest
from answer_helpers import LIST_SENTENCE, make_passage

from assistant.answer.sentences import (
    Unit,
    answer_units,
    clauses,
    passage_sentences,
    split_sentences,
)


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


def test_the_location_label_is_quoted_but_not_scored() -> None:
    unit = Unit("Sindh Environmental Protection Act 2014, section 18. Every agency must submit an SEA.", "h", 0)
    assert unit.says == "Every agency must submit an SEA."
    assert unit.quote == unit.text
    assert Unit("Basel Convention, Article 6(1)–(4), the prior informed consent procedure.", "h", 0).says == (
        "the prior informed consent procedure."
    )

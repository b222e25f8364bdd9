"""The kind of figure a question asks for, and whether a text gives it."""

from __future__ import annotations

import pytest

from assistant.answer.figures import AskedFigure, counted_terms


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

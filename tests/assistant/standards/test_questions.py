"""Limit questions asked in chat, answered from the table, and the questions left to the general answerer."""

from __future__ import annotations

import json

import pytest
from seqs_helpers import LIMITS

from assistant.standards.questions import answer_limit_question

COD = "Chemical oxygen demand (COD)"


@pytest.mark.parametrize(
    ("question", "parameters", "bodies", "statuses", "phrases"),
    [
        ("Is COD 180 mg/L OK for discharge into the sea?", [COD], ["sea"], ["within"], ["≤ 400 mg/L"]),
        (
            "Is COD 180 mg/L OK for discharge to inland waters?",
            [COD], ["inland"], ["exceeds"], ["≤ 150 mg/L", "by 20.0%"],
        ),
        ("what is the TSS limit for sewage?", ["Total suspended solids (TSS)"], ["sewage"], [], ["≤ 400 mg/L"]),
        ("BOD limit for inland waters", ["Biochemical oxygen demand (BOD5) at 20 °C"], ["inland"], [], ["≤ 80 mg/L"]),
        ("can I discharge effluent with pH 10 into a nallah?", ["pH"], ["inland"], ["exceeds"], ["6–9"]),
        (
            "What is the limit for oil and grease?",
            ["Oil and grease"], ["inland", "sewage", "sea"], [],
            ["did not say where the effluent goes", "inland waters: ≤ 10 mg/L", "the sea: ≤ 10 mg/L"],
        ),
        (
            "Our B.O.D. is 250, can it go to the STP?",
            ["Biochemical oxygen demand (BOD5) at 20 °C"], ["sewage"], ["within"], ["unit not given; assumed mg/L"],
        ),
        (
            "Is 180 mg/L COD acceptable for the river?",
            [COD], ["inland"], ["exceeds"], ["≤ 150 mg/L"],
        ),
        ("Permissible TDS for discharge into a creek", ["Total dissolved solids (TDS)"], ["sea"], [], ["≤ 3500 mg/L"]),
        (
            "What is the chloride limit for marine discharge?",
            ["Chloride (as Cl)"], ["sea"], [], ["SC (at or below sea concentration)"],
        ),
        ("Lead 0.6 mg/L into the canal, is that allowed?", ["Lead"], ["inland"], ["exceeds"], ["by 20.0%"]),
        (
            "Is a temperature rise of 2 °C acceptable at the coast?",
            ["Temperature or temperature increase"], ["sea"], ["within"], ["≤ 3 °C increase"],
        ),
        (
            "Effluent temperature 35 °C into a river: OK?",
            ["Temperature or temperature increase"], ["inland"], ["unit-mismatch"], ["cannot be checked"],
        ),
        (
            "TSS of 1,200 mg/L to the sewer",
            ["Total suspended solids (TSS)"], ["sewage"], ["exceeds"], ["by 200.0%"],
        ),
        (
            "Is COD 180 mg/L OK?",
            [COD], ["inland", "sewage", "sea"], ["exceeds", "within", "within"],
            ["did not say where the effluent goes"],
        ),
        (
            "What are the BOD and COD limits for a lake?",
            ["Biochemical oxygen demand (BOD5) at 20 °C", COD], ["inland"], [], ["≤ 80 mg/L", "≤ 150 mg/L"],
        ),
        (
            "Hexavalent chromium limit for the sea?",
            ["Chromium (trivalent and hexavalent)"], ["sea"], [], ["report total chromium", "≤ 1 mg/L"],
        ),
        ("Is Cd 0.2 mg/L fine for a stream?", ["Cadmium"], ["inland"], ["exceeds"], ["≤ 0.1 mg/L"]),
        ("Is As 0.5 mg/L OK for the sea?", ["Arsenic"], ["sea"], ["within"], ["≤ 1 mg/L"]),
    ],
)
def test_limit_questions(question, parameters, bodies, statuses, phrases) -> None:
    answer = answer_limit_question(question, LIMITS)
    assert answer is not None
    assert [limit.parameter for limit in answer.limits] == parameters
    assert [body.value for body in answer.receiving] == bodies
    assert answer.receiving_stated == (len(bodies) < 3)
    assert [v.result.status.value for v in answer.verdicts] == statuses
    for phrase in phrases:
        assert phrase in answer.text
    rows = ", ".join(f"row {limit.row}" for limit in answer.limits)
    assert f"Source: {answer.limits[0].standard}, {rows}." in answer.text
    assert [c.row for c in answer.citations] == [limit.row for limit in answer.limits]
    json.dumps(answer.to_dict())


@pytest.mark.parametrize(
    "question",
    [
        "What is eco-efficiency?",
        "What does the Basel Convention regulate?",
        "Do I need an EIA before expanding my dye house?",
        "As a trainee, what should I read first?",
        "Will a late report lead to a fine?",
        "B grade factories: what are the rules?",
        "What does the Stockholm Convention say about mercury?",
        "Which pesticides are listed under the Rotterdam Convention?",
        "Under the Rotterdam Convention, which Parties are allowed to propose a pesticide formulation?",
        "How many tonnes of PCBs and POPs pesticides did the project plan to collect and dispose of?",
        "What is BOD?",
        "Our unit makes zinc ash. Which disposal sites has SEPA authorised for it?",
        "Is a C d drive needed for the limit report?",
        "Detergent plant: quarterly effluent priority parameters?",
        "Chlorine factory in Nooriabad: which effluent parameters do we report?",
        "",
    ],
)
def test_non_limit_questions_return_none(question: str) -> None:
    assert answer_limit_question(question, LIMITS) is None


@pytest.mark.parametrize(
    "question",
    [
        "What is the SEQS limit for pesticides under the Stockholm Convention's NIP?",
        "Is pesticides 0.1 mg/L in our effluent OK, given the Rotterdam listing?",
        "What pesticide level may we discharge into the sea?",
    ],
)
def test_convention_words_do_not_stop_an_effluent_question(question: str) -> None:
    assert answer_limit_question(question, LIMITS) is not None


def test_answers_are_deterministic() -> None:
    question = "Is COD 180 mg/L OK?"
    assert answer_limit_question(question, LIMITS) == answer_limit_question(question, LIMITS)

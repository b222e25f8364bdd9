"""Follow-up questions: detection and resolution (pure), then through the Assistant on a real index."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.evaluation import citations_valid
from assistant.followup import is_follow_up, previous_questions, resolve
from assistant.index import Index
from assistant.pipeline import Assistant

REPO = Path(__file__).resolve().parents[2]

COD_INLAND = "What is the COD limit for discharge into inland waters?"
COD_INLAND_REPLY = "The SEQS limit for Chemical oxygen demand (COD) for discharge into inland waters is ≤ 150 mg/L. [1]"


# ---------------------------------------------------------------------------------------------
# previous_questions: both history shapes


def test_history_of_pairs() -> None:
    history = [("What is eco-efficiency?", "Eco-efficiency means ... [1]"), ["What is the COD limit?", "..."]]
    assert previous_questions(history) == ["What is eco-efficiency?", "What is the COD limit?"]


def test_history_of_messages_keeps_user_turns_only() -> None:
    history = [
        {"role": "system", "content": "You are helpful."},
        {"role": "user", "content": "What is eco-efficiency?"},
        {"role": "assistant", "content": "What is the fine? (an assistant turn, not a question)"},
        {"role": "user", "content": COD_INLAND},
    ]
    assert previous_questions(history) == ["What is eco-efficiency?", COD_INLAND]


@pytest.mark.parametrize(
    "history",
    [
        None,
        [],
        (),
        [None, 5, "a bare string", (), [], (None, "bot only"), {"role": "user"}, {"role": "user", "content": None}],
        [{"role": "user", "content": [{"type": "text", "text": "multimodal"}]}, {"content": "no role"}],
    ],
)
def test_odd_histories_give_no_questions(history) -> None:
    assert previous_questions(history) == []


# ---------------------------------------------------------------------------------------------
# is_follow_up and resolve


@pytest.mark.parametrize(
    "question",
    [
        "and for discharge into the sea?",
        "And for sewage?",
        "What about TSS?",
        "how about Article 6?",
        "But what if the unit is in Punjab and discharges to a canal?",
        "also for BOD",
        "what is the fine for that?",
        "Is it required for small units?",
        "TSS?",
        "sea discharge",
        "Why?",
        "What is it?",
    ],
)
def test_follow_ups_are_recognised(question: str) -> None:
    assert is_follow_up(question)


@pytest.mark.parametrize(
    "question",
    [
        "What is the objective of the Rotterdam Convention?",
        "Do I need an EIA before adding a dye house?",
        "What is the COD limit for discharge into the sea?",
        "Organic solvents from the print shop: how are they disposed of under the hazardous waste rules?",
        "Does the Stockholm Convention require Parties to destroy obsolete pesticide stockpiles or can it allow storage?",
        "What is eco-efficiency?",
        "Define cleaner production",
        "Who is the DG?",
    ],
)
def test_standalone_questions_are_not_follow_ups(question: str) -> None:
    assert not is_follow_up(question)


def test_is_there_questions_are_standalone() -> None:
    question = "Is there a penalty for discharging untreated effluent?"
    assert resolve(question, [("What is eco-efficiency?", "...")]) == question


def test_resolve_without_history_is_the_question() -> None:
    assert resolve("and for discharge into the sea?", []) == "and for discharge into the sea?"
    assert resolve("and for discharge into the sea?", None) == "and for discharge into the sea?"


def test_resolve_joins_the_previous_user_question() -> None:
    history = [("What is eco-efficiency?", "..."), (COD_INLAND, COD_INLAND_REPLY)]
    assert resolve("  and for discharge into the sea? ", history) == (
        f"and for discharge into the sea? (following: {COD_INLAND})"
    )


def test_resolve_is_the_same_for_pairs_and_messages() -> None:
    pairs = [(COD_INLAND, COD_INLAND_REPLY)]
    messages = [{"role": "user", "content": COD_INLAND}, {"role": "assistant", "content": COD_INLAND_REPLY}]
    assert resolve("and for the sea?", pairs) == resolve("and for the sea?", messages)


def test_resolve_leaves_a_standalone_question_alone() -> None:
    question = "What is the objective of the Rotterdam Convention?"
    assert resolve(question, [(COD_INLAND, COD_INLAND_REPLY)]) == question


# ---------------------------------------------------------------------------------------------
# Through the Assistant


ACT = """\
---
title: Sindh Environmental Protection Act, 2014
doc_type: law-digest
jurisdiction: Sindh, Pakistan
unofficial: true
---

## Part IV — Prohibitions and approvals

### Section 17 — Initial environmental examination and environmental impact assessment

No proponent of a project shall commence construction or operation unless he has filed with the Agency an initial environmental examination or, where the project is likely to cause an adverse environmental effect, an environmental impact assessment, and has obtained from the Agency approval in respect thereof. The expansion of an existing industrial unit, such as adding a dye house to a textile mill, is a project for the purposes of this section.

## Part VI — Offences and penalties

### Section 22 — Penalties

Whoever contravenes section 11 or section 17 shall be punishable with a fine which may extend to 5,000,000 rupees. Where the contravention continues, an additional fine of up to 100,000 rupees may be imposed for every day during which it continues.
"""


@pytest.fixture(scope="module")
def followup_bot(tmp_path_factory: pytest.TempPathFactory, embedder, build) -> Assistant:
    root = tmp_path_factory.mktemp("followup")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "sindh-epa-digest.md").write_text(ACT, encoding="utf-8")
    seqs = (REPO / "corpus" / "documents" / "seqs-effluent-limits.csv").read_text(encoding="utf-8").splitlines(True)
    (corpus / "seqs-effluent-limits.csv").write_text("".join(seqs[:8]), encoding="utf-8")
    settings = build.clean_settings(root, corpus, min_words=40)
    index = Index(settings, embedder=embedder)
    assert not index.ingest(progress=False).skipped
    return Assistant(settings, index=index)


def _sea_cod_answer(answer) -> None:
    assert not answer.abstained
    assert "following: " + COD_INLAND in answer.query
    assert "Chemical oxygen demand (COD)" in answer.text
    assert "the sea: ≤ 400 mg/L" in answer.text or "into the sea is ≤ 400 mg/L" in answer.text
    assert citations_valid(answer.text, [c.n for c in answer.citations])
    assert [c.passage.section for c in answer.citations] == ["Row 5: Chemical oxygen demand (COD)"]


def test_follow_up_with_pair_history(followup_bot: Assistant) -> None:
    answer = followup_bot.ask("and for discharge into the sea?", history=[(COD_INLAND, COD_INLAND_REPLY)])
    _sea_cod_answer(answer)


def test_follow_up_with_message_history(followup_bot: Assistant) -> None:
    history = [{"role": "user", "content": COD_INLAND}, {"role": "assistant", "content": COD_INLAND_REPLY}]
    answer = followup_bot.ask("and for discharge into the sea?", history=history)
    _sea_cod_answer(answer)
    pairs = followup_bot.ask("and for discharge into the sea?", history=[(COD_INLAND, COD_INLAND_REPLY)])
    assert (answer.text, answer.query) == (pairs.text, pairs.query)


def test_follow_up_resolves_against_the_latest_question(followup_bot: Assistant) -> None:
    history = [("Do I need an EIA before adding a dye house?", "..."), (COD_INLAND, COD_INLAND_REPLY)]
    _sea_cod_answer(followup_bot.ask("and for discharge into the sea?", history=history))


def test_the_same_words_without_history_are_not_a_cod_answer(followup_bot: Assistant) -> None:
    answer = followup_bot.ask("and for discharge into the sea?")
    assert answer.query == "and for discharge into the sea?"
    assert answer.composer != "effluent-table"


def test_extractive_follow_up_finds_the_penalty(followup_bot: Assistant) -> None:
    answer = followup_bot.ask("And what is the penalty?", history=[("Do I need an EIA before adding a dye house?", "...")])
    assert answer.query.startswith("And what is the penalty? (following: Do I need an EIA")
    assert not answer.abstained, answer.evidence
    assert citations_valid(answer.text, [c.n for c in answer.citations])
    assert any(c.passage.section.startswith("Section 22") for c in answer.citations), answer.text


def test_standalone_question_with_history_is_not_rewritten(followup_bot: Assistant) -> None:
    question = "What is the penalty for contravening section 17?"
    answer = followup_bot.ask(question, history=[(COD_INLAND, COD_INLAND_REPLY)])
    assert answer.query == question
    assert answer.question == question
    assert answer.citations and answer.citations[0].passage.section.startswith("Section 22")


@pytest.mark.parametrize("history", [None, [None], ["text"], [{"role": "user", "content": ""}], [("x" * 100_000, "")]])
def test_odd_history_never_crashes(followup_bot: Assistant, history) -> None:
    answer = followup_bot.ask("and what about it?", history=history)
    assert answer.text


def test_a_chain_of_follow_ups_keeps_the_topic(followup_bot: Assistant) -> None:
    history = [(COD_INLAND, COD_INLAND_REPLY), ("and for discharge into the sea?", "... ≤ 400 mg/L [1]")]
    answer = followup_bot.ask("and for sewage treatment?", history=history)
    assert "Chemical oxygen demand (COD)" in answer.text
    assert "sewage treatment" in answer.text


def test_answer_question_is_what_the_user_typed_on_the_table_route(followup_bot: Assistant) -> None:
    answer = followup_bot.ask("and for discharge into the sea?", history=[(COD_INLAND, COD_INLAND_REPLY)])
    assert answer.composer == "effluent-table"
    assert answer.question == "and for discharge into the sea?"


def test_a_short_standalone_question_after_the_cod_example_is_not_answered_as_cod(followup_bot: Assistant) -> None:
    """Issue 16: after 'Is COD 180 mg/L OK ...', 'What is eco-efficiency?' got the COD answer back."""
    history = [(COD_INLAND, COD_INLAND_REPLY)]
    answer = followup_bot.ask("What is eco-efficiency?", history=history)
    assert answer.query == "What is eco-efficiency?"
    assert answer.composer != "effluent-table" and "COD" not in answer.text

"""The first screen's example questions, answered over the shipped corpus: each must state what
was asked and cite the passage that says it (issue 16: the EIA example did not say "four
months" though its passage did). The questions are read from the layout, so a new example
needs an expectation here.
"""

from __future__ import annotations

import re

import pytest
from test_ui_app import ask, bot_messages, open_page

from ui.layout import EXAMPLES

pytestmark = pytest.mark.slow

# question -> (a passage id the answer must cite, words the answer must state)
EXPECTED = {
    "Do I need an EIA before adding a dye house?": ("sindh-eia-screening-schedules:", "IEE"),
    "Is COD 180 mg/L OK for discharge into inland waters?": ("seqs-effluent-limits:", "150 mg/L"),
    "What is the fine for violating the discharge standards?": ("sindh-epa-2014-digest:", "five million rupees"),
    "Which section prohibits discharges above the environmental quality standards?": (
        "sindh-epa-2014-digest:",
        "section 11",
    ),
    "How long does the Agency have to decide on an environmental impact assessment?": (
        "sindh-epa-2014-digest:",
        "four months",
    ),
    "What are the functions of the Sindh Environmental Protection Agency?": (
        "sindh-epa-2014-digest:",
        "administer and implement the Act",
    ),
    "What is eco-efficiency?": ("cp-policy-sindh-assessment:", "prevent pollution at the source"),
    "What does the Basel Convention regulate?": ("basel-convention-digest:", "two groups of wastes"),
    "What does the Stockholm Convention require for stockpiles?": (
        "stockholm-convention-digest:",
        "strategies to identify stockpiles",
    ),
}
INTERNAL_ID = re.compile(r"\[[a-z0-9]+(?:-[a-z0-9]+)+\]|\b[a-z0-9-]+:\d{4}\b")


@pytest.fixture(scope="module")
def shipped_bot(shipped_corpus, ui_embedder):
    """The assistant over the whole shipped corpus."""
    from assistant.index import Index
    from assistant.pipeline import Assistant

    return Assistant(shipped_corpus.settings, Index(shipped_corpus.settings, embedder=ui_embedder))


def test_every_example_has_an_expectation() -> None:
    shown = [question for questions in EXAMPLES.values() for question in questions]
    assert sorted(shown) == sorted(EXPECTED)


@pytest.mark.parametrize("question", list(EXPECTED))
def test_example_answer_states_what_was_asked_and_cites_it(shipped_bot, question: str) -> None:
    cited_prefix, stated = EXPECTED[question]
    answer = shipped_bot.ask(question)
    assert not answer.abstained, answer.text
    assert stated.lower() in answer.text.lower(), answer.text
    assert any(c.hit.passage.id.startswith(cited_prefix) for c in answer.citations), [c.hit.passage.id for c in answer.citations]
    assert not INTERNAL_ID.search(answer.text), answer.text
    quotes = re.split(r"\s*\[\d+\]\s*", answer.text)
    assert not any(quote.startswith(("- ", "* ")) for quote in quotes), answer.text


# Five short questions on other topics, each with words only its own answer states.
SHORT_QUESTIONS = {
    "What are POPs?": "persistent organic pollutants",
    "What is BOD?": "biochemical oxygen demand",
    "Who certifies environmental laboratories?": "laborator",
    "What is hospital waste?": "hospital",
    "What is prior informed consent?": "prior informed consent",
}


def test_a_chat_of_the_examples_then_short_questions_answers_each_its_own(browser, served_shipped) -> None:
    """Issue 16's bar: the nine examples in one chat, then five unrelated short questions; every
    answer is its own (none repeated for another question) and the sources panel follows it."""
    page = open_page(browser, served_shipped)
    expected = {question: stated for question, (_, stated) in EXPECTED.items()} | SHORT_QUESTIONS
    answers: list[str] = []
    for turn, (question, stated) in enumerate(expected.items(), start=1):
        ask(page, question)
        answer = bot_messages(page).nth(turn - 1).inner_text()
        assert stated.lower() in answer.lower(), (question, answer)
        assert answer not in answers, f"{question!r} got the answer of an earlier question"
        answers.append(answer)
        header = page.locator("#cp-sources h3").inner_text()
        assert str(turn) in header and question in header, (question, header)
    assert bot_messages(page).count() == len(expected)
    page.close()

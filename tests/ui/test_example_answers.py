"""The first screen's example questions, answered over the shipped corpus: each must state what
was asked and cite the passage that says it (issue 16: the EIA example did not say "four
months" though its passage did). The questions are read from the layout, so a new example
needs an expectation here.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ui.layout import EXAMPLES

pytestmark = pytest.mark.slow

SHIPPED = Path(__file__).resolve().parents[2] / "corpus"

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
def shipped_bot(tmp_path_factory: pytest.TempPathFactory, ui_embedder, build):
    """The assistant over the whole shipped corpus, indexed in a temporary folder."""
    from assistant.index import Index
    from assistant.pipeline import Assistant

    root = tmp_path_factory.mktemp("shipped")
    shutil.copy(SHIPPED / "manifest.toml", root / "manifest.toml")
    settings = build.clean_settings(root, SHIPPED / "documents")
    index = Index(settings, embedder=ui_embedder)
    report = index.ingest(progress=False)
    assert not report.skipped, report.skipped
    return Assistant(settings, index)


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

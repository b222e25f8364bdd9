"""The screening-intent head: the shipped weights, read with the shipped MiniLM, route approval
questions the wording patterns miss and leave other questions alone; weights for another
embedder are not used."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.standards.intent import (
    HEAD_FILE,
    IntentHead,
    asks_for_approval,
    load_head,
    surely_not_approval,
)

ROOT = Path(__file__).resolve().parents[3]


def test_the_shipped_head_belongs_to_the_shipped_embedder(embedder) -> None:
    head = load_head()
    assert head is not None and head.embedder == embedder.name == "all-MiniLM-L6-v2"
    assert head.weights.shape == (384,) and 0.5 <= head.threshold < 1.0


@pytest.mark.parametrize(
    "question",
    [
        "Our 200-bed hospital in Karachi: EIA?",
        "We are setting up a sugar mill with a distillery near Badin. IEE or EIA?",
        "Steel re-rolling mill in Port Qasim, which category of assessment?",
    ],
)
def test_approval_questions_are_routed(question: str, embedder) -> None:
    assert asks_for_approval(question, embedder)


@pytest.mark.parametrize(
    "question",
    [
        "How long does the Agency take to review an IEE?",
        "Our ghee mill is category B under the self-monitoring rules. How often do we report?",
        "What is the COD limit for discharge into inland waters?",
        "What does the Basel Convention regulate?",
        "What fee does the Agency charge to review an EIA?",
    ],
)
def test_other_questions_are_not(question: str, embedder) -> None:
    assert not asks_for_approval(question, embedder)


@pytest.mark.parametrize(
    ("question", "not_asking"),
    [
        ("On what basis is an IEE or EIA reviewed under regulation 12(5)?", True),
        ("Which document does the review committee prepare for each chemical it recommends?", True),
        ("Ghee mill costing Rs 80 million in Karachi – IEE or EIA?", False),
        ("Do industrial estates and export processing zones need an EIA?", False),
    ],
)
def test_the_head_overrules_the_wording_only_when_sure(question: str, not_asking: bool, embedder) -> None:
    """Questions with an approval pattern's words: the head vetoes the ones about the rules."""
    assert surely_not_approval(question, embedder) is not_asking


def test_a_head_for_another_embedder_is_not_used(tmp_path: Path, embedder) -> None:
    """Weights that route everything, saved for another model: never read with this one."""
    path = tmp_path / "head.npz"
    IntentHead(np.zeros(384, dtype=np.float32), 10.0, 0.5, "some-other-model").save(path)
    head = load_head(path)
    assert head is not None and head.probability(np.zeros(384)) > 0.99
    assert not asks_for_approval("cement plant: which list?", embedder, head)
    assert not surely_not_approval("What is the fee for an IEE for a bakery?", embedder, head)
    assert load_head(tmp_path / "missing.npz") is None


def test_the_training_questions_are_apart_from_the_eval_and_dev_sets() -> None:
    rows = [json.loads(line) for line in (ROOT / "training/screening/intent.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sum(r["screening"] for r in rows) >= 150 and len(rows) >= 2500
    held = {json.loads(line)["id"] for f in (ROOT / "training/dev").glob("*.jsonl") for line in f.read_text().splitlines()}
    assert not held & {r["id"] for r in rows}
    asked = {
        json.loads(line).get("question", json.loads(line).get("description", "")).strip().lower()
        for f in (ROOT / "evals").glob("*.jsonl")
        for line in f.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    assert not asked & {r["question"].strip().lower() for r in rows}
    assert HEAD_FILE.stat().st_size < 10_000

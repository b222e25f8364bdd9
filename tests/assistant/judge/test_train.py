"""The judge's training code runs for real: a few steps on a tiny slice, saved and loaded back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.embeddings import shipped_model_path
from assistant.judge import Judge
from assistant.judge.train import parser, train

PASSAGES = {
    "act:1": ("act", "Act > Section 17\nNo proponent may start construction before the Agency approves the IEE or EIA."),
    "act:2": ("act", "Act > Section 22\nWhoever contravenes the Act is punishable with a fine of up to five million rupees."),
    "basel:1": ("basel", "Basel Convention > Article 4\nParties prohibit the export of hazardous wastes to Parties that have banned their import."),
    "rules:1": ("rules", "Hospital rules > Rule 5\nWaste is segregated at source into colour-coded bags."),
}
QUESTIONS = [
    ("q1", "Can we start building before the IEE is approved?", "act", ["act:1"], ["act:2", "basel:1"]),
    ("q2", "What is the fine for breaking the Act?", "act", ["act:2"], ["act:1", "basel:1"]),
    ("q3", "Who runs the Basel secretariat in Geneva?", "basel", [], ["basel:1", "act:1"]),
    ("q4", "How is hospital waste separated?", "rules", ["rules:1"], ["act:1"]),
]


def write_slice(folder: Path) -> Path:
    folder.mkdir(parents=True)
    with (folder / "passages.jsonl").open("w") as handle:
        for pid, (doc, text) in PASSAGES.items():
            handle.write(json.dumps({"id": pid, "doc_id": doc, "text": text}) + "\n")
    with (folder / "pairs.jsonl").open("w") as handle:
        for qid, question, doc, positives, negatives in QUESTIONS:
            for pid, label in [(p, 1) for p in positives] + [(p, 0) for p in negatives]:
                row = {"qid": qid, "question": question, "passage_id": pid, "label": label, "doc_id": doc, "split": "dev" if qid == "q2" else "train"}
                handle.write(json.dumps(row) + "\n")
    return folder


def test_a_few_training_steps_write_a_judge_that_loads_and_scores(tmp_path: Path) -> None:
    data = write_slice(tmp_path / "data")
    out = tmp_path / "judge"
    args = parser().parse_args(
        ["--data", str(data), "--base", str(shipped_model_path()), "--out", str(out), "--layers", "1", "--max-steps", "2",
         "--questions-per-batch", "2", "--per-question", "3", "--max-length", "64", "--holdout-doc", "rules"]
    )
    result = train(args)
    assert result["steps"] == 2
    assert result["train_questions"] == 2  # q1 and q3: q2 is dev, q4 is about the held-out document
    assert result["figures"]["dev"]["answerable"] == 1
    assert result["figures"]["held_out_document"]["questions"] == 1
    assert {p.name for p in out.iterdir()} >= {"model.safetensors", "judge_head.safetensors", "judge.json", "config.json", "tokenizer.json"}
    scores = Judge(out, quantize=False).score("fine for breaking the Act?", [PASSAGES["act:2"][1], PASSAGES["basel:1"][1]])
    assert len(scores) == 2 and all(0.0 <= s <= 1.0 for s in scores)


def test_a_missing_judge_folder_says_which_setting_to_fix(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="judge_model"):
        Judge(tmp_path)

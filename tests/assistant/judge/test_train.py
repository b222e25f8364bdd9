"""The judge's training code runs for real: a few steps on a tiny slice, saved and loaded back."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.judge import Judge

def test_a_few_training_steps_write_a_judge_that_loads_and_scores(tiny_judge) -> None:
    out, result = tiny_judge
    assert result["steps"] == 2
    assert result["train_questions"] == 2  # q1 and q3: q2 is dev, q4 is about the held-out document
    assert result["figures"]["dev"]["answerable"] == 1
    assert result["figures"]["held_out_document"]["questions"] == 1
    assert {p.name for p in out.iterdir()} >= {"model.safetensors", "judge_head.safetensors", "judge.json", "MODEL_CARD.md", "tokenizer.json"}
    assert 0.0 < result["threshold"] <= 1.0
    assert "held-out document rules" in (out / "MODEL_CARD.md").read_text()
    texts = ["Act > Section 22\nWhoever contravenes the Act is punishable with a fine.", "Basel Convention > Article 4\nParties prohibit exports."]
    scores = Judge(out, quantize=False).score("fine for breaking the Act?", texts)
    assert len(scores) == 2 and all(0.0 <= s <= 1.0 for s in scores)


def test_a_missing_judge_folder_says_which_setting_to_fix(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="judge_model"):
        Judge(tmp_path)

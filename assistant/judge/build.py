"""`cpassist train-judge`: build the judge from the committed training questions.

Pairs come from the current index of the default corpus (so retrieval's candidates are the
ones the judge will see), then assistant/judge/train.py trains with the settings the shipped
judge was trained with. On two CPU cores the default run takes about 45 minutes; on a GPU
machine, training/judge/gpu_train.sh runs the same training in about a minute.
"""

from __future__ import annotations

from pathlib import Path

from assistant.embeddings import shipped_model_path
from assistant.index import Index
from assistant.judge import JUDGE_FOLDER
from assistant.judge.pairs import read_questions, write_training_set
from assistant.retrieval import Retriever
from assistant.settings import PROJECT_ROOT

TRAINING_DATA = PROJECT_ROOT / "training" / "judge" / "data"
BUILD_DIR = PROJECT_ROOT / "training" / "judge" / "build"

# The recipe of the first judge (README, "The judge"; its judge.json says the same).
SHIPPED_RECIPE = {
    "layers": 3,
    "max_length": 160,
    "epochs": 1,
    "lr": 8e-5,
    "per_question": 6,
    "questions_per_batch": 8,
    "holdout_doc": "sindh-hospital-waste-rules-2014-digest",
    "seed": 13,
}


def build_pairs(index: Index, data: Path = TRAINING_DATA, folder: Path = BUILD_DIR) -> dict:
    snapshot = index.snapshot()
    if snapshot is None:
        raise RuntimeError("the index is empty: run `cpassist ingest` first")
    return write_training_set(folder, read_questions(data), snapshot, Retriever(index))


def train_judge(folder: Path = BUILD_DIR, out: Path = JUDGE_FOLDER, max_steps: int = 0, **recipe) -> dict:
    from assistant.judge.train import parser, train

    chosen = {**SHIPPED_RECIPE, **recipe}
    argv = ["--data", str(folder), "--base", str(shipped_model_path()), "--out", str(out), "--max-steps", str(max_steps)]
    for name, value in chosen.items():
        argv += [f"--{name.replace('_', '-')}", str(value)]
    return train(parser().parse_args(argv))

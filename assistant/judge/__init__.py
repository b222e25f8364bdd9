"""The answerability judge: a small cross-encoder, trained here, that reads a question and a
passage together and gives the probability that the passage answers the question.

Retrieval finds candidates by shared words and meaning; only a model that reads both texts at
once can tell "says what was asked" from "uses the same words". `cpassist train-judge` builds
one into assistant/judge/model/ (with its MODEL_CARD.md) from the committed training data; it
loads from that folder only, and its linear layers run as int8 on the CPU, which keeps ten
candidates within the answer's time budget on two cores. The pipeline uses it as a gate when
settings.answerability names it: a question none of whose candidates it accepts is not answered.
"""

from __future__ import annotations

import json
import logging
import threading
import warnings
from functools import lru_cache
from pathlib import Path

from assistant.judge.focus import focus
from assistant.retrieval import Hit

log = logging.getLogger(__name__)

JUDGE_FOLDER = Path(__file__).resolve().parent / "model"  # git-ignored: built by `cpassist train-judge`


class Judge:
    """Scores (question, passage text) pairs; thread-safe for concurrent readers."""

    def __init__(self, folder: Path | str = JUDGE_FOLDER, quantize: bool = True) -> None:
        self.folder = Path(folder)
        if not (self.folder / "model.safetensors").is_file():
            raise FileNotFoundError(f"judge model not found in {self.folder} (setting judge_model; rebuild with `cpassist train-judge`)")
        self.quantize = quantize
        self.settings = json.loads((self.folder / "judge.json").read_text(encoding="utf-8"))
        self.max_length = int(self.settings.get("max_length", 192))
        self._loaded = None
        self._lock = threading.Lock()

    @property
    def calibrated_threshold(self) -> float | None:
        """The threshold chosen on the training set's dev split when the judge was built."""
        value = self.settings.get("threshold")
        return float(value) if value is not None else None

    def _model(self):
        if self._loaded is None:
            with self._lock:
                if self._loaded is None:
                    self._loaded = _load(str(self.folder), self.quantize)
        return self._loaded

    def score(self, question: str, texts: list[str]) -> list[float]:
        """P(answers) for each text, in the order given."""
        if not texts:
            return []
        import torch

        model, tokenizer = self._model()
        encoded = tokenizer([question] * len(texts), texts, truncation="only_second", max_length=self.max_length, padding=True, return_tensors="pt")
        with torch.inference_mode():
            return torch.sigmoid(model(**encoded).float()).tolist()


class JudgeStep:
    """Retrieval's candidates in, the same candidates out, each with the judge's score.

    `accepted` keeps those at or above the threshold, in fused order: the passages an answer may
    quote; none accepted means no answer. The order stays retrieval's: the first judge trained
    here put the answering passage first for 43% of its dev questions, fusion does better, so
    it gates what may be quoted and does not rerank.
    """

    def __init__(self, judge: Judge, threshold: float | None = None) -> None:
        self.judge = judge
        self.threshold = threshold if threshold is not None else (judge.calibrated_threshold or 0.5)

    def run(self, question: str, hits: list[Hit]) -> list[Hit]:
        scores = self.judge.score(question, [focus(question, hit.passage) for hit in hits])
        for hit, value in zip(hits, scores):
            hit.judge = value
        return hits

    def accepted(self, hits: list[Hit]) -> list[Hit]:
        return [hit for hit in hits if hit.judge is not None and hit.judge >= self.threshold]


@lru_cache(maxsize=2)
def _load(folder: str, quantize: bool):
    """One model per folder per process (the UI's threads share it)."""
    import torch
    from transformers import AutoTokenizer

    from assistant.judge.train import load_judge

    model, _ = load_judge(Path(folder))
    if quantize:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch marks its int8 API deprecated (torchao replaces it); the kernels still run
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    log.debug("judge loaded from %s (int8: %s)", folder, quantize)
    return model, tokenizer

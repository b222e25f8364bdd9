"""Train the query adapter (assistant/query_adapter.py) from the training questions.

    .venv/bin/python training/retrieval/train_adapter.py [--index DIR]

Pairs each answerable training question (training/judge/data/, written for the judge, and
training/retrieval/questions/, written for this) with the passages of the shipped corpus that hold
its quoted phrase, leaving out the development questions
(training/dev/*.jsonl) and any question that is also in an eval set. The question is embedded as
retrieval embeds it; a passage scores its best window's cosine with the moved question vector.
The correction M (question v -> normalise(v + v M)) is fitted by softmax cross-entropy of the
answering passages against every passage of the corpus, with an L2 penalty on M that keeps it
near the identity. Prints dense-only hit@1/hit@5/MRR@5 on the development questions before and
after, and writes assistant/data/query_adapter.npz. Ingests the default corpus into a temporary
index unless --index names a built one; about two minutes on two cores.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from assistant.gold import GoldLocator, normalise
from assistant.index import Index
from assistant.query_adapter import ADAPTER_FILE, QueryAdapter
from assistant.retrieval import expand_query, strip_frame
from assistant.settings import Settings

QUESTIONS = (ROOT / "training" / "judge" / "data", ROOT / "training" / "retrieval" / "questions")
DEV = ROOT / "training" / "dev"
EVALS = ROOT / "evals"
PENALTY = 3e-3
TEMPERATURE = 0.03
STEPS = 200
LEARNING_RATE = 1e-3


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def training_questions() -> list[tuple[dict, bool]]:
    """The answerable training questions with whether each is a development question (by id, or
    worded as one: a later writer may have asked a development question again); a question that
    is also in an eval set is left out."""
    dev = [r for path in DEV.glob("*.jsonl") for r in _lines(path)]
    dev_ids, dev_words = {r["id"] for r in dev}, {normalise(r["question"]) for r in dev}
    held_out = {normalise(r["question"]) for path in EVALS.glob("*.jsonl") for r in _lines(path) if "question" in r}
    return [
        (r, r["id"] in dev_ids or normalise(r["question"]) in dev_words)
        for folder in QUESTIONS
        for path in sorted(folder.glob("*.jsonl"))
        for r in _lines(path)
        if r.get("kind") == "answerable" and normalise(r["question"]) not in held_out
    ]


def _pairs(index: Index) -> tuple[list[str], list[list[int]], list[bool], list[str], dict[str, int]]:
    """Questions, their answering passages (as rows of the passage order), whether each is a
    development question, the passage order and each passage's row."""
    snapshot = index.snapshot()
    order = sorted(snapshot.passages)
    row = {passage_id: n for n, passage_id in enumerate(order)}
    locator = GoldLocator(snapshot)
    questions, gold, dev = [], [], []
    for r, is_dev in training_questions():
        found = locator.passages(r["doc_id"], r["phrase"])
        if found:
            questions.append(r["question"])
            gold.append(sorted(row[p] for p in found))
            dev.append(is_dev)
    return questions, gold, dev, order, row


def _windows(index: Index, row: dict[str, int]) -> tuple[torch.Tensor, torch.Tensor]:
    stored = index.client.get_collection(index.snapshot().collection).get(include=["embeddings", "metadatas"])
    vectors = torch.tensor(np.asarray(stored["embeddings"], dtype=np.float32))
    owner = torch.tensor([row[m["passage_id"]] for m in stored["metadatas"]])
    return vectors, owner


def _scores(q: torch.Tensor, windows: torch.Tensor, owner: torch.Tensor, passages: int) -> torch.Tensor:
    """Each passage's best window cosine for each question."""
    similarity = q @ windows.T
    out = torch.full((q.shape[0], passages), -1e9)
    return out.scatter_reduce(1, owner.expand(q.shape[0], -1), similarity, reduce="amax")


def _figures(scores: torch.Tensor, gold: torch.Tensor) -> str:
    hit = gold.gather(1, scores.topk(5, dim=1).indices)
    first = hit.float().argmax(1) + 1
    mrr = torch.where(hit.any(1), 1.0 / first.float(), torch.zeros(1)).mean().item()
    return f"hit@1 {hit[:, 0].float().mean().item():.3f}  hit@5 {hit.any(1).float().mean().item():.3f}  MRR@5 {mrr:.3f}"


def train(index: Index) -> QueryAdapter:
    questions, gold_rows, dev, order, row = _pairs(index)
    windows, owner = _windows(index, row)
    embedder = index.embedder
    q = torch.tensor(np.asarray([embedder.embed_query(expand_query(strip_frame(t))) for t in questions], dtype=np.float32))
    gold = torch.zeros(len(questions), len(order), dtype=torch.bool)
    for n, rows in enumerate(gold_rows):
        gold[n, rows] = True
    dev_mask = torch.tensor(dev)
    train_mask = ~dev_mask
    print(f"{int(train_mask.sum())} training questions, {int(dev_mask.sum())} development questions, {len(order)} passages")
    torch.manual_seed(0)
    correction = torch.zeros(q.shape[1], q.shape[1], requires_grad=True)
    optimiser = torch.optim.Adam([correction], lr=LEARNING_RATE)

    def moved(v: torch.Tensor) -> torch.Tensor:
        m = v + v @ correction
        return m / m.norm(dim=1, keepdim=True)

    for _ in range(STEPS):
        logp = (_scores(moved(q[train_mask]), windows, owner, len(order)) / TEMPERATURE).log_softmax(1)
        loss = -logp.masked_fill(~gold[train_mask], -1e9).logsumexp(1).mean() + PENALTY * (correction**2).sum()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    with torch.no_grad():
        print("dense search alone, development questions")
        print("  plain vector   ", _figures(_scores(q[dev_mask], windows, owner, len(order)), gold[dev_mask]))
        print("  adapted vector ", _figures(_scores(moved(q[dev_mask]), windows, owner, len(order)), gold[dev_mask]))
    return QueryAdapter(correction.detach().numpy(), embedder.name, frozenset(index.snapshot().files))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, help="a built index of the default corpus (default: build one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(index_dir=args.index or Path(scratch), multilingual=False)
        index = Index(settings)
        if args.index is None:
            index.ingest(progress=False)
        train(index).save(ADAPTER_FILE)
    print(f"wrote {ADAPTER_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

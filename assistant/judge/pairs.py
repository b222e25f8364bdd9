"""Training pairs for the judge, from the training questions and what retrieval returns for them.

For an answerable question the passages holding its phrase are positives and the other passages
retrieval ranks beside them are negatives (the hard cases: same vocabulary, other section or
instrument). A near-miss question, which nothing in the corpus answers, has only negatives:
its retrieved passages and the passage it imitates. Questions are split train/dev by a hash of
their id, so the split is the same on every machine and does not move when questions are added.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from assistant.gold import GoldLocator
from assistant.index import Snapshot
from assistant.judge.focus import focus
from assistant.retrieval import Retriever

log = logging.getLogger(__name__)

DEV_SHARE = 10  # one question in ten goes to the dev split


def split_of(qid: str) -> str:
    return "dev" if int(hashlib.sha256(qid.encode()).hexdigest(), 16) % DEV_SHARE == 0 else "train"


def read_questions(folder: Path) -> list[dict]:
    questions = []
    for path in sorted(folder.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            questions.extend(json.loads(line) for line in handle if line.strip())
    return questions


def build_pairs(questions: Iterable[dict], snapshot: Snapshot, retriever: Retriever, candidates: int = 12) -> tuple[list[dict], Counter]:
    """(question, passage, label) rows; the counter says how many questions were dropped and why."""
    locate = GoldLocator(snapshot)
    pairs: list[dict] = []
    dropped: Counter = Counter()
    for q in questions:
        answerable = q.get("kind") == "answerable"
        phrase = q.get("phrase") if answerable else q.get("near")
        if not phrase or q.get("doc_id") not in snapshot.files:
            dropped["no phrase or unknown document"] += 1
            continue
        quoted = locate.passages(q["doc_id"], phrase)
        if not quoted:
            dropped["phrase not in any passage"] += 1
            continue
        positives = (quoted | locate.anywhere(phrase)) if answerable else set()
        retrieved = [hit.passage.id for hit in retriever.run(q["question"], k=candidates)]
        negatives = [pid for pid in retrieved if pid not in positives]
        if not answerable:
            negatives += sorted(quoted - set(negatives))
        split = split_of(q["id"])
        for pid, label in [(pid, 1) for pid in sorted(positives)] + [(pid, 0) for pid in negatives]:
            text = focus(q["question"], snapshot.passages[pid])
            pairs.append({"qid": q["id"], "question": q["question"], "passage_id": pid, "text": text, "label": label, "doc_id": q["doc_id"], "split": split})
    return pairs, dropped


def write_training_set(folder: Path, questions: list[dict], snapshot: Snapshot, retriever: Retriever, candidates: int = 12) -> dict:
    """passages.jsonl and pairs.jsonl (each pair with the text the judge reads) in `folder`,
    the input of assistant/judge/train.py."""
    folder.mkdir(parents=True, exist_ok=True)
    pairs, dropped = build_pairs(questions, snapshot, retriever, candidates)
    with (folder / "passages.jsonl").open("w", encoding="utf-8") as handle:
        for passage in snapshot.passages.values():
            handle.write(json.dumps({"id": passage.id, "doc_id": passage.doc_id, "text": passage.indexed_text}, ensure_ascii=False) + "\n")
    with (folder / "pairs.jsonl").open("w", encoding="utf-8") as handle:
        for pair in pairs:
            handle.write(json.dumps(pair, ensure_ascii=False) + "\n")
    used = {p["qid"] for p in pairs}
    return {"questions": len(used), "pairs": len(pairs), "positives": sum(p["label"] for p in pairs), "dropped": dict(dropped)}
